import { ApiProperty } from '@nestjs/swagger';
import type { StoreKind } from '@app/event-store';
import { WireEnum, valuesOf } from '../http/wire-forms.responses';
import type { HealthReport } from './health.controller';

/** What the probes answer (health.controller.ts, probes.controller.ts): their own bodies, not the API's error shape. */

const STORE_KINDS = valuesOf<StoreKind>({ sqlite: true, eventstoredb: true });

class ReachableStoreResponse {
  @WireEnum(STORE_KINDS) kind!: StoreKind;
  @ApiProperty({ type: 'boolean', enum: [true] }) reachable!: true;
}

class UnreachableStoreResponse {
  @WireEnum(STORE_KINDS) kind!: StoreKind;
  @ApiProperty({ type: 'boolean', enum: [false] }) reachable!: false;
  @ApiProperty({ description: 'why the ping failed' }) error!: string;
}

export class HealthyResponse implements HealthReport {
  @WireEnum(['ok']) status!: 'ok';
  @ApiProperty({ type: ReachableStoreResponse }) store!: ReachableStoreResponse;
}

/** The 503 of /health and /health/ready when the event store does not answer within 2 s. */
export class UnhealthyResponse implements HealthReport {
  @WireEnum(['unavailable']) status!: 'unavailable';
  @ApiProperty({ type: UnreachableStoreResponse }) store!: UnreachableStoreResponse;
}

export class LivenessResponse {
  @WireEnum(['ok']) status!: 'ok';
  @ApiProperty({ type: 'integer', minimum: 0, description: 'how long a turn of the event loop took: the work queued on it' }) eventLoopDelayMs!: number;
}
