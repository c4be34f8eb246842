import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { creditIdFor, eventSchemaVersion } from '@app/domain';
import { NO_STREAM, ProposedEvent, SqliteEventStore } from '@app/event-store';
import { prepareSqliteFile } from '../../libs/event-store/src/sqlite/sqlite-schema';

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

/**
 * One row a classified credit writes, as the service wrote it: `data` and `metadata` are its JSON texts,
 * `lotStream` tells the lot's row from the credit's own (anchor) rows.
 */
export interface CreditRowTemplate {
  lotStream: boolean;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/**
 * The raw durable batched-insert ceiling: plain better-sqlite3 on a fresh file with the store's pragmas
 * (WAL, synchronous=FULL) inserting the rows of `creditsPerCommit` credits per transaction, for
 * `phaseMs`. Each credit's rows are the template's texts with its bank reference (and so its credit id)
 * replaced: a new anchor stream per credit, its lot rows spread over 200 lot streams at their next
 * revisions. No hashing, no JSON work, no reads: only what SQLite does for the bytes.
 */
export function rawBatchedCreditRate(
  path: string,
  template: { bankRef: string; rows: CreditRowTemplate[] },
  creditsPerCommit: number,
  phaseMs: number,
): { creditsPerSecond: number; rowsPerSecond: number } {
  const db = new Database(path);
  prepareSqliteFile(db);
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const lotRevisions = new Array<number>(200).fill(0);
  let credits = 0;
  const commit = db.transaction((count: number) => {
    for (let i = 0; i < count; i += 1) {
      credits += 1;
      const bankRef = `RAW${credits}`;
      const lot = credits % lotRevisions.length;
      for (const row of template.rows) {
        const data = row.data.replaceAll(template.bankRef, bankRef);
        if (row.lotStream) {
          const revision = lotRevisions[lot] ?? 0;
          lotRevisions[lot] = revision + 1;
          insert.run(`lot-RAW${lot}`, revision, randomUUID(), row.type, data, row.metadata);
        } else {
          insert.run(`inbound-credit-RAW-${bankRef}`, row.revision, randomUUID(), row.type, data, row.metadata);
        }
      }
    }
  });
  const started = performance.now();
  while (performance.now() - started < phaseMs) commit(creditsPerCommit);
  const seconds = (performance.now() - started) / 1_000;
  db.close();
  return { creditsPerSecond: credits / seconds, rowsPerSecond: (credits * template.rows.length) / seconds };
}
