/**
 * The writer thread of a `SqliteEventStore` opened with `writer: 'thread'`: it owns the write connection
 * and runs the group commit (`SqliteCommitter`) off the event loop. Started by `sqlite-writer.ts`, never
 * imported.
 *
 * Entries arrive in messages, in the order the store queued them. Whatever has arrived when a commit ends
 * goes into the next one (up to the per-commit event bound), so the thread never waits for the event loop
 * between commits: while one commit's fsync runs, the next group gathers in the port.
 */
import Database from 'better-sqlite3';
import { MessagePort, isMainThread, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { configureWriteConnection } from './sqlite-schema';
import { CommitEntry, SqliteCommitter, takeBatch } from './sqlite-commit';
import type { ToWriter, WriterData } from './sqlite-writer';

if (isMainThread || parentPort === null) throw new Error('sqlite-writer-thread runs only as the worker of a SqliteEventStore');
const port: MessagePort = parentPort;
const { path, maxEventsPerCommit } = workerData as WriterData;

const db = new Database(path);
configureWriteConnection(db);
const committer = new SqliteCommitter(db);
const pending: CommitEntry[] = [];
let closing = false;

function take(message: ToWriter): void {
  if (message.type === 'entries') for (const entry of message.entries) pending.push(entry);
  else closing = true;
}

function commitWhatIsPending(): void {
  for (;;) {
    for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) take(next.message as ToWriter);
    if (pending.length === 0) break;
    const batch = takeBatch(pending, maxEventsPerCommit);
    try {
      port.postMessage({ type: 'committed', count: batch.length, outcomes: committer.commit(batch) });
    } catch (error) {
      const { message, code } = error as { message?: unknown; code?: unknown };
      port.postMessage({ type: 'failed', count: batch.length, message: String(message ?? error), code: typeof code === 'string' ? code : undefined });
    }
  }
  if (closing) {
    db.close();
    port.postMessage({ type: 'closed' });
    port.close();
  }
}

port.on('message', (message: ToWriter) => {
  take(message);
  commitWhatIsPending();
});
