import { DynamicModule, Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONFIG, AccessGuard } from './access.guard';
import type { AuthConfig } from './auth-config';
import { DevSignInController } from './dev-sign-in.controller';
import { Tenancy } from './tenancy';

class DevelopmentSecretWarning implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('Auth').warn({
      msg: 'bearer tokens are verified with the embedded development secret: anyone with the source can mint them; set AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY (docs/security.md)',
    });
  }
}

/** Access control of every route (docs/security.md): bearer JWTs, roles per route, tenancy of centers. */
@Global()
@Module({})
export class AuthModule {
  static forConfig(config: AuthConfig): DynamicModule {
    const warning = config.algorithm === 'HS256' && config.developmentSecret ? [DevelopmentSecretWarning] : [];
    return {
      module: AuthModule,
      // The console's development sign-in: answers 403 DEV_SIGN_IN_DISABLED unless on the development secret.
      controllers: [DevSignInController],
      providers: [{ provide: AUTH_CONFIG, useValue: config }, { provide: APP_GUARD, useClass: AccessGuard }, Tenancy, ...warning],
      exports: [Tenancy],
    };
  }
}
