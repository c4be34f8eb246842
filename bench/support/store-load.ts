import { randomUUID } from 'node:crypto';
import { creditIdFor, eventSchemaVersion } from '@app/domain';
import { NO_STREAM, ProposedEvent, SqliteEventStore } from '@app/event-store';

const BANK_CODE = '102100099996';
/** A sha256 in hex, as `requestHash` is (its value does not matter to the store, its size does). */
const REQUEST_HASH = 'c0ffee5e'.repeat(8);

/**
 * A payload shaped like an inbound credit's claim (InboundCreditReceived, version 2: the request, its
 * credit id, fingerprint, receiving bank and the lot it is routed to), so row sizes are realistic.
 */
export function creditEvent(): ProposedEvent {
  const id = randomUUID();
  const bankRef = `HVPS${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return {
    id,
    type: 'InboundCreditReceived',
    data: {
      bankRef,
      channel: 'HVPS',
      receivedAt: '2026-12-01T10:02:03+08:00',
      valueDate: '2026-12-01',
      amount: '50000.00',
      currency: 'CNY',
      payer: { accountNo: '6222020200112233445', name: 'Example Construction Co', bankCode: '105100000017' },
      payeeAccountNo: '9558801234567890123',
      remittanceInfo: 'bid bond',
      creditId: creditIdFor(BANK_CODE, bankRef),
      requestHash: REQUEST_HASH,
      bankCode: BANK_CODE,
      route: { lotId: 'L-2026-0815', virtualAccountNo: '9558801234567890123' },
    },
    metadata: { correlationId: id, causationId: id, actor: 'esb:bench', schemaVersion: eventSchemaVersion('InboundCreditReceived') },
  };
}

/** The store: `writers` concurrent loops, each appending one event at a time to its own stream. */
export async function storeAppendRate(path: string, writers: number, phaseMs: number): Promise<{ rate: number; eventsPerCommit: number }> {
  const store = SqliteEventStore.open({ path });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let expectedRevision: bigint | typeof NO_STREAM = NO_STREAM;
      while (performance.now() - started < phaseMs) {
        const result = await store.appendToStream(`w${writer}`, [creditEvent()], { expectedRevision });
        expectedRevision = result.nextExpectedRevision;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const { appends, commits } = store.commitStats();
  await store.close();
  return { rate: appends / seconds, eventsPerCommit: appends / commits };
}
