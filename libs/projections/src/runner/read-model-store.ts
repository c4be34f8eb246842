import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Table, emptyTable, isTable, tableDiff, tableEntries, tableSet } from '@app/domain';
import { WRITER_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '@app/event-store';
import { type EntryRow, type ModelRows, rowStatements, writeModelRows } from './read-model-rows';
import { ReadModelWriter } from './read-model-writer';

/**
 * Where the projection runner keeps its read models: one SQLite file of its own (not the event store's).
 * Per read model, one row holds the checkpoint it is valid at (the global position of the last event
 * folded into it) and the model's plain fields; each entry of each of its tables (`Table`: accounts,
 * bonds, refunds…) is a row of its own. A save writes, per table, only the entries that changed since
 * the version this store last wrote or read for that name (`tableDiff` skips what the two versions
 * share), so a snapshot costs what changed, not the size of the models.
 *
 * Everything `save` is given is written in one transaction, checkpoints included: a crash leaves
 * either the old models with their checkpoints or the new ones, never a mix. One writer per read-model
 * name: a save that finds the stored checkpoint is not the one this store last wrote or read (another
 * writer, or none read yet) rewrites that model's entries whole.
 *
 * The file holds only what the event store can give again, so a save is atomic but not fsynced (WAL with
 * synchronous=NORMAL): a power loss may take the file back to an earlier save, whose models and
 * checkpoints are consistent and are folded forward again (the Kafka publisher re-sends from its
 * checkpoint: at least once). A process crash loses nothing a save returned. Once its WAL has grown, a
 * thread checkpoints it (`WalCheckpointer`), not the saves. A save in slices is written by a thread of
 * its own (`ReadModelWriter`), off the event loop.
 *
 * The file records the identity of the event store its models are built from (`EventStore.identity()`,
 * table `read_model_meta`). Opened for a store (`storeIdentity`), a file that holds rows recorded for
 * another store, or for none (a file from before identities), is emptied, models and the Kafka
 * publisher's rows alike, and the open says so (`discarded`): they are folded again from the start.
 */

export const DEFAULT_READ_MODELS_PATH = './data/read-models.db';

/**
 * Bump when the tables or a model's shape change. A file from an older build is emptied on open (its
 * models have other shapes: the runner and the publisher fold again from the start); a file from a
 * newer build is refused. 2: tables as hash tries, bonds and refunds one entry each; 3: one row per
 * table entry; 4: the balances model's master accounts keyed by bank and number (`{bankCode}:{accountNo}`,
 * was the number alone), which also makes the Kafka publisher publish again from the start (the
 * balances topic moved to `.v2`, docs/topics.md). The `read_model_meta` table (the store identity) came
 * without a bump: it is added to a file of version 4 when opened, and a file without an identity is
 * treated as built from an unknown store (`ReadModelStoreOptions.storeIdentity`). 5: the refund queue's
 * `overdue` table (RefundOverdue, issue #14). 6: the lot statements model (`lot-statements`, issue #16). 7: the bonds model's lot bond ids one entry
 * each (`lotBondIds`), instead of a list per lot, and the basic-account conflicts model's accounts a table,
 * the refund queue's lot refund ids one entry each (issue #17).
 * 8: the bonds model's bond count per lot a table (`lotBondCounts`), no longer a field of its lot.
 */
export const READ_MODEL_SCHEMA_VERSION = 8;

export interface ReadModelStoreOptions {
  /** The database file; its folder is created when missing. Default `./data/read-models.db`. */
  path?: string;
  /**
   * The identity of the event store the models are built from (`EventStore.identity()`). Given, the file
   * keeps only rows built from that store: rows recorded for another store or for none are discarded
   * on open (see `discarded`), then the identity is recorded. Left out (tools and tests that open the
   * file without a store), the rows are kept whatever they were built from and nothing is recorded.
   */
  storeIdentity?: string;
}

/** What an open emptied: the rows of a file built from another event store. */
export interface DiscardedReadModels {
  /** The identity the rows were recorded for; undefined for a file from before identities. */
  readonly previousIdentity?: string;
}

export interface StoredReadModel<M = unknown> {
  readonly model: M;
  /** The position of the last event folded into the model; undefined when it has seen none. */
  readonly position: bigint | undefined;
}

export interface ReadModelEntry {
  readonly name: string;
  /** Plain JSON (the projections' contract): its tables stored entry by entry, the rest with `JSON.stringify`. */
  readonly model: unknown;
  readonly position: bigint | undefined;
}

interface ModelRow {
  position: string | null;
  /** The model as JSON, each table field written as null. */
  model: string;
  /** JSON list of the fields that are tables. */
  tables: string;
}

type Model = { readonly [field: string]: unknown };

/** What the file holds for a read model, as this store last wrote or read it: the base of the next save. */
interface Written {
  readonly position: string | null;
  readonly model: Model;
  readonly tables: readonly string[];
}

/** A model's rows, made before the save's transaction, with what it keeps as the base of the next save. */
interface PreparedModel extends ModelRows {
  readonly written: Written;
}

/** The connection settings of every writer of the file (`open`, the writer thread). */
const WRITE_PRAGMAS = ['synchronous = NORMAL', `wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`, 'busy_timeout = 5000'];

/** Rows made between two checks of the clock in `saveInSlices` (it also checks before each table). */
const ROWS_PER_CHECK = 64;

const CREATE = `
  CREATE TABLE IF NOT EXISTS read_models (
    name     TEXT PRIMARY KEY NOT NULL,
    position TEXT,
    model    TEXT NOT NULL,
    tables   TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS read_model_entries (
    name  TEXT NOT NULL,
    field TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, field, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS read_model_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
  );
`;

const STORE_IDENTITY_KEY = 'store_identity';

function jsonOf(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON`);
  return text;
}

export class ReadModelStore {
  private readonly statements;
  private readonly writeAll: (models: readonly PreparedModel[]) => void;
  private readonly written = new Map<string, Written>();
  /** Started by a save once the WAL has grown. */
  private checkpointer: WalCheckpointer | undefined;
  /** Started by the first save in slices. */
  private writer: ReadModelWriter | undefined;
  /** A `saveInSlices` is making its rows: the bases in `written` must stay as they are until it writes. */
  private slicing = false;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    /** The identity of the event store the file's rows are recorded for; undefined when none is. */
    readonly storeIdentity: string | undefined,
    /** Set when this open emptied the file: its rows were built from another event store (or an unknown one). */
    readonly discarded: DiscardedReadModels | undefined,
  ) {
    this.statements = {
      model: db.prepare<[string], ModelRow>('SELECT position, model, tables FROM read_models WHERE name = ?'),
      entries: db.prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM read_model_entries WHERE name = ? AND field = ?'),
    };
    const statements = rowStatements(db);
    const writeEvery = (prepared: PreparedModel) => {
      const { model, tables } = prepared.written;
      writeModelRows(statements, prepared, () => finish(entryRows(prepared.name, model, tables, undefined)));
    };
    const write = db.transaction((models: readonly PreparedModel[]) => models.forEach(writeEvery));
    this.writeAll = (models) => {
      write.immediate(models);
      this.wrote(models);
    };
  }

  static open(options: ReadModelStoreOptions = {}): ReadModelStore {
    const path = options.path ?? DEFAULT_READ_MODELS_PATH;
    const { storeIdentity } = options;
    if (storeIdentity !== undefined && (typeof storeIdentity !== 'string' || storeIdentity === '')) {
      throw new TypeError('storeIdentity must be a non-empty string');
    }
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      for (const pragma of WRITE_PRAGMAS) db.pragma(pragma);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > READ_MODEL_SCHEMA_VERSION) {
        throw new Error(`read model file has schema version ${version}; this build knows up to ${READ_MODEL_SCHEMA_VERSION}`);
      }
      // One immediate transaction: of two openers for the same store (the runner and the publisher of
      // one process) the first adopts the file, the second finds its identity recorded.
      const { recorded, discarded } = db
        .transaction(() => {
          if (version < READ_MODEL_SCHEMA_VERSION) db.exec('DROP TABLE IF EXISTS read_models; DROP TABLE IF EXISTS read_model_entries');
          db.exec(CREATE);
          db.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION}`);
          return ReadModelStore.adopt(db, storeIdentity);
        })
        .immediate();
      return new ReadModelStore(db, path, recorded, discarded);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Inside the open's transaction: with a store identity that is not the one recorded, empties a file
   * that holds anything (reporting it), then records the identity.
   */
  private static adopt(
    db: Database.Database,
    storeIdentity: string | undefined,
  ): { recorded: string | undefined; discarded: DiscardedReadModels | undefined } {
    const row = db.prepare<[string], { value: string }>('SELECT value FROM read_model_meta WHERE key = ?').get(STORE_IDENTITY_KEY);
    const recorded = row?.value;
    if (storeIdentity === undefined || storeIdentity === recorded) return { recorded, discarded: undefined };
    const holdsRows =
      db.prepare('SELECT 1 FROM read_models LIMIT 1').get() !== undefined ||
      db.prepare('SELECT 1 FROM read_model_entries LIMIT 1').get() !== undefined;
    let discarded: DiscardedReadModels | undefined;
    if (holdsRows) {
      db.exec('DELETE FROM read_models; DELETE FROM read_model_entries');
      discarded = recorded === undefined ? {} : { previousIdentity: recorded };
    }
    db.prepare('INSERT INTO read_model_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      STORE_IDENTITY_KEY,
      storeIdentity,
    );
    return { recorded: storeIdentity, discarded };
  }

  /** The stored model and its checkpoint, or undefined when this projection was never saved. */
  load<M = unknown>(name: string): StoredReadModel<M> | undefined {
    this.assertOpen();
    const row = this.statements.model.get(name);
    if (!row) return undefined;
    const model = JSON.parse(row.model) as Record<string, unknown>;
    const tables = JSON.parse(row.tables) as string[];
    for (const field of tables) {
      // The layout of a table depends on its content only, so this is the table that was saved.
      let table: Table<unknown> = emptyTable();
      for (const { key, value } of this.statements.entries.iterate(name, field)) table = tableSet(table, key, JSON.parse(value));
      model[field] = table;
    }
    this.written.set(name, { position: row.position, model, tables });
    return { model: model as M, position: row.position === null ? undefined : BigInt(row.position) };
  }

  /** Writes every entry, model and checkpoint together, in one transaction: all or none. */
  save(entries: readonly ReadModelEntry[]): void {
    this.assertOpen();
    this.assertNotSlicing();
    this.writeAll(entries.map((entry) => finish(this.prepare(entry))));
  }

  /**
   * `save`, with the JSON made in slices of about `sliceMs` between which the event loop has its turn,
   * and the rows written in one transaction by the store's writer thread. The models are immutable, so the rows are
   * the models as given, whatever is folded meanwhile. Before the write it asks `proceed`: false leaves
   * the file as it was. Answers whether it wrote, and the ms it ran on the event loop (its slices).
   */
  async saveInSlices(
    entries: readonly ReadModelEntry[],
    options: { sliceMs: number; proceed?: () => boolean },
  ): Promise<{ written: boolean; busyMs: number }> {
    this.assertOpen();
    this.assertNotSlicing();
    this.slicing = true;
    try {
      let busyMs = 0;
      let sliceStarted = performance.now();
      /** When this save last worked on the event loop: the wait for the thread is not busy time. */
      let workedAt = sliceStarted;
      /** Ends the slice, giving the event loop a turn, once it has run `sliceMs`. */
      const turn = async () => {
        workedAt = performance.now();
        if (workedAt - sliceStarted < options.sliceMs) return;
        busyMs += workedAt - sliceStarted;
        await new Promise((resolve) => setImmediate(resolve));
        this.assertOpen();
        sliceStarted = workedAt = performance.now();
      };
      const models: PreparedModel[] = [];
      for (const entry of entries) {
        const steps = this.prepare(entry);
        let step = steps.next();
        while (!step.done) {
          await turn();
          step = steps.next();
        }
        models.push(step.value);
      }
      const written = options.proceed?.() ?? true;
      if (!written) return { written, busyMs: busyMs + performance.now() - sliceStarted };
      this.writer ??= new ReadModelWriter(this.path, WRITE_PRAGMAS);
      const wire = models.map(({ written: _, ...rows }): ModelRows => rows);
      // Handing the rows to the thread costs the event loop too: in parts, with its turns between them.
      const outcome = await this.writer.write(wire, turn);
      busyMs += workedAt - sliceStarted;
      if (outcome === 'stale') {
        // Another writer moved a model on: written whole, here (it does not happen in one process).
        const started = performance.now();
        this.writeAll(models);
        busyMs += performance.now() - started;
      } else {
        this.wrote(models);
      }
      return { written, busyMs };
    } finally {
      this.slicing = false;
    }
  }

  /** The names of the stored read models, sorted. */
  names(): string[] {
    this.assertOpen();
    return this.db
      .prepare<[], { name: string }>('SELECT name FROM read_models ORDER BY name')
      .all()
      .map((row) => row.name);
  }

  /** Closes the file; its checkpointer thread, if one runs, ends by itself (it never keeps the process alive). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    void this.writer?.close();
    void this.checkpointer?.close();
  }

  /** A model's rows, made outside the transaction; yields now and then so a caller can let others run. */
  private *prepare({ name, model, position }: ReadModelEntry): Generator<void, PreparedModel> {
    if (typeof name !== 'string' || name === '') throw new TypeError('a read model needs a name');
    if (model === null || typeof model !== 'object' || Array.isArray(model)) throw new TypeError(`read model ${name} is not a JSON object`);
    const fields = model as Model;
    const tables = Object.keys(fields).filter((field) => isTable(fields[field]));
    const shell: Record<string, unknown> = { ...fields };
    for (const field of tables) shell[field] = null;
    const text = jsonOf(shell, `read model ${name}`);
    const checkpoint = position === undefined ? null : position.toString();

    const written = this.written.get(name);
    const base = written && written.tables.join('\n') === tables.join('\n') ? written : undefined;
    const rows = yield* entryRows(name, fields, tables, base);
    return {
      name,
      text,
      position: checkpoint,
      tablesText: JSON.stringify(tables),
      ...(base ? { since: { position: base.position } } : {}),
      rows,
      written: { position: checkpoint, model: fields, tables },
    };
  }

  /** After the transaction committed: the bases of the next save. */
  private wrote(models: readonly PreparedModel[]): void {
    for (const { name, written } of models) this.written.set(name, written);
    this.checkpointer ??= WalCheckpointer.startOnceWalGrew({ path: this.path });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read model store is closed');
  }

  private assertNotSlicing(): void {
    if (this.slicing) throw new Error('a save is in progress on this read model store');
  }
}

/** The rows that set a model's tables: the entries changed since `base`, or every entry without one. */
function* entryRows(name: string, fields: Model, tables: readonly string[], base: Written | undefined): Generator<void, EntryRow[]> {
  const rows: EntryRow[] = [];
  for (const field of tables) {
    yield;
    const table = fields[field] as Table<unknown>;
    const changes: [string, unknown][] = base ? [] : tableEntries(table);
    if (base) tableDiff(base.model[field] as Table<unknown>, table, (key, value) => changes.push([key, value]));
    // Key order: the table's order is the hash's, and inserting in the primary key's order instead keeps
    // SQLite's B-tree writes local (measured: a full write of 534,336 entries 6.0 s in hash order, 2.7 s in key order).
    changes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, value] of changes) {
      rows.push([field, key, value === undefined ? undefined : jsonOf(value, `read model ${name}, ${field} ${key}`)]);
      if (rows.length % ROWS_PER_CHECK === 0) yield;
    }
  }
  return rows;
}

/** Runs a generator to its end and answers its result. */
function finish<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}
