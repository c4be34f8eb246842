import { Inject, Injectable } from '@nestjs/common';
import { EventStore, JsonValue, NO_STREAM, WrongExpectedVersionError } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { CommandContext, eventMetadata } from '../commands/command-context';
import { EVENT_STORE } from '../event-store/event-store.token';
import { LedgerMetrics } from '../metrics/ledger-metrics';

export const IDEMPOTENT_RESPONSE_RECORDED = 'IdempotentResponseRecorded';

/** The first successful answer given under an Idempotency-Key. */
export interface IdempotentResponse {
  /** sha256 hex of the key: the key itself is the caller's and stays out of stream names. */
  keyHash: string;
  fingerprint: string;
  status: number;
  body: JsonValue;
}

/**
 * One stream per key, `idempotency-{keyHash}`, created with NO_STREAM and holding one event: the store's
 * expected-revision check decides which of two racing requests recorded first.
 */
@Injectable()
export class IdempotencyRecords {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: LedgerMetrics,
  ) {}

  async find(keyHash: string): Promise<IdempotentResponse | undefined> {
    for await (const event of this.store.readStream(streamOf(keyHash), { maxCount: 1 })) {
      return event.data as unknown as IdempotentResponse;
    }
    return undefined;
  }

  /** Records `response` unless another request recorded first under the key: then returns that one. */
  async record(response: IdempotentResponse, context: CommandContext): Promise<IdempotentResponse> {
    const { keyHash, fingerprint, status, body } = response;
    try {
      await this.metrics.timeAppend('idempotency', () =>
        this.store.appendToStream(
          streamOf(keyHash),
          // A random id: a fixed one would make a racing request's append look like a retry of the winner's.
          [{ id: randomUUID(), type: IDEMPOTENT_RESPONSE_RECORDED, data: { keyHash, fingerprint, status, body }, metadata: eventMetadata(context) }],
          { expectedRevision: NO_STREAM },
        ),
      );
      return response;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const winner = await this.find(keyHash);
      if (winner === undefined) throw error;
      return winner;
    }
  }
}

function streamOf(keyHash: string): string {
  return `idempotency-${keyHash}`;
}
