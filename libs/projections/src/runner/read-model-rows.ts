import type Database from 'better-sqlite3';

/**
 * Writing a read model's rows, shared by the read-model store on the event loop and its writer thread
 * (`read-model-writer-thread.ts`): the statements, and one model's rows inside a transaction.
 */

/** One entry of a table to set (its value as JSON) or, with undefined, to delete. */
export type EntryRow = readonly [field: string, key: string, json: string | undefined];

/** A model's rows as they are written: only the entries changed since the file held `basePosition`, or every entry. */
export interface ModelRows {
  readonly name: string;
  /** The model without its tables, as JSON. */
  readonly text: string;
  readonly position: string | null;
  /** JSON list of the fields that are tables. */
  readonly tablesText: string;
  /** The rows are the changes since the file held this checkpoint; absent: they are every entry. */
  readonly since?: { readonly position: string | null };
  readonly rows: readonly EntryRow[];
}

export function rowStatements(db: Database.Database) {
  return {
    position: db.prepare<[string], { position: string | null }>('SELECT position FROM read_models WHERE name = ?'),
    upsertModel: db.prepare<[string, string | null, string, string]>(
      'INSERT INTO read_models (name, position, model, tables) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET position = excluded.position, model = excluded.model, tables = excluded.tables',
    ),
    upsertEntry: db.prepare<[string, string, string, string]>(
      'INSERT INTO read_model_entries (name, field, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
    ),
    deleteEntry: db.prepare<[string, string, string]>('DELETE FROM read_model_entries WHERE name = ? AND field = ? AND key = ?'),
    deleteEntries: db.prepare<[string]>('DELETE FROM read_model_entries WHERE name = ?'),
  };
}

/**
 * One model's rows, inside a transaction. Rows made as changes apply only to the file they were made
 * against: if it holds another checkpoint (another writer, or nothing read yet), the model's entries are
 * written whole from `everyRow`; without it, nothing is written and the answer is false.
 */
export function writeModelRows(statements: ReturnType<typeof rowStatements>, model: ModelRows, everyRow?: () => readonly EntryRow[]): boolean {
  const { name, since } = model;
  let rows = model.rows;
  if (since !== undefined) {
    const stored = statements.position.get(name);
    if (!stored || stored.position !== since.position) {
      if (everyRow === undefined) return false;
      statements.deleteEntries.run(name);
      rows = everyRow();
    }
  } else {
    statements.deleteEntries.run(name);
  }
  for (const [field, key, json] of rows) {
    if (json === undefined) statements.deleteEntry.run(name, field, key);
    else statements.upsertEntry.run(name, field, key, json);
  }
  statements.upsertModel.run(name, model.position, model.text, model.tablesText);
  return true;
}
