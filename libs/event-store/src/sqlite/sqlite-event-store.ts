import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  IdempotencyMismatchError,
  MultiStreamAppend,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionFilter,
  WrongExpectedVersionError,
} from '../event-store.port';
import { canonicalJson } from '../canonical-json';
import { appendSequentially, tagAppendIndex } from '../multi-stream-append';
import { assertValidAppend, assertValidAppends, inAppend, toJsonText } from '../proposed-events';
import { CommitAppend, CommitEntry, CommitOutcome, CommitRefusal, EventRow, SqliteCommitter, takeBatch, toRecordedEvent } from './sqlite-commit';
import { prepareSqliteFile } from './sqlite-schema';
import { WriterThread } from './sqlite-writer';
import { DEFAULT_CHECKPOINT_INTERVAL_MS, WalCheckpointer } from './wal-checkpointer';

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
  /**
   * Where the group commit runs. 'inline' (the default): on the event loop, as better-sqlite3 is
   * synchronous, so a commit's inserts, hash-chain links and fsync block it. 'thread': in a worker thread
   * that owns the write connection (what the service uses, `openEventStore`); the event loop only checks
   * and serialises appends, and reads on its own connection. Starting the thread costs ~50 ms (more when
   * run from the TypeScript sources), hence not the default for the many short-lived stores of tests
   * and tools. Ignored when `readOnly`.
   */
  writer?: 'inline' | 'thread';
  /**
   * How often the store's checkpointer thread checkpoints the WAL (`wal-checkpointer.ts`). The thread
   * starts once the WAL passes `CHECKPOINTER_AFTER_BYTES` (1 MiB), so the many small stores of tests never
   * start it. Ignored when `readOnly`.
   */
  walCheckpointIntervalMs?: number;
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

/**
 * One entry of the group-commit queue (`CommitEntry`: an `appendToStream` call, or an atomic
 * `appendToStreams` call, serialised when the call was made) and its caller.
 */
interface PendingEntry {
  entry: CommitEntry;
  /** What the per-commit bound counts (the entry's). */
  eventCount: number;
  /** From `appendToStreams`: a refusal carries the index of its append. */
  indexed: boolean;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

const PAGE_SIZE = 512;
const COLUMNS = 'position, stream, revision, event_id, type, data, metadata';

/** Commits between two looks at the WAL's size, until the checkpointer runs. */
const WAL_LOOK_EVERY_COMMITS = 16;

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

/** The port's error for a refused append of an entry, made from the caller's own copy of the append. */
function refusalError({ entry, indexed }: PendingEntry, refusal: CommitRefusal): Error {
  const append = entry.appends[refusal.appendIndex]!;
  const error =
    refusal.kind === 'wrong-expected-version'
      ? new WrongExpectedVersionError(append.streamName, append.expectedRevision, refusal.actual)
      : new IdempotencyMismatchError(append.streamName, append.events.map((event) => event.id));
  if (indexed) tagAppendIndex(error, refusal.appendIndex);
  return error;
}

/**
 * The embedded event store: one SQLite file in WAL mode with durable commits.
 *
 * better-sqlite3 is synchronous, so concurrency inside the process becomes a queue: every entry (an
 * append, or an atomic multi-stream append) waiting when the event loop comes round is committed in
 * one transaction (group commit, `SqliteCommitter`), each in its own savepoint so one entry's conflict
 * never undoes another's. With `writer: 'thread'` the queue goes to the writer thread instead, which
 * commits whatever has reached it each time its previous commit ends. Promises resolve only after the
 * commit returned, i.e. after the WAL was fsynced; reads run on the event loop's own connection, which
 * sees every commit answered so far (WAL). Checkpoints (copying the WAL into the file) run in a thread of
 * their own (`wal-checkpointer.ts`), not inside commits.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;

  private readonly queue: PendingEntry[] = [];
  /** Sent to the writer thread and not answered yet, oldest first. */
  private readonly sent: PendingEntry[] = [];
  private flushScheduled = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly appendWaiters = new Set<() => void>();
  /** Counts `wakeSubscriptions`: a subscription that read it before its scan knows whether a commit came since. */
  private wakes = 0;
  private readonly commitListeners = new Set<() => void>();
  private readonly stats: SqliteCommitStats = { appends: 0, commits: 0, entries: 0 };

  private readonly statements: ReturnType<SqliteEventStore['prepareStatements']>;
  /** Exactly one of these commits: on the event loop, or in the writer thread (absent when read-only). */
  private readonly committer: SqliteCommitter | undefined;
  private readonly writer: WriterThread | undefined;
  private writerBroken: Error | undefined;
  private checkpointer: WalCheckpointer | undefined;
  /** The commits are paused (`pauseWriters`): entries wait in the queue. */
  private writersPaused = false;
  /** Called once the writer thread answered everything sent, when a pause waits for that. */
  private pauseReached: (() => void) | undefined;

  private constructor(
    private readonly db: Database.Database,
    /** Only a clock given in the options: without one, `recordedAt` is the time of the commit. */
    private readonly clock: (() => Date) | undefined,
    private readonly maxEventsPerCommit: number,
    private readonly pollIntervalMs: number,
    private readonly readOnly: boolean,
    readonly multiStreamAppend: MultiStreamAppend,
    /** Read when the file was opened; undefined only on a read-only open of a file from before identities. */
    private readonly storeIdentity: string | undefined,
    private readonly path: string,
    writer: 'inline' | 'thread',
    private readonly walCheckpointIntervalMs: number,
  ) {
    this.statements = this.prepareStatements();
    if (readOnly) return;
    if (writer === 'inline') {
      this.committer = new SqliteCommitter(db);
    } else {
      this.writer = new WriterThread(
        { path, maxEventsPerCommit },
        {
          committed: (count, outcomes) => this.settle(this.sent.splice(0, count), outcomes),
          failed: (count, error) => this.fail(this.sent.splice(0, count), error),
          broken: (error) => (this.writerBroken = error),
        },
      );
    }
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const readOnly = options.readOnly === true;
    const multiStreamAppend = options.multiStreamAppend ?? 'atomic';
    if (multiStreamAppend !== 'atomic' && multiStreamAppend !== 'sequential') {
      throw new Error(`multiStreamAppend must be 'atomic' or 'sequential', not ${String(multiStreamAppend)}`);
    }
    const writer = options.writer ?? 'inline';
    if (writer !== 'inline' && writer !== 'thread') throw new Error(`writer must be 'inline' or 'thread', not ${String(writer)}`);
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
      options.clock,
      options.maxEventsPerCommit ?? 4_096,
      options.pollIntervalMs ?? 250,
      readOnly,
      multiStreamAppend,
      identity,
      options.path,
      writer,
      options.walCheckpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
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
      this.enqueue({ entry: { appends: [append], eventCount: events.length }, eventCount: events.length, indexed: false, resolve: ([result]) => resolve(result!), reject }); // one append, one result
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
      this.enqueue({ entry: { appends: prepared, eventCount }, eventCount, indexed: true, resolve, reject });
    });
  }

  private assertWritable(): void {
    if (this.closed) throw new Error('event store is closed');
    if (this.readOnly) throw new Error('event store is open read-only');
    if (this.writerBroken !== undefined) throw this.writerBroken;
  }

  /** Checks an append and serialises it as it is now; throws InvalidAppendError before anything is queued. */
  private prepare(streamName: string, events: ProposedEvent[], expectedRevision: ExpectedRevision): CommitAppend {
    assertValidAppend(streamName, events, expectedRevision);
    // Serialised here, not in the commit: data or metadata JSON cannot carry (a bigint) refuses this
    // append only, instead of failing the whole group commit; and what is stored and hashed is the event
    // as it was when the append was called. The data's canonical JSON is left to the writer thread.
    const inline = this.writer === undefined;
    return {
      streamName,
      expectedRevision,
      events: events.map((event, index) => ({
        id: event.id,
        type: event.type,
        dataText: toJsonText(event.data, `event ${index} data`),
        ...(inline ? { canonicalData: canonicalJson(event.data) } : {}),
        metadataText: toJsonText(event.metadata, `event ${index} metadata`),
      })),
    };
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

  /**
   * Inline: commits the entries queued so far in one transaction, up to the per-commit event bound.
   * Thread: sends all of them to the writer thread at once (it applies the bound).
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.writersPaused) return;
    if (this.clock !== undefined) {
      const recordedAt = this.clock().toISOString();
      for (const pending of this.queue) pending.entry.recordedAt ??= recordedAt;
    }
    if (this.writer !== undefined) {
      const batch = this.queue.splice(0, this.queue.length);
      this.sent.push(...batch);
      this.writer.send(batch.map((pending) => pending.entry));
      return;
    }
    const batch = takeBatch(this.queue, this.maxEventsPerCommit);
    let outcomes: CommitOutcome[];
    try {
      outcomes = this.committer!.commit(batch.map((pending) => pending.entry)); // not read-only, not threaded: inline
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    this.settle(batch, outcomes);
  }

  /** One commit's entries answered, counted, and subscriptions woken: a read from now on sees them. */
  private settle(batch: PendingEntry[], outcomes: CommitOutcome[]): void {
    this.stats.commits += 1;
    this.stats.entries += batch.length;
    batch.forEach((pending, index) => {
      this.stats.appends += pending.entry.appends.length;
      const outcome = outcomes[index]!;
      if ('results' in outcome) pending.resolve(outcome.results);
      else pending.reject(refusalError(pending, outcome.refused));
    });
    this.wakeSubscriptions();
    for (const listener of this.commitListeners) listener();
    this.reachPauseWhenAllAnswered();
    this.scheduleFlushIfQueued();
    if (this.checkpointer === undefined && this.stats.commits % WAL_LOOK_EVERY_COMMITS === 0) this.startCheckpointerOnceWalGrew();
  }

  /** The checkpointer thread, once the WAL is large enough to be worth it (see `walCheckpointIntervalMs`). */
  private startCheckpointerOnceWalGrew(): void {
    if (this.closed) return;
    this.checkpointer = WalCheckpointer.startOnceWalGrew({
      path: this.path,
      intervalMs: this.walCheckpointIntervalMs,
      pauseWriters: () => this.pauseWriters(),
    });
  }

  /**
   * The checkpointer's pause: no commit starts until the returned function is called; resolves once no
   * commit runs (inline: at once, as none runs while the event loop does this; thread: once the thread
   * answered everything sent). Appends meanwhile wait in the queue, the event loop goes on. Close ends it.
   * Public for the race tests only (apps/ledger/test/support/races), which pause here at the points their
   * scheduler chooses; nothing else should call it.
   */
  pauseWriters(): Promise<() => void> {
    const resume = () => {
      this.writersPaused = false;
      this.scheduleFlushIfQueued();
    };
    if (this.closed || this.closing !== undefined) return Promise.resolve(() => undefined);
    this.writersPaused = true;
    return new Promise((resolve) => {
      this.pauseReached = () => resolve(resume);
      this.reachPauseWhenAllAnswered();
    });
  }

  private reachPauseWhenAllAnswered(): void {
    if (this.sent.length > 0 || this.pauseReached === undefined) return;
    const reached = this.pauseReached;
    this.pauseReached = undefined;
    reached();
  }

  /** A transaction failed whole: nothing of these entries was written. */
  private fail(batch: PendingEntry[], error: unknown): void {
    batch.forEach((pending) => pending.reject(error));
    this.reachPauseWhenAllAnswered();
    this.scheduleFlushIfQueued();
  }

  private scheduleFlushIfQueued(): void {
    if (this.queue.length > 0) this.scheduleFlush();
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
        const wakes = store.wakes;
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
        await store.nextAppendOrPoll(wakes, (resume) => (wake = resume));
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

  /**
   * Resolves after the next commit of this process (at once if one came since `wakes` was read: it may
   * not be in the rows read), or after the poll interval for other writers.
   */
  private nextAppendOrPoll(wakes: number, expose: (resume: () => void) => void): Promise<void> {
    if (wakes !== this.wakes) return Promise.resolve();
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
    this.wakes += 1;
    for (const waiter of [...this.appendWaiters]) waiter();
  }

  /** Calls `listener` after each commit of this store; returns its removal. */
  onCommit(listener: () => void): () => void {
    const own = () => listener(); // the same function added twice stays two listeners
    this.commitListeners.add(own);
    return () => this.commitListeners.delete(own);
  }

  /**
   * Idle subscriptions look for new events now, not at their next poll: for a reader (a read-only store
   * in another thread) told by the writer's `onCommit` that events were committed.
   */
  lookForAppends(): void {
    this.wakeSubscriptions();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    if (this.writerBroken !== undefined) throw this.writerBroken;
    this.db.prepare('SELECT 1').get();
  }

  /** Commits what is queued, ends subscriptions, then closes the file (and stops the writer and checkpointer threads). */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.writersPaused = false; // what is queued is committed now; the checkpointer closes after
    if (this.writer === undefined) {
      while (this.queue.length > 0) this.flush();
      this.closed = true;
    } else {
      this.flush();
      this.closed = true; // appends from now on are refused; what was queued is in the thread's hands
      await this.writer.close();
    }
    this.wakeSubscriptions();
    this.db.close();
    // Last: its connection, closing after the others, checkpoints what is left in its thread.
    await this.checkpointer?.close();
  }
}
