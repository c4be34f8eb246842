import { randomUUID } from 'node:crypto';
import { NO_STREAM, ProposedEvent, SqliteEventStore } from '@app/event-store';

/** A payload shaped like an inbound credit event, so row sizes are realistic. */
export function creditEvent(): ProposedEvent {
  const id = randomUUID();
  return {
    id,
    type: 'InboundCreditReceived',
    data: {
      creditId: id,
      bankRef: `HVPS${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      amount: '50000.00',
      currency: 'CNY',
      payer: { accountNo: '6222020200112233445', name: 'Example Construction Co', bankCode: '102100099996' },
      payeeAccountNo: '9558801234567890123',
      receivedAt: '2026-12-01T10:02:03+08:00',
    },
    metadata: { correlationId: id, causationId: id, actor: 'esb:bench' },
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
