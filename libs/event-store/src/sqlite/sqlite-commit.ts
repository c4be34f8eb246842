import Database from 'better-sqlite3';
import { ANY, AppendResult, CurrentRevision, ExpectedRevision, NO_STREAM, RecordedEvent, STREAM_EXISTS } from '../event-store.port';
import { canonicalJson } from '../canonical-json';
import { GENESIS_HASH, chainLinkOfCanonicalData, legacyTip } from '../hash-chain';

/**
 * The group commit of the embedded store: one transaction over queued entries, a savepoint per entry,
 * the expected-revision check, replay detection and the hash-chain link of every event. One
 * implementation, run on the event loop (`writer: 'inline'`) or in the writer thread that owns the
 * write connection (`writer: 'thread'`, `sqlite-writer-thread.ts`). Everything here is plain data, so
 * it crosses a thread boundary as it is (structured clone: strings, numbers, bigints).
 */

/** One event, serialised when the append was called: what is stored and hashed is the event as it was then. */
export interface CommitEvent {
  id: string;
  type: string;
  /** `JSON.stringify` of the data. */
  dataText: string;
  /**
   * What the chain link covers: the data's canonical JSON, when the caller made it already (on the event
   * loop, the inline writer's caller does: it saves parsing `dataText` again). Otherwise it is made here
   * from `dataText`, which gives the same text (`canonical-json.ts`), so the writer thread's caller need
   * not spend the event loop on it.
   */
  canonicalData?: string;
  /** `JSON.stringify` of the writer's metadata; the store adds `recordedAt` and `chain`. */
  metadataText: string;
}

export interface CommitAppend {
  streamName: string;
  expectedRevision: ExpectedRevision;
  events: CommitEvent[];
}

/**
 * One queue entry: an `appendToStream` call (one append) or an atomic `appendToStreams` call (its appends,
 * committed all or none). Never split across commits.
 */
export interface CommitEntry {
  appends: CommitAppend[];
  /** Events of all its appends: what the per-commit bound counts. */
  eventCount: number;
  /** `recordedAt` stamped by the store's clock when one was given (a test seam); otherwise the time of the commit. */
  recordedAt?: string;
}

/** Why one append of an entry was refused; the caller turns it into the port's error for that append. */
export type CommitRefusal =
  | { kind: 'wrong-expected-version'; appendIndex: number; actual: CurrentRevision }
  | { kind: 'idempotency-mismatch'; appendIndex: number };

export type CommitOutcome = { results: AppendResult[] } | { refused: CommitRefusal };

/** The last event of a stream: its revision and its link's hash (null on an event older than the chain). */
interface StreamHead {
  revision: number;
  hash: string | null;
}

/** A row of the events table as the store reads it whole (its columns by name). */
export interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamName: row.stream,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  };
}

/** Unwinds one entry's savepoint; never leaves `commit`. */
class Refused extends Error {
  constructor(readonly refusal: CommitRefusal) {
    super(refusal.kind);
  }
}

function satisfies(expected: ExpectedRevision, current: CurrentRevision): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return current === NO_STREAM;
  if (expected === STREAM_EXISTS) return current !== NO_STREAM;
  return current === expected;
}

/** Whole entries from the front of `queue`, as many as the bound allows; the first is taken even when it alone exceeds it. */
export function takeBatch<T extends { eventCount: number }>(queue: T[], maxEventsPerCommit: number): T[] {
  let events = 0;
  let count = 0;
  for (const { eventCount } of queue) {
    if (count > 0 && events + eventCount > maxEventsPerCommit) break;
    events += eventCount;
    count += 1;
  }
  return queue.splice(0, count);
}

/** Commits batches of entries on one write connection. */
export class SqliteCommitter {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      // One index probe gives the revision check and the chain's previous hash alike.
      streamHead: db.prepare<[string], StreamHead>(
        "SELECT revision, json_extract(metadata, '$.chain.hash') AS hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1",
      ),
      wholeStream: db.prepare<[string], EventRow>(
        'SELECT position, stream, revision, event_id, type, data, metadata FROM events WHERE stream = ? ORDER BY revision ASC',
      ),
      insert: db.prepare<[string, number, string, string, string, string]>(
        'INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      storedById: db.prepare<[string, string], { revision: number; position: number }>(
        'SELECT revision, position FROM events WHERE stream = ? AND event_id = ?',
      ),
    };
  }

  /**
   * The batch in one `BEGIN IMMEDIATE` transaction, each entry in its own savepoint (a one-stream
   * one-event entry needs none: its single INSERT either happens or not), so one entry's refusal undoes
   * only that entry. Returns once the commit returned (the WAL fsynced), an outcome per entry in order;
   * throws when the transaction itself fails, and then nothing of the batch is written.
   */
  commit(batch: readonly CommitEntry[]): CommitOutcome[] {
    const outcomes: CommitOutcome[] = [];
    this.db
      .transaction(() => {
        for (const entry of batch) outcomes.push(this.commitEntry(entry));
      })
      .immediate();
    return outcomes;
  }

  private commitEntry(entry: CommitEntry): CommitOutcome {
    try {
      const single = entry.appends.length === 1 && entry.appends[0]?.events.length === 1;
      const results = single ? this.appendAll(entry) : this.db.transaction(() => this.appendAll(entry))();
      return { results };
    } catch (error) {
      if (error instanceof Refused) return { refused: error.refusal };
      throw error;
    }
  }

  /** The entry's appends in order; a later append to a stream sees the rows an earlier one wrote. */
  private appendAll(entry: CommitEntry): AppendResult[] {
    const recordedAt = entry.recordedAt ?? new Date().toISOString();
    return entry.appends.map((append, index) => this.appendOne(append, index, recordedAt));
  }

  private appendOne({ streamName, events, expectedRevision }: CommitAppend, appendIndex: number, recordedAt: string): AppendResult {
    const head = this.statements.streamHead.get(streamName);
    const current: CurrentRevision = head === undefined ? NO_STREAM : BigInt(head.revision);
    if (!satisfies(expectedRevision, current)) {
      const replay = this.findReplay(streamName, events, expectedRevision);
      if (replay) return replay;
      throw new Refused({ kind: 'wrong-expected-version', appendIndex, actual: current });
    }
    let revision = head === undefined ? 0 : head.revision + 1;
    let prev = head === undefined ? GENESIS_HASH : (head.hash ?? this.legacyTip(streamName));
    let position = 0;
    try {
      for (const event of events) {
        const stamped = { ...(JSON.parse(event.metadataText) as Record<string, unknown>), recordedAt };
        const content = { streamName, revision: BigInt(revision), id: event.id, type: event.type, metadata: stamped };
        const chain = chainLinkOfCanonicalData(prev, content, event.canonicalData ?? canonicalJson(JSON.parse(event.dataText)));
        const info = this.statements.insert.run(streamName, revision, event.id, event.type, event.dataText, JSON.stringify({ ...stamped, chain }));
        position = Number(info.lastInsertRowid);
        prev = chain.hash;
        revision += 1;
      }
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      // An id already in the stream: a whole earlier append retried with ANY, or a mix of old and new.
      const replay = this.findReplay(streamName, events, expectedRevision);
      if (replay) return replay;
      throw new Refused({ kind: 'idempotency-mismatch', appendIndex });
    }
    return { nextExpectedRevision: BigInt(revision - 1), position: BigInt(position) };
  }

  /** The stream's last event has no link (a file from before the chain): link to its history's computed hash. */
  private legacyTip(streamName: string): string {
    return legacyTip(this.statements.wholeStream.all(streamName).map(toRecordedEvent));
  }

  /**
   * The original result when these exact events were already appended, in this order, in one place
   * that the expected revision also allows; otherwise undefined.
   */
  private findReplay(streamName: string, events: readonly CommitEvent[], expected: ExpectedRevision): AppendResult | undefined {
    const stored = events.map((event) => this.statements.storedById.get(streamName, event.id));
    if (stored.some((row) => row === undefined)) return undefined;
    const first = stored[0]!.revision;
    if (stored.some((row, index) => row!.revision !== first + index)) return undefined;
    const allowed =
      expected === ANY ||
      expected === STREAM_EXISTS ||
      (expected === NO_STREAM && first === 0) ||
      (typeof expected === 'bigint' && expected === BigInt(first - 1));
    if (!allowed) return undefined;
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }
}
