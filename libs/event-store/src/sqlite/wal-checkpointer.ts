import { join } from 'node:path';
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './sqlite-worker';

/**
 * Checkpoints a SQLite file in WAL mode from a thread of its own, so that its writers need not: a writer
 * whose connection checkpoints (SQLite's default, every 1,000 WAL pages) copies the WAL into the database
 * file and fsyncs it inside a commit, which then takes several times as long (on the event loop, the loop
 * stalls). The writers raise `wal_autocheckpoint` above what the WAL reaches while this thread runs
 * (`WRITER_AUTOCHECKPOINT_PAGES`); the thread runs `wal_checkpoint(PASSIVE)` every `intervalMs`, which never waits for a writer or reader
 * and never makes one wait.
 *
 * A writer starts the WAL over (writes from its start again) at its first transaction after a checkpoint
 * caught up with it. Under steady writes a passive checkpoint seldom does, as commits land while it copies;
 * the WAL then keeps growing. Given `pauseWriters`, the thread asks for a pause once a checkpoint leaves
 * the WAL at `restartAfterFrames` or more, catches up while the writers wait, and lets them go: the next
 * commit starts the WAL over. Without it, the WAL is only started over when the writers pause by themselves.
 *
 * The thread never keeps the process alive; `close` waits for it to end (its connection closed).
 */
export interface WalCheckpointerOptions {
  /** The database file, already in WAL mode. */
  path: string;
  /** Time between passive checkpoints. */
  intervalMs?: number;
  /**
   * Pauses every writer of the file: resolves once none is in a transaction and none will start one until
   * the function it resolves with is called. Must not reject.
   */
  pauseWriters?: () => Promise<() => void>;
  /** WAL frames (pages) from which the writers are paused for a catch-up; only with `pauseWriters`. */
  restartAfterFrames?: number;
}

/** What the thread saw, in WAL frames (pages). */
export interface WalCheckpointStats {
  /** Checkpoints run. */
  runs: number;
  /** The most frames a run found in the WAL. */
  largestWal: number;
  /** The last run: frames in the WAL, and how many of them are now copied into the database file. */
  last?: { log: number; checkpointed: number };
  /** Catch-ups run while the writers were paused (`pauseWriters`). */
  catchUps: number;
  /** Runs that failed (SQLITE_BUSY while another connection recovers the WAL, or worse), and the last reason. */
  failures: number;
  lastFailure?: string;
}

/**
 * `wal_autocheckpoint` of a writing connection whose file has a checkpointer: above what the WAL reaches
 * while the checkpointer runs (about `restartAfterFrames` plus one interval's writes), so the writer does not
 * checkpoint then, yet still bounds the WAL should the checkpointer not run (not started yet, or failed).
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 10_000;

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 100;
/** The WAL's size in bytes from which `startOnceWalGrew` starts a thread (256 pages of 4 KiB). */
export const CHECKPOINTER_AFTER_BYTES = 1 << 20;
/** About 8 MB of WAL in 4 KiB pages. */
export const DEFAULT_RESTART_AFTER_FRAMES = 2_000;

/** What the thread is started with. */
export interface CheckpointerData {
  path: string;
  intervalMs: number;
  /** Absent: never ask for a pause. */
  restartAfterFrames: number | undefined;
}

export type ToCheckpointer = { type: 'checkpoint' } | { type: 'stats' } | { type: 'paused' } | { type: 'close' };
/** `pause`: wants the writers paused (answered by `paused`); `resume`: done with them. */
export type FromCheckpointer = { type: 'stats'; stats: WalCheckpointStats } | { type: 'pause' } | { type: 'resume' };

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (stats: WalCheckpointStats) => void; reject: (error: Error) => void }[] = [];
  private readonly ended: Promise<void>;
  private stopped = false;
  /** Lets the writers go again, while they are paused for this thread. */
  private resume: (() => void) | undefined;

  private constructor(
    data: CheckpointerData,
    private readonly pauseWriters: (() => Promise<() => void>) | undefined,
  ) {
    this.worker = startWorker(join(__dirname, 'wal-checkpointer-thread'), data);
    this.worker.unref();
    this.worker.on('message', (message: FromCheckpointer) => this.receive(message));
    // A thread that failed (the file could not be opened) ends; its writers' own autocheckpoint takes over.
    this.worker.on('error', () => undefined);
    this.ended = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.ended.then(() => {
      this.stopped = true;
      this.letWritersGo();
      for (const { reject } of this.waiting.splice(0)) reject(new Error('the checkpointer thread ended'));
    });
  }

  static start({
    path,
    intervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS,
    pauseWriters,
    restartAfterFrames = DEFAULT_RESTART_AFTER_FRAMES,
  }: WalCheckpointerOptions): WalCheckpointer {
    return new WalCheckpointer({ path, intervalMs, restartAfterFrames: pauseWriters === undefined ? undefined : restartAfterFrames }, pauseWriters);
  }

  /**
   * A checkpointer, once the file's WAL has passed `CHECKPOINTER_AFTER_BYTES`; undefined before (then the
   * writer asks again later), so the many small files of tests start no thread.
   */
  static startOnceWalGrew(options: WalCheckpointerOptions): WalCheckpointer | undefined {
    let walBytes = 0;
    try {
      walBytes = statSync(`${options.path}-wal`).size;
    } catch {
      return undefined; // no WAL file (yet): nothing to checkpoint
    }
    return walBytes < CHECKPOINTER_AFTER_BYTES ? undefined : WalCheckpointer.start(options);
  }

  /** Runs a passive checkpoint now (in the thread), as the interval does; resolves with the thread's figures after it. */
  checkpoint(): Promise<WalCheckpointStats> {
    return this.ask({ type: 'checkpoint' });
  }

  stats(): Promise<WalCheckpointStats> {
    return this.ask({ type: 'stats' });
  }

  /** Stops the checkpoints and resolves once the thread closed its connection and ended. */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.worker.ref();
      this.worker.postMessage({ type: 'close' } satisfies ToCheckpointer);
    }
    await this.ended;
  }

  private ask(message: ToCheckpointer): Promise<WalCheckpointStats> {
    if (this.stopped) return Promise.reject(new Error('the checkpointer is closed'));
    this.worker.ref();
    this.worker.postMessage(message);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private receive(message: FromCheckpointer): void {
    if (message.type === 'pause') {
      void this.pauseWriters!().then((resume) => {
        this.resume = resume;
        if (this.stopped) this.letWritersGo();
        else this.worker.postMessage({ type: 'paused' } satisfies ToCheckpointer);
      });
    } else if (message.type === 'resume') {
      this.letWritersGo();
    } else {
      this.waiting.shift()?.resolve(message.stats);
      if (this.waiting.length === 0) this.worker.unref();
    }
  }

  private letWritersGo(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }
}
