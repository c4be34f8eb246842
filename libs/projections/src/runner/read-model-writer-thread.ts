/**
 * The writer thread of a `ReadModelStore` (`read-model-writer.ts`): its own connection to the file writes
 * the rows of a save made in slices, in one transaction, off the event loop. Never imported.
 */
import Database from 'better-sqlite3';
import { MessagePort, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type EntryRow, type ModelRows, rowStatements, writeModelRows } from './read-model-rows';
import type { FromRowWriter, ToRowWriter } from './read-model-writer';

if (isMainThread || parentPort === null) throw new Error('read-model-writer-thread runs only as the worker of a ReadModelWriter');
const port: MessagePort = parentPort;
const { path, pragmas } = workerData as { path: string; pragmas: string[] };

const db = new Database(path, { fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);
const statements = rowStatements(db);
/** Stale: a model's rows are changes against a checkpoint the file no longer holds; nothing is written. */
const write = db.transaction((models: ModelRows[]) => models.every((model) => writeModelRows(statements, model)) || rollback());
function rollback(): never {
  throw new StaleRows();
}
class StaleRows extends Error {}

/** The models of the write being received. */
let received: ModelRows[] = [];

port.on('message', (message: ToRowWriter) => {
  if (message.type === 'model') {
    received.push(message.model); // a copy already, made for this thread
  } else if (message.type === 'rows') {
    (received.at(-1)!.rows as EntryRow[]).push(...message.rows);
  } else if (message.type === 'write') {
    const models = received;
    received = [];
    let answer: FromRowWriter;
    try {
      write.immediate(models);
      answer = { type: 'written' };
    } catch (error) {
      answer = error instanceof StaleRows ? { type: 'stale' } : { type: 'failed', message: String((error as Error).message ?? error) };
    }
    port.postMessage(answer);
  } else {
    db.close();
    port.close();
  }
});
