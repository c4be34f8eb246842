/**
 * The thread of a `WalCheckpointer` (`wal-checkpointer.ts`): its own connection to the file runs a passive
 * checkpoint every `intervalMs` and whenever asked, and one more while the writers are paused when the WAL
 * has reached `restartAfterFrames`. Started by `wal-checkpointer.ts`, never imported.
 */
import Database from 'better-sqlite3';
import { MessagePort, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CheckpointerData, FromCheckpointer, ToCheckpointer, WalCheckpointStats } from './wal-checkpointer';

if (isMainThread || parentPort === null) throw new Error('wal-checkpointer-thread runs only as the worker of a WalCheckpointer');
const port: MessagePort = parentPort;
const { path, intervalMs, restartAfterFrames } = workerData as CheckpointerData;

const db = new Database(path, { fileMustExist: true });
// A checkpoint fsyncs the database file before the WAL may be written over, unless synchronous is OFF.
db.pragma('synchronous = FULL');
const stats: WalCheckpointStats = { runs: 0, largestWal: 0, catchUps: 0, failures: 0 };
/** Asked for a pause of the writers and not done with it yet. */
let pausing = false;

/** PASSIVE: copies what no reader still needs, never waits for the writer or readers, never blocks them. */
function checkpoint(): void {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    if (row === undefined || row.log < 0) return; // not in WAL mode
    stats.runs += 1;
    stats.largestWal = Math.max(stats.largestWal, row.log);
    stats.last = { log: row.log, checkpointed: row.checkpointed };
  } catch (error) {
    stats.failures += 1;
    stats.lastFailure = String((error as Error).message ?? error);
  }
}

/** A checkpoint, then a pause of the writers if it left the WAL long though it grew since the last run. */
function run(): void {
  const before = stats.last?.log;
  checkpoint();
  const log = stats.last?.log;
  if (restartAfterFrames === undefined || pausing || log === undefined || log < restartAfterFrames || log === before) return;
  pausing = true;
  port.postMessage({ type: 'pause' } satisfies FromCheckpointer);
}

const timer = setInterval(run, intervalMs);

port.on('message', (message: ToCheckpointer) => {
  if (message.type === 'checkpoint') {
    run();
    port.postMessage({ type: 'stats', stats } satisfies FromCheckpointer);
  } else if (message.type === 'paused') {
    // No writer in a transaction: this run copies the rest of the WAL, and the next commit starts it over.
    checkpoint();
    stats.catchUps += 1;
    pausing = false;
    port.postMessage({ type: 'resume' } satisfies FromCheckpointer);
  } else if (message.type === 'stats') {
    port.postMessage({ type: 'stats', stats } satisfies FromCheckpointer);
  } else {
    clearInterval(timer);
    db.close();
    port.close();
  }
});
