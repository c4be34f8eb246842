import { startWorker } from '@app/event-store';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { EntryRow, ModelRows } from './read-model-rows';

/** Rows per message to the thread. */
const ROWS_PER_MESSAGE = 1_000;

/**
 * A write is sent in parts, so that no one message costs the event loop long to copy: each model (`model`,
 * its first rows), more of its rows (`rows`), then `write`, which writes all of them in one transaction.
 */
export type ToRowWriter = { type: 'model'; model: ModelRows } | { type: 'rows'; rows: EntryRow[] } | { type: 'write' } | { type: 'close' };
/** `stale`: a model's rows were changes against a checkpoint the file no longer holds; nothing was written. */
export type FromRowWriter = { type: 'written' } | { type: 'stale' } | { type: 'failed'; message: string };

/**
 * A thread with its own connection to a read-model file that writes a save's rows in one transaction
 * (`read-model-writer-thread.ts`), so the event loop does not. One write at a time; the thread keeps the
 * process alive only while a write is unanswered.
 */
export class ReadModelWriter {
  private readonly worker: Worker;
  private pending: { resolve: (outcome: 'written' | 'stale') => void; reject: (error: Error) => void } | undefined;
  private readonly ended: Promise<void>;
  private brokenBy: Error | undefined;

  constructor(path: string, pragmas: readonly string[]) {
    this.worker = startWorker(join(__dirname, 'read-model-writer-thread'), { path, pragmas });
    this.worker.unref();
    this.worker.on('message', (message: FromRowWriter) => this.receive(message));
    this.worker.on('error', (error) => this.break(error));
    this.ended = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.ended.then(() => this.break(new Error('the read-model writer thread ended')));
  }

  /** Sends the models' rows in parts, awaiting `between()` after each, then has them written in one transaction. */
  async write(models: readonly ModelRows[], between: () => Promise<void>): Promise<'written' | 'stale'> {
    if (this.brokenBy !== undefined) throw this.brokenBy;
    if (this.pending !== undefined) throw new Error('one write at a time');
    this.worker.ref();
    const answered = new Promise<'written' | 'stale'>((resolve, reject) => (this.pending = { resolve, reject }));
    try {
      for (const model of models) {
        this.post({ type: 'model', model: { ...model, rows: model.rows.slice(0, ROWS_PER_MESSAGE) } });
        for (let from = ROWS_PER_MESSAGE; from < model.rows.length; from += ROWS_PER_MESSAGE) {
          await between();
          this.post({ type: 'rows', rows: model.rows.slice(from, from + ROWS_PER_MESSAGE) });
        }
        await between();
      }
      this.post({ type: 'write' });
    } catch (error) {
      this.break(error instanceof Error ? error : new Error(String(error)));
    }
    return answered;
  }

  private post(message: ToRowWriter): void {
    if (this.brokenBy !== undefined) throw this.brokenBy;
    this.worker.postMessage(message);
  }

  /** Resolves once the thread has closed its connection and ended (after the write in progress, if any). */
  async close(): Promise<void> {
    if (this.brokenBy === undefined) this.worker.postMessage({ type: 'close' } satisfies ToRowWriter);
    await this.ended;
  }

  private receive(message: FromRowWriter): void {
    const pending = this.pending;
    this.pending = undefined;
    this.worker.unref();
    if (message.type === 'failed') pending?.reject(new Error(message.message));
    else pending?.resolve(message.type);
  }

  private break(error: Error): void {
    this.brokenBy ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
