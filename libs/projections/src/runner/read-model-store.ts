import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the projection runner keeps its read models: one SQLite file of its own (not the event store's),
 * one row per projection holding the model as JSON and the checkpoint it is valid at — the global
 * position of the last event folded into it. Model and checkpoint are one row written in one
 * transaction, so a crash leaves either the old pair or the new one, never a model with another
 * model's checkpoint; `save` writes every projection of a snapshot in the same transaction.
 *
 * Durability as the event store's: WAL with synchronous=FULL (a returned `save` survives power loss).
 */

export const DEFAULT_READ_MODELS_PATH = './data/read-models.db';

/**
 * Bump when the table or a model's shape changes. A file from an older build is emptied on open (its
 * models have other shapes: the runner and the publisher fold again from the start); a file from a
 * newer build is refused. 2: tables as hash tries, bonds and refunds one entry each.
 */
export const READ_MODEL_SCHEMA_VERSION = 2;

export interface ReadModelStoreOptions {
  /** The database file; its folder is created when missing. Default `./data/read-models.db`. */
  path?: string;
}

export interface StoredReadModel<M = unknown> {
  readonly model: M;
  /** The position of the last event folded into the model; undefined when it has seen none. */
  readonly position: bigint | undefined;
}

export interface ReadModelEntry {
  readonly name: string;
  /** Plain JSON (the projections' contract); stored with `JSON.stringify`. */
  readonly model: unknown;
  readonly position: bigint | undefined;
}

interface Row {
  position: string | null;
  model: string;
}

const CREATE = `
  CREATE TABLE IF NOT EXISTS read_models (
    name     TEXT PRIMARY KEY NOT NULL,
    position TEXT,
    model    TEXT NOT NULL
  );
`;

export class ReadModelStore {
  private readonly select: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string | null, string]>;
  private readonly saveAll: (entries: readonly ReadModelEntry[]) => void;
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    this.select = db.prepare<[string], Row>('SELECT position, model FROM read_models WHERE name = ?');
    this.upsert = db.prepare<[string, string | null, string]>(
      'INSERT INTO read_models (name, position, model) VALUES (?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET position = excluded.position, model = excluded.model',
    );
    const write = db.transaction((entries: readonly ReadModelEntry[]) => {
      for (const { name, model, position } of entries) {
        if (typeof name !== 'string' || name === '') throw new TypeError('a read model needs a name');
        const text = JSON.stringify(model);
        if (text === undefined) throw new TypeError(`read model ${name} is not JSON`);
        this.upsert.run(name, position === undefined ? null : position.toString(), text);
      }
    });
    this.saveAll = (entries) => write.immediate(entries);
  }

  static open(options: ReadModelStoreOptions = {}): ReadModelStore {
    const path = options.path ?? DEFAULT_READ_MODELS_PATH;
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > READ_MODEL_SCHEMA_VERSION) {
        throw new Error(`read model file has schema version ${version}; this build knows up to ${READ_MODEL_SCHEMA_VERSION}`);
      }
      db.transaction(() => {
        if (version < READ_MODEL_SCHEMA_VERSION) db.exec('DROP TABLE IF EXISTS read_models');
        db.exec(CREATE);
        db.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION}`);
      }).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    return new ReadModelStore(db);
  }

  /** The stored model and its checkpoint, or undefined when this projection was never saved. */
  load<M = unknown>(name: string): StoredReadModel<M> | undefined {
    this.assertOpen();
    const row = this.select.get(name);
    if (!row) return undefined;
    return { model: JSON.parse(row.model) as M, position: row.position === null ? undefined : BigInt(row.position) };
  }

  /** Writes every entry, model and checkpoint together, in one durable transaction: all or none. */
  save(entries: readonly ReadModelEntry[]): void {
    this.assertOpen();
    this.saveAll(entries);
  }

  /** The names of the stored read models, sorted. */
  names(): string[] {
    this.assertOpen();
    return this.db
      .prepare<[], { name: string }>('SELECT name FROM read_models ORDER BY name')
      .all()
      .map((row) => row.name);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read model store is closed');
  }
}
