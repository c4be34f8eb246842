import { startWorker } from '@app/event-store';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ModelRows } from './read-model-rows';

export type ToRowWriter = { type: 'write'; models: ModelRows[] } | { type: 'close' };
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

  write(models: ModelRows[]): Promise<'written' | 'stale'> {
    if (this.brokenBy !== undefined) return Promise.reject(this.brokenBy);
    if (this.pending !== undefined) return Promise.reject(new Error('one write at a time'));
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ type: 'write', models } satisfies ToRowWriter);
    });
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
