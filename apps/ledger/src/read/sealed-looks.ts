import { Inject, Injectable } from '@nestjs/common';
import { businessDateOf } from '@app/domain';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@app/command-kernel';
import type { Caller } from '../platform/auth/roles';
import { CLOCK, type Clock } from '../platform/clock.module';
import { type LotSeal, disclosureOf } from './confidentiality';
import { SealedDataViews, requestLine } from './sealed-data-views';

/**
 * How every read route asks the seal: `disclosureOf` refuses what the caller may not see of a lot (403
 * FORBIDDEN_TENANT, SEALED_UNTIL_BID_OPENING) and the looks it shows only recorded are recorded
 * (`SealedDataViewed`) before anything is answered.
 */
@Injectable()
export class SealedLooks {
  constructor(
    private readonly views: SealedDataViews,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Refuses what the caller may not see of these lots; records the looks the seal shows only recorded. */
  async disclose(caller: Caller, lots: readonly LotSeal[], field: string, context: CommandContext, request: FastifyRequest): Promise<void> {
    const recorded = lots.filter((lot) => disclosureOf(caller, lot, field) === 'RECORDED');
    if (recorded.length > 0) await this.views.record(caller, recorded.map((lot) => lot.lotId), requestLine(request), context, this.clock());
  }

  /** Today's business date (China Standard Time) by the service's clock. */
  today(): string {
    return businessDateOf(this.now());
  }

  /** The service's clock reading, ISO-8601 UTC. */
  now(): string {
    return this.clock().toISOString();
  }
}
