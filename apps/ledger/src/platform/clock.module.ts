import { Global, Module } from '@nestjs/common';

/** The time source of the service; time-driven decisions receive its readings as command facts. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;

/** The service's one time source, for the write side (lot clock, life cycle) and the queries ("today"). */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: () => new Date() }], exports: [CLOCK] })
export class ClockModule {}
