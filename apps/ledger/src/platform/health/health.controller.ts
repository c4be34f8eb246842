import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { EventStore, StoreKind } from '@app/event-store';
import { Public } from '../auth/access.decorators';
import { EVENT_STORE } from '../event-store/event-store.token';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { HealthyResponse, UnhealthyResponse } from './health.responses';

/** A ping that hangs must not hang the probe: orchestrators treat a slow probe as failed anyway. */
const PING_TIMEOUT_MS = 2_000;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  store: { kind: StoreKind; reachable: true } | { kind: StoreKind; reachable: false; error: string };
}

/** Probes answer without a token: orchestrators call them. */
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** 200 when the event store answers, 503 with the reason otherwise. */
  @ApiOkResponse({ type: HealthyResponse })
  @ApiServiceUnavailableResponse({ type: UnhealthyResponse })
  @Get()
  async check(): Promise<HealthReport> {
    const kind = this.store.kind;
    try {
      await pingWithin(this.store, PING_TIMEOUT_MS);
      return { status: 'ok', store: { kind, reachable: true } };
    } catch (error) {
      const report: HealthReport = {
        status: 'unavailable',
        store: { kind, reachable: false, error: error instanceof Error ? error.message : String(error) },
      };
      throw new ServiceUnavailableException(report);
    }
  }
}

async function pingWithin(store: EventStore, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`event store did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
