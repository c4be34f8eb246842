import { Inject, Injectable } from '@nestjs/common';
import { lotIdOf, lotStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '../event-store/event-store.token';
import { ApiException } from '../http/api-error';
import type { Caller } from './roles';

/** A lot's center is fixed when it is registered, so remembering it can never go stale. */
const MAX_REMEMBERED_LOTS = 100_000;

/**
 * The one tenancy rule: a center caller acts for, and reads, its own center only (403
 * `FORBIDDEN_TENANT`); other roles allowed on a route are not tenant-bound.
 */
export function assertCenterActsFor(caller: Caller, centerId: string, message: string, field: string): void {
  if (caller.role === 'center' && caller.subject !== centerId) throw new ApiException(403, 'FORBIDDEN_TENANT', message, field);
}

/**
 * A center acts for itself only: its own master accounts and lots (403 `FORBIDDEN_TENANT` otherwise).
 * Other roles are not tenant-bound. An unknown lot passes, so the route answers its usual 404.
 */
@Injectable()
export class Tenancy {
  private readonly centerOfLot = new Map<string, string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  assertOwnCenter(caller: Caller, centerId: string, field: string): void {
    assertCenterActsFor(caller, centerId, `center ${caller.subject} may not act for center ${centerId}`, field);
  }

  async assertOwnLot(caller: Caller, lotId: string, field = 'lotId'): Promise<void> {
    if (caller.role !== 'center') return;
    const centerId = await this.lotCenter(lotId);
    if (centerId !== undefined) assertCenterActsFor(caller, centerId, `lot ${lotId} belongs to another center`, field);
  }

  /** The same for a bond or refund id, whose lot is in the id; an id of no lot passes (the route answers 404). */
  async assertOwnLotOf(caller: Caller, id: string, kind: 'B' | 'R', field: string): Promise<void> {
    const lotId = lotIdOf(id, kind);
    if (lotId !== undefined) await this.assertOwnLot(caller, lotId, field);
  }

  /** The center a lot was registered for, or undefined for an unknown lot. */
  async lotCenter(lotId: string): Promise<string | undefined> {
    const known = this.centerOfLot.get(lotId);
    if (known !== undefined) return known;
    for await (const event of this.store.readStream(lotStream(lotId), { maxCount: 1 })) {
      const centerId = (event.data as { centerId?: unknown }).centerId;
      if (typeof centerId !== 'string') throw new Error(`${event.streamName}@0 (${event.type}) names no centerId`);
      if (this.centerOfLot.size >= MAX_REMEMBERED_LOTS) this.centerOfLot.clear();
      this.centerOfLot.set(lotId, centerId);
      return centerId;
    }
    return undefined;
  }
}
