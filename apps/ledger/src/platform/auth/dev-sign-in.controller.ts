import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController, ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import jwt from 'jsonwebtoken';
import { ApiException } from '../http/api-error';
import { IsIdentifier } from '../http/validators';
import { mintAccessToken } from './access-token';
import { Public } from './access.decorators';
import { AUTH_CONFIG } from './access.guard';
import type { AuthConfig } from './auth-config';
import { ROLES, type Role } from './roles';

/** A development token lives an hour: long enough to try the console, short enough to be thrown away. */
export const DEV_TOKEN_TTL_SECONDS = 3600;

export class DevSignInDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: `$property must be one of ${ROLES.join('|')}` }) role!: Role;
  /** A center id for center, a bidder id for bidder, a name otherwise: the verifier's subject rule (access-token.ts). */
  @IsIdentifier() subject!: string;
}

/** Whether the development sign-in mints tokens: only on the embedded development secret, never on a bank's secret or key. */
export function devSignInEnabled(config: AuthConfig): boolean {
  return config.algorithm === 'HS256' && config.developmentSecret;
}

/**
 * The console's development sign-in (docs/api.md, "Routes for the console"): while the service verifies
 * tokens with the development secret that anyone with the source has (auth-config.ts), it mints the token
 * `npm run token` would, for the role and subject picked, valid for an hour. With AUTH_JWT_SECRET or
 * AUTH_JWT_PUBLIC_KEY set it mints nothing (403 DEV_SIGN_IN_DISABLED): tokens then come from the bank's
 * identity provider or the embedding tender platform. Public, so outside the OpenAPI document, whose
 * every /v1 operation needs a bearer token.
 */
@ApiExcludeController()
@Controller('v1/dev/sign-in')
export class DevSignInController {
  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {}

  @Get()
  @Public()
  status() {
    return { enabled: devSignInEnabled(this.config) };
  }

  @Post()
  @HttpCode(201)
  @Public()
  signIn(@Body() body: DevSignInDto) {
    const config = this.config;
    if (config.algorithm !== 'HS256' || !config.developmentSecret) {
      throw new ApiException(403, 'DEV_SIGN_IN_DISABLED', 'the development sign-in is off: this service verifies tokens with a configured secret or key, so tokens come from the bank’s identity provider or the embedding system', 'authorization');
    }
    const token = mintAccessToken({ role: body.role, subject: body.subject, expiresInSeconds: DEV_TOKEN_TTL_SECONDS }, { secret: config.secret });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
