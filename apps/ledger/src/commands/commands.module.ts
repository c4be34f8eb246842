import { Global, Module } from '@nestjs/common';
import { AggregateRepository } from './aggregate-repository';

/** Global like the event store: every feature module's command handlers execute through the repository. */
@Global()
@Module({ providers: [AggregateRepository], exports: [AggregateRepository] })
export class CommandsModule {}
