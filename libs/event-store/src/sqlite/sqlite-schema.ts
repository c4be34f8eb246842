import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { WRITER_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';

/**
 * Bump with a migration step when the table layout changes; a newer file is refused, never guessed at.
 * 1: the events table. 2: `store_meta` with the store's identity (a file of version 1 is given one on its
 * first writable open).
 */
export const SQLITE_SCHEMA_VERSION = 2;

/**
 * One table: the global position is SQLite's rowid (INTEGER PRIMARY KEY), which only grows because
 * nothing is ever deleted. Per-stream revisions and event ids are unique, as EventStoreDB keeps them.
 */
const CREATE_EVENTS = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY,
    stream    TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    event_id  TEXT    NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream, revision),
    UNIQUE (stream, event_id)
  );
`;

/** Facts about the store itself: `identity`, a random UUID written when the file is created (or migrated). */
const CREATE_STORE_META = `
  CREATE TABLE IF NOT EXISTS store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

const IDENTITY_KEY = 'identity';

/**
 * WAL lets readers (subscriptions, an auditor's copy tool) run beside the writer. synchronous=FULL
 * fsyncs the WAL at every commit, so an acknowledged append survives power loss, not only a crash;
 * group commit is what pays for that fsync.
 *
 * Returns the store's identity, or undefined for a file opened read-only that has none (a file of
 * schema version 1, which a read-only open does not migrate).
 */
export function prepareSqliteFile(db: Database.Database, { readOnly = false }: { readOnly?: boolean } = {}): string | undefined {
  if (readOnly) db.pragma('busy_timeout = 5000');
  else configureWriteConnection(db);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new Error(`event store file has schema version ${version}; this build knows up to ${SQLITE_SCHEMA_VERSION}`);
  }
  if (readOnly) {
    // Read-only (an auditor's copy): the file must already be an event store; nothing is created.
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (table === undefined) throw new Error('not an event store file: it has no events table');
    return readIdentity(db);
  }
  if (version === SQLITE_SCHEMA_VERSION) {
    const identity = readIdentity(db);
    if (identity !== undefined) return identity;
  }
  // One immediate transaction: two processes creating (or migrating) the file at once agree on one identity.
  return db
    .transaction(() => {
      db.exec(CREATE_EVENTS);
      db.exec(CREATE_STORE_META);
      db.prepare('INSERT OR IGNORE INTO store_meta (key, value) VALUES (?, ?)').run(IDENTITY_KEY, randomUUID());
      db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      return readIdentity(db);
    })
    .immediate();
}

/**
 * What every writing connection needs: WAL (kept in the file once set), `synchronous = FULL` (a setting of
 * the connection, not of the file), a wait for the write lock, and checkpoints left to the store's
 * checkpointer thread (`wal-checkpointer.ts`). The store's own connection and its writer thread's
 * connection both come through here.
 */
export function configureWriteConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
}

function readIdentity(db: Database.Database): string | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'").get();
  if (table === undefined) return undefined;
  const row = db.prepare<[string], { value: string }>('SELECT value FROM store_meta WHERE key = ?').get(IDENTITY_KEY);
  return row?.value;
}
