import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ANY, type EventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { type CommandContext, eventMetadata } from '@app/command-kernel';
import { eventSchemaVersion } from '@app/domain';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import type { Caller } from '../platform/auth/roles';

export const sealedDataViewsStream = (lotId: string) => `sealed-data-views-${lotId}`;

/** The route as called, query string included: `SealedDataViewed.request`. */
export function requestLine(request: FastifyRequest): string {
  return `${request.method} ${request.originalUrl}`;
}

/** `SealedDataViewed` (docs/events.md): a bank operator or auditor looked at a lot's data before bid opening. */
export interface SealedDataViewedData {
  lotId: string;
  viewer: { role: string; subject: string };
  /** The route as called, query string included. */
  request: string;
  viewedAt: string;
}

/**
 * The audit trail of looks at sealed data (docs/specification.md §1: bank operations may look only with an audit
 * trail). The view is recorded before the data is shown: when the record cannot be written, the query
 * fails and nothing is shown.
 */
@Injectable()
export class SealedDataViews {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async record(caller: Caller, lotIds: Iterable<string>, request: string, context: CommandContext, now: Date): Promise<void> {
    const metadata = eventMetadata(context, eventSchemaVersion('SealedDataViewed'));
    await Promise.all(
      [...new Set(lotIds)].map((lotId) => {
        const data: SealedDataViewedData = { lotId, viewer: { role: caller.role, subject: caller.subject }, request, viewedAt: now.toISOString() };
        // Every look is its own fact, so ANY: concurrent looks both land, neither retries.
        return this.store.appendToStream(sealedDataViewsStream(lotId), [{ id: randomUUID(), type: 'SealedDataViewed', data: { ...data }, metadata }], {
          expectedRevision: ANY,
        });
      }),
    );
  }
}
