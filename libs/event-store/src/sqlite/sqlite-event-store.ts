import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ANY,
  AppendResult,
  CurrentRevision,
  EventMetadataInput,
  EventStore,
  ExpectedRevision,
  IdempotencyMismatchError,
  MultiStreamAppend,
  NO_STREAM,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  STREAM_EXISTS,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionFilter,
  WrongExpectedVersionError,
} from '../event-store.port';
import { canonicalJson } from '../canonical-json';
import { GENESIS_HASH, chainLinkOfCanonicalData, legacyTip } from '../hash-chain';
import { appendSequentially, tagAppendIndex } from '../multi-stream-append';
import { assertValidAppend, assertValidAppends, inAppend, toJsonText } from '../proposed-events';
import { prepareSqliteFile } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  /** The database file; its folder is created when missing. */
  path: string;
  /** Source of `recordedAt`; a seam for tests. */
  clock?: () => Date;
  /** Upper bound of events committed in one group-commit transaction. */
  maxEventsPerCommit?: number;
  /** How often an idle subscription looks for events written by another process. */
  pollIntervalMs?: number;
  /**
   * Open an existing file for reading only (an auditor's copy): nothing is created or changed, appends
   * are refused, a missing file is an error rather than a new empty store.
   */
  readOnly?: boolean;
  /**
   * How `appendToStreams` commits. 'atomic' (the default): the whole call in one transaction.
   * 'sequential': one `appendToStream` after the other, as on EventStoreDB, so that tests can prove a
   * protocol that must also be correct without multi-stream atomicity.
   */
  multiStreamAppend?: MultiStreamAppend;
}

/** Counters that show group commit working; read by tests and the benchmark. */
export interface SqliteCommitStats {
  /** Stream appends committed or refused: each append of an `appendToStreams` call counts. */
  appends: number;
  /** Durable commits (transactions, one fsync each). */
  commits: number;
  /** Queue entries: one per `appendToStream` call and one per atomic `appendToStreams` call. */
  entries: number;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** The last event of a stream: its revision and its link's hash (null on an event older than the chain). */
interface StreamHead {
  revision: number;
  hash: string | null;
}

/** One stream append, checked and serialised when the call was made. */
interface PreparedAppend {
  streamName: string;
  events: ProposedEvent[];
  /** The events serialised as they were when the append was called, in order. */
  prepared: PreparedEvent[];
  expectedRevision: ExpectedRevision;
}

interface PreparedEvent {
  id: string;
  type: string;
  dataText: string;
  /** What the chain link covers, made with dataText: the data as it was when the append was called. */
  canonicalData: string;
  /** A JSON copy of the event's metadata. */
  metadata: EventMetadataInput;
}

/**
 * One entry of the group-commit queue: an `appendToStream` call (one append) or an atomic
 * `appendToStreams` call (its appends, committed all or none). Never split across commits.
 */
interface PendingEntry {
  appends: PreparedAppend[];
  /** Events of all its appends: what the per-commit bound counts. */
  eventCount: number;
  /** From `appendToStreams`: a refusal carries the index of its append. */
  indexed: boolean;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

const PAGE_SIZE = 512;
const COLUMNS = 'position, stream, revision, event_id, type, data, metadata';

function toRecordedEvent(row: EventRow): RecordedEvent {
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

/**
 * The same row in raw mode (an array in COLUMNS order), for reads in global order: long reads (rebuilds,
 * catch-ups) skip building an object with seven named properties per row (measured: ~0.5 s per
 * million rows).
 */
type EventTuple = [position: number, stream: string, revision: number, eventId: string, type: string, data: string, metadata: string];

function tupleToRecordedEvent(row: EventTuple): RecordedEvent {
  return {
    id: row[3],
    type: row[4],
    streamName: row[1],
    revision: BigInt(row[2]),
    position: BigInt(row[0]),
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
  };
}

function satisfies(expected: ExpectedRevision, current: CurrentRevision): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return current === NO_STREAM;
  if (expected === STREAM_EXISTS) return current !== NO_STREAM;
  return current === expected;
}

/** Errors that belong to one append of a batch; anything else fails the whole commit. */
function isAppendRejection(error: unknown): boolean {
  return error instanceof WrongExpectedVersionError || error instanceof IdempotencyMismatchError;
}

/**
 * The embedded event store: one SQLite file in WAL mode with durable commits.
 *
 * better-sqlite3 is synchronous, so concurrency inside the process becomes a queue: every entry (an
 * append, or an atomic multi-stream append) waiting when the event loop comes round is committed in
 * one transaction (group commit), each in its own savepoint so one entry's conflict never undoes
 * another's (a one-stream one-event entry needs none: its single INSERT either happens or not).
 * Promises resolve only after the commit returned, i.e. after the WAL was fsynced.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;

  private readonly queue: PendingEntry[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly appendWaiters = new Set<() => void>();
  private readonly stats: SqliteCommitStats = { appends: 0, commits: 0, entries: 0 };

  private readonly statements: ReturnType<SqliteEventStore['prepareStatements']>;

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
    private readonly maxEventsPerCommit: number,
    private readonly pollIntervalMs: number,
    private readonly readOnly: boolean,
    readonly multiStreamAppend: MultiStreamAppend,
    /** Read when the file was opened; undefined only on a read-only open of a file from before identities. */
    private readonly storeIdentity: string | undefined,
  ) {
    this.statements = this.prepareStatements();
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const readOnly = options.readOnly === true;
    const multiStreamAppend = options.multiStreamAppend ?? 'atomic';
    if (multiStreamAppend !== 'atomic' && multiStreamAppend !== 'sequential') {
      throw new Error(`multiStreamAppend must be 'atomic' or 'sequential', not ${String(multiStreamAppend)}`);
    }
    if (!readOnly) mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path, readOnly ? { readonly: true, fileMustExist: true } : {});
    let identity: string | undefined;
    try {
      identity = prepareSqliteFile(db, { readOnly });
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteEventStore(
      db,
      options.clock ?? (() => new Date()),
      options.maxEventsPerCommit ?? 4_096,
      options.pollIntervalMs ?? 250,
      readOnly,
      multiStreamAppend,
      identity,
    );
  }

  /**
   * The identity in the file's `store_meta` table, written when the file was created (or, for a file of
   * schema version 1, on its first writable open). A read-only open of such an older file has none to give.
   */
  identity(): Promise<string> {
    if (this.storeIdentity === undefined) {
      return Promise.reject(
        new Error(
          'this event store file has no identity yet (it was written before schema version 2 and is open read-only); ' +
            'open it once for writing, as the ledger does at start, to give it one',
        ),
      );
    }
    return Promise.resolve(this.storeIdentity);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      // One index probe gives the revision check and the chain's previous hash alike.
      streamHead: db.prepare<[string], StreamHead>(
        "SELECT revision, json_extract(metadata, '$.chain.hash') AS hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1",
      ),
      wholeStream: db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY revision ASC`),
      insert: db.prepare<[string, number, string, string, string, string]>(
        'INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      storedById: db.prepare<[string, string], { revision: number; position: number }>(
        'SELECT revision, position FROM events WHERE stream = ? AND event_id = ?',
      ),
      streamForwards: db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
      ),
      streamBackwards: db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      allForwards: db
        .prepare<[number, number], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE position >= ? ORDER BY position ASC LIMIT ?`)
        .raw(true),
      allBackwards: db
        .prepare<[number, number], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE position <= ? ORDER BY position DESC LIMIT ?`)
        .raw(true),
      lastPosition: db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
  }

  commitStats(): SqliteCommitStats {
    return { ...this.stats };
  }

  appendToStream(
    streamName: string,
    events: ProposedEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.assertWritable();
      const append = this.prepare(streamName, events, options?.expectedRevision);
      this.enqueue({ appends: [append], eventCount: events.length, indexed: false, resolve: ([result]) => resolve(result!), reject }); // one append, one result
    });
  }

  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (this.multiStreamAppend === 'sequential') {
      return appendSequentially(appends, ({ streamName, events, expectedRevision }) =>
        this.appendToStream(streamName, events, { expectedRevision }),
      );
    }
    return new Promise((resolve, reject) => {
      this.assertWritable();
      assertValidAppends(appends);
      const prepared = appends.map((append, index) =>
        inAppend(index, () => this.prepare(append.streamName, append.events, append.expectedRevision)),
      );
      const eventCount = prepared.reduce((sum, append) => sum + append.events.length, 0);
      this.enqueue({ appends: prepared, eventCount, indexed: true, resolve, reject });
    });
  }

  private assertWritable(): void {
    if (this.closed) throw new Error('event store is closed');
    if (this.readOnly) throw new Error('event store is open read-only');
  }

  /** Checks an append and serialises it as it is now; throws InvalidAppendError before anything is queued. */
  private prepare(streamName: string, events: ProposedEvent[], expectedRevision: ExpectedRevision): PreparedAppend {
    assertValidAppend(streamName, events, expectedRevision);
    // Serialised here, not in the commit: metadata JSON cannot carry (a bigint) refuses this append
    // only, instead of failing the whole group commit.
    const prepared = events.map((event, index): PreparedEvent => ({
      id: event.id,
      type: event.type,
      dataText: toJsonText(event.data, `event ${index} data`),
      canonicalData: canonicalJson(event.data),
      metadata: JSON.parse(toJsonText(event.metadata, `event ${index} metadata`)) as EventMetadataInput,
    }));
    return { streamName, events, prepared, expectedRevision };
  }

  private enqueue(entry: PendingEntry): void {
    this.queue.push(entry);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits the entries queued so far in one transaction, up to the per-commit event bound. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const outcomes: Array<{ entry: PendingEntry; outcome: { results: AppendResult[] } | { error: unknown } }> = [];
    try {
      this.db
        .transaction(() => {
          for (const entry of batch) outcomes.push({ entry, outcome: this.commitEntry(entry) });
        })
        .immediate();
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
      this.scheduleFlushIfQueued();
      return;
    }
    this.stats.commits += 1;
    this.stats.entries += batch.length;
    for (const entry of batch) this.stats.appends += entry.appends.length;
    for (const { entry, outcome } of outcomes) {
      if ('results' in outcome) entry.resolve(outcome.results);
      else entry.reject(outcome.error);
    }
    this.wakeSubscriptions();
    this.scheduleFlushIfQueued();
  }

  private scheduleFlushIfQueued(): void {
    if (this.queue.length > 0) this.scheduleFlush();
  }

  /** Whole entries, as many as the bound allows; the first is taken even when it alone exceeds it. */
  private takeBatch(): PendingEntry[] {
    let events = 0;
    let count = 0;
    for (const { eventCount } of this.queue) {
      if (count > 0 && events + eventCount > this.maxEventsPerCommit) break;
      events += eventCount;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  /** One entry of a batch; its refusal leaves nothing of it behind and the batch goes on. */
  private commitEntry(entry: PendingEntry): { results: AppendResult[] } | { error: unknown } {
    try {
      const single = entry.appends.length === 1 && entry.appends[0]?.events.length === 1;
      const results = single ? this.appendAll(entry) : this.db.transaction(() => this.appendAll(entry))();
      return { results };
    } catch (error) {
      if (isAppendRejection(error)) return { error };
      throw error;
    }
  }

  /** The entry's appends in order; a later append to a stream sees the rows an earlier one wrote. */
  private appendAll(entry: PendingEntry): AppendResult[] {
    return entry.appends.map((append, index) => {
      try {
        return this.appendOne(append);
      } catch (error) {
        throw entry.indexed ? tagAppendIndex(error, index) : error;
      }
    });
  }

  private appendOne({ streamName, events, prepared, expectedRevision }: PreparedAppend): AppendResult {
    const head = this.statements.streamHead.get(streamName);
    const current: CurrentRevision = head === undefined ? NO_STREAM : BigInt(head.revision);
    if (!satisfies(expectedRevision, current)) {
      const replay = this.findReplay(streamName, events, expectedRevision);
      if (replay) return replay;
      throw new WrongExpectedVersionError(streamName, expectedRevision, current);
    }
    const recordedAt = this.clock().toISOString();
    let revision = head === undefined ? 0 : head.revision + 1;
    let prev = head === undefined ? GENESIS_HASH : (head.hash ?? this.legacyTip(streamName));
    let position = 0;
    try {
      for (const event of prepared) {
        const stamped = { ...event.metadata, recordedAt };
        const content = { streamName, revision: BigInt(revision), id: event.id, type: event.type, metadata: stamped };
        const chain = chainLinkOfCanonicalData(prev, content, event.canonicalData);
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
      throw new IdempotencyMismatchError(streamName, events.map((event) => event.id));
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
  private findReplay(streamName: string, events: ProposedEvent[], expected: ExpectedRevision): AppendResult | undefined {
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

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let from = options.fromRevision !== undefined ? Number(options.fromRevision) : backwards ? Number.MAX_SAFE_INTEGER : 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const statement = backwards ? this.statements.streamBackwards : this.statements.streamForwards;
    while (remaining > 0) {
      const rows = statement.all(streamName, from, Math.min(PAGE_SIZE, remaining));
      for (const row of rows) yield toRecordedEvent(row);
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || last === undefined) return;
      remaining -= rows.length;
      from = last.revision + (backwards ? -1 : 1);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let from = options.fromPosition !== undefined ? Number(options.fromPosition) : backwards ? Number.MAX_SAFE_INTEGER : 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const statement = backwards ? this.statements.allBackwards : this.statements.allForwards;
    while (remaining > 0) {
      const rows = statement.all(from, Math.min(PAGE_SIZE, remaining));
      for (const row of rows) yield tupleToRecordedEvent(row);
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || last === undefined) return;
      remaining -= rows.length;
      from = last[0] + (backwards ? -1 : 1);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const after = options.fromPosition === undefined || options.fromPosition === START ? 0 : Number(options.fromPosition);
    const page = this.filteredPageQuery(options.filter);
    let closed = false;
    let wake: (() => void) | undefined;
    const store = this;

    async function* deliver(): AsyncGenerator<RecordedEvent> {
      let scannedUpTo = after;
      while (!closed && !store.closed) {
        // Bound each scan by the head as it is now, so filtered-out events are scanned once only.
        const head = store.statements.lastPosition.get()!.position ?? 0;
        const rows = head > scannedUpTo ? page(scannedUpTo, head) : [];
        const last = rows.at(-1);
        if (rows.length === PAGE_SIZE && last !== undefined) {
          scannedUpTo = last[0];
        } else {
          scannedUpTo = Math.max(scannedUpTo, head);
        }
        for (const row of rows) {
          if (closed) return;
          yield tupleToRecordedEvent(row);
        }
        if (rows.length === PAGE_SIZE) continue;
        await store.nextAppendOrPoll((resume) => (wake = resume));
      }
    }

    const iterator = deliver();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        wake?.();
        await iterator.return(undefined);
      },
    };
  }

  /** A page of matching rows after one position and up to another, in global order. */
  private filteredPageQuery(filter: SubscriptionFilter | undefined): (after: number, upTo: number) => EventTuple[] {
    const base = `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ?`;
    const order = `ORDER BY position ASC LIMIT ${PAGE_SIZE}`;
    if (!filter) {
      const statement = this.db.prepare<[number, number], EventTuple>(`${base} ${order}`).raw(true);
      return (after, upTo) => statement.all(after, upTo);
    }
    if ('streamNamePrefixes' in filter) {
      const prefixes = filter.streamNamePrefixes;
      const test = prefixes.map(() => 'substr(stream, 1, ?) = ?').join(' OR ') || '0';
      const args = prefixes.flatMap((prefix) => [prefix.length, prefix]);
      const statement = this.db.prepare<unknown[], EventTuple>(`${base} AND (${test}) ${order}`).raw(true);
      return (after, upTo) => statement.all(after, upTo, ...args);
    }
    const types = filter.eventTypes;
    const statement = this.db
      .prepare<unknown[], EventTuple>(`${base} AND type IN (${types.map(() => '?').join(', ') || 'NULL'}) ${order}`)
      .raw(true);
    return (after, upTo) => statement.all(after, upTo, ...types);
  }

  /** Resolves after the next commit of this process, or after the poll interval for other writers. */
  private nextAppendOrPoll(expose: (resume: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appendWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.appendWaiters.add(done);
      expose(done);
    });
  }

  private wakeSubscriptions(): void {
    for (const waiter of [...this.appendWaiters]) waiter();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    this.db.prepare('SELECT 1').get();
  }

  /** Commits what is queued, ends subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    this.wakeSubscriptions();
    this.db.close();
  }
}
