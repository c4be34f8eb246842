/**
 * `npm run bench:store` — the embedded event store against the raw better-sqlite3 ceiling, measured
 * in the same run on the same machine with the same durability (WAL, synchronous=FULL) and the same
 * table. Not a test: it prints figures for docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS per phase (default 5), BENCH_READ_EVENTS (default 200000).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProposedEvent, SqliteEventStore } from '@app/event-store';
import { prepareSqliteFile } from '../libs/event-store/src/sqlite/sqlite-schema';
import { creditEvent, storeAppendRate } from './support/store-load';

const PHASE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1_000;
const READ_EVENTS = Number(process.env.BENCH_READ_EVENTS ?? 200_000);
const WRITERS = 64;

const folder = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
let files = 0;
const freshFile = () => join(folder, `bench-${(files += 1)}.db`);

interface Row {
  stream: string;
  revision: number;
  event: ProposedEvent;
}

function openRaw(): { db: Database.Database; insert: Database.Statement } {
  const db = new Database(freshFile());
  prepareSqliteFile(db);
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  return { db, insert };
}

function insertRaw(insert: Database.Statement, { stream, revision, event }: Row): void {
  const metadata = JSON.stringify({ ...event.metadata, recordedAt: new Date().toISOString() });
  insert.run(stream, revision, event.id, event.type, JSON.stringify(event.data), metadata);
}

/** Raw ceiling: the same rows, `rowsPerTransaction` to a durable commit, for one phase's time. */
function rawInsertRate(rowsPerTransaction: number): number {
  const { db, insert } = openRaw();
  const commit = db.transaction((rows: Row[]) => rows.forEach((row) => insertRaw(insert, row)));
  const revisions = new Array<number>(WRITERS).fill(0);
  let rows = 0;
  const started = performance.now();
  while (performance.now() - started < PHASE_MS) {
    const batch = Array.from({ length: rowsPerTransaction }, (_, i) => {
      const writer = (rows + i) % WRITERS;
      const revision = revisions[writer] ?? 0;
      revisions[writer] = revision + 1;
      return { stream: `w${writer}`, revision, event: creditEvent() };
    });
    commit(batch);
    rows += rowsPerTransaction;
  }
  const rate = rows / ((performance.now() - started) / 1_000);
  db.close();
  return rate;
}

/** Fills a file with READ_EVENTS events through the raw path (fast), for both read measurements. */
function fillForReading(): string {
  const path = freshFile();
  const db = new Database(path);
  prepareSqliteFile(db);
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  db.pragma('synchronous = OFF'); // filling is set-up, not a measured phase
  db.transaction(() => {
    for (let i = 0; i < READ_EVENTS; i += 1) insertRaw(insert, { stream: `s${i % 1000}`, revision: Math.floor(i / 1000), event: creditEvent() });
  })();
  db.close();
  return path;
}

function rawReadRate(path: string): number {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  let rows = 0;
  for (const _row of db.prepare('SELECT position, stream, revision, event_id, type, data, metadata FROM events ORDER BY position').iterate()) rows += 1;
  const rate = rows / ((performance.now() - started) / 1_000);
  db.close();
  return rate;
}

async function storeReadRate(path: string): Promise<number> {
  const store = SqliteEventStore.open({ path });
  const started = performance.now();
  let events = 0;
  for await (const _event of store.readAll()) events += 1;
  const rate = events / ((performance.now() - started) / 1_000);
  await store.close();
  if (events !== READ_EVENTS) throw new Error(`read ${events} events, expected ${READ_EVENTS}`);
  return rate;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`;

async function main(): Promise<void> {
  console.log(`# event store benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${PHASE_MS / 1000} s per phase`);

  const raw1 = rawInsertRate(1);
  const one = await storeAppendRate(freshFile(), 1, PHASE_MS);
  const raw64 = rawInsertRate(WRITERS);
  const many = await storeAppendRate(freshFile(), WRITERS, PHASE_MS);
  const rawAllInOne = rawInsertRate(4_096);
  const path = fillForReading();
  const rawRead = rawReadRate(path);
  const storeRead = await storeReadRate(path);

  console.log('');
  console.log('| measure | store | raw better-sqlite3 ceiling | store / ceiling |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| appends/s, 1 writer (1 event per durable commit) | ${fmt(one.rate)} | ${fmt(raw1)} (1 row per commit) | ${pct(one.rate, raw1)} |`);
  console.log(`| appends/s, ${WRITERS} concurrent writers (group commit, ${one.eventsPerCommit.toFixed(0)}→${many.eventsPerCommit.toFixed(1)} events/commit) | ${fmt(many.rate)} | ${fmt(raw64)} (${WRITERS} rows per commit) | ${pct(many.rate, raw64)} |`);
  console.log(`| (for scale) raw inserts, 4,096 rows per commit | | ${fmt(rawAllInOne)} | ${pct(many.rate, rawAllInOne)} |`);
  console.log(`| read-all events/s (${fmt(READ_EVENTS)} events, JSON parsed) | ${fmt(storeRead)} | ${fmt(rawRead)} (rows, not parsed) | ${pct(storeRead, rawRead)} |`);
  rmSync(folder, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  rmSync(folder, { recursive: true, force: true });
  process.exit(1);
});
