import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { CommitEntry, CommitOutcome } from './sqlite-commit';
import { startWorker } from './sqlite-worker';

/** What the writer thread is started with. */
export interface WriterData {
  path: string;
  maxEventsPerCommit: number;
}

/** Messages to the writer thread, in the order the store queued its entries. */
export type ToWriter = { type: 'entries'; entries: CommitEntry[] } | { type: 'close' };

/**
 * Messages from it: per commit the outcomes of its `count` entries (the oldest sent and not yet answered),
 * or the failure of that transaction; `closed` after everything sent before the close was answered.
 */
export type FromWriter =
  | { type: 'committed'; count: number; outcomes: CommitOutcome[] }
  | { type: 'failed'; count: number; message: string; code: string | undefined }
  | { type: 'closed' };

export interface WriterHandlers {
  committed(count: number, outcomes: CommitOutcome[]): void;
  failed(count: number, error: Error): void;
  /** The thread died or could not start: nothing more will be answered. */
  broken(error: Error): void;
}

/**
 * The event loop's side of the writer thread: sends entries, hands each answer to the store. The thread
 * keeps the process alive only while something sent is unanswered, as a pending commit on the event loop
 * would.
 */
export class WriterThread {
  private readonly worker: Worker;
  private unanswered = 0;
  private closedSignal: (() => void) | undefined;
  private brokenBy: Error | undefined;

  constructor(data: WriterData, private readonly handlers: WriterHandlers) {
    this.worker = startWorker(join(__dirname, 'sqlite-writer-thread'), data);
    this.worker.unref();
    this.worker.on('message', (message: FromWriter) => this.receive(message));
    this.worker.on('error', (error) => this.break(error));
    this.worker.on('exit', (code) => this.break(new Error(`the event store's writer thread stopped (exit code ${code})`)));
  }

  /** Posts entries; each gets an answer, in order. */
  send(entries: CommitEntry[]): void {
    if (this.brokenBy !== undefined) {
      this.handlers.failed(entries.length, this.brokenBy);
      return;
    }
    if (this.unanswered === 0) this.worker.ref();
    this.unanswered += entries.length;
    this.worker.postMessage({ type: 'entries', entries } satisfies ToWriter);
  }

  /** Resolves once everything sent was committed (or refused) and the thread closed its connection and ended. */
  async close(): Promise<void> {
    if (this.brokenBy !== undefined) return;
    this.worker.ref();
    const closed = new Promise<void>((resolve) => (this.closedSignal = resolve));
    this.worker.postMessage({ type: 'close' } satisfies ToWriter);
    await closed;
  }

  private receive(message: FromWriter): void {
    if (message.type === 'closed') {
      this.brokenBy = new Error('event store is closed');
      this.closedSignal?.();
      return;
    }
    this.unanswered -= message.count;
    if (this.unanswered === 0) this.worker.unref();
    if (message.type === 'committed') {
      this.handlers.committed(message.count, message.outcomes);
    } else {
      this.handlers.failed(message.count, Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }));
    }
  }

  private break(error: Error): void {
    if (this.brokenBy !== undefined) return;
    this.brokenBy = error;
    this.closedSignal?.();
    const count = this.unanswered;
    this.unanswered = 0;
    if (count > 0) this.handlers.failed(count, error);
    this.handlers.broken(error);
  }
}
