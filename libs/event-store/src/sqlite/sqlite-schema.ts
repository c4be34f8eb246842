import Database from 'better-sqlite3';

/** Bump with a migration step when the table layout changes; a newer file is refused, never guessed at. */
export const SQLITE_SCHEMA_VERSION = 1;

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

/**
 * WAL lets readers (subscriptions, an auditor's copy tool) run beside the writer. synchronous=FULL
 * fsyncs the WAL at every commit, so an acknowledged append survives power loss, not only a crash;
 * group commit is what pays for that fsync.
 */
export function prepareSqliteFile(db: Database.Database, { readOnly = false }: { readOnly?: boolean } = {}): void {
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new Error(`event store file has schema version ${version}; this build knows up to ${SQLITE_SCHEMA_VERSION}`);
  }
  if (readOnly) {
    // Read-only (an auditor's copy): the file must already be an event store; nothing is created.
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (table === undefined) throw new Error('not an event store file: it has no events table');
    return;
  }
  db.exec(CREATE_EVENTS);
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
}
