import { Global, Module } from '@nestjs/common';
import { CLOCK } from './banks';

/** The service's one time source, for the write side (lot clock, life cycle) and the queries ("today"). */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: () => new Date() }], exports: [CLOCK] })
export class ClockModule {}
