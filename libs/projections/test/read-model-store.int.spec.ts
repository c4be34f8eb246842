import { type Table, emptyTable, tableEntries, tableGet, tableSet, tableSize } from '@app/domain';
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { Checkpointed } from '../src/projection';
import { ReadModelStore } from '../src/runner';
import { buildHistory } from './history';
import { PRODUCT_PROJECTIONS, tempFolder } from './runner-helpers';

const history = buildHistory({ lots: 6, biddersPerLot: 6, seed: 3 });

type Models = { name: string; model: Checkpointed }[];

/** Every product model after the first `count` events of the history, folded on from `from` (the models after `from.count`). */
function modelsAfter(count: number, from: { count: number; models: Models } = { count: 0, models: [] }): Models {
  return PRODUCT_PROJECTIONS.map((projection, index) => {
    let model: Checkpointed = from.models[index]?.model ?? projection.initial;
    for (const event of history.slice(from.count, count)) model = projection.apply(model, event);
    return { name: projection.name, model };
  });
}

const saveAll = (store: ReadModelStore, models: { name: string; model: Checkpointed }[], position: bigint) =>
  store.save(models.map(({ name, model }) => ({ name, model, position })));

let files: ReturnType<typeof tempFolder>;
let stores: ReadModelStore[];

beforeEach(() => {
  files = tempFolder('ledger-read-models-');
  stores = [];
});

afterEach(() => {
  for (const store of stores) store.close();
  files.remove();
});

function open(storeIdentity?: string): ReadModelStore {
  const store = ReadModelStore.open({ path: files.path('read-models.db'), ...(storeIdentity === undefined ? {} : { storeIdentity }) });
  stores.push(store);
  return store;
}

describe('ReadModelStore', () => {
  it('reads back every model as saved, also after saves of later versions that write only what changed', () => {
    const store = open();
    let previous = { count: 0, models: modelsAfter(0) };
    for (const count of [0, 40, 41, 200, Math.floor(history.length / 2), history.length]) {
      const models = modelsAfter(count, previous);
      previous = { count, models };
      saveAll(store, models, BigInt(count));
      const reader = open();
      for (const { name, model } of models) expect({ name, stored: reader.load(name) }).toStrictEqual({ name, stored: { model, position: BigInt(count) } });
    }
  });

  it('saves in slices: the event loop has turns while the rows are made, and the file changes at once at the end', async () => {
    const store = open();
    const half = Math.floor(history.length / 2);
    saveAll(store, modelsAfter(half), BigInt(half));
    const models = modelsAfter(history.length);
    const reader = open();
    const seen: Array<bigint | undefined> = [];
    let turns = true;
    const watch = () => {
      if (!turns) return;
      seen.push(reader.load('bonds')?.position);
      setImmediate(watch);
    };
    setImmediate(watch);
    const saved = await store.saveInSlices(
      models.map(({ name, model }) => ({ name, model, position: BigInt(history.length) })),
      { sliceMs: 0 },
    );
    turns = false;
    expect(saved.written).toBe(true);
    // Other work ran between the slices and saw the file as it was, then (once the one transaction
    // committed, in the store's thread) as it is now: never anything in between.
    const before = seen.filter((position) => position === BigInt(half)).length;
    expect(before).toBeGreaterThan(3);
    expect(seen).toEqual([...Array(before).fill(BigInt(half)), ...Array(seen.length - before).fill(BigInt(history.length))]);
    for (const { name, model } of models) expect({ name, stored: open().load(name) }).toStrictEqual({ name, stored: { model, position: BigInt(history.length) } });
  });

  it('saves in slices a model of thousands of changed entries whole (its rows reach the thread in parts)', async () => {
    const store = open();
    let rows: Table<{ n: number }> = emptyTable();
    for (let n = 0; n < 2_500; n += 1) rows = tableSet(rows, `row-${n}`, { n });
    expect(await store.saveInSlices([{ name: 'many', model: { rows, kind: 'many' }, position: 7n }], { sliceMs: 0 })).toMatchObject({ written: true });
    expect(open().load('many')).toStrictEqual({ model: { rows, kind: 'many' }, position: 7n });
  });

  it('saves in slices whole what another writer moved on meanwhile (its rows of changes do not apply)', async () => {
    const mine = open();
    const other = open();
    saveAll(mine, modelsAfter(40), 40n);
    saveAll(other, modelsAfter(200), 200n);
    const final = modelsAfter(history.length);
    const saved = await mine.saveInSlices(
      final.map(({ name, model }) => ({ name, model, position: BigInt(history.length) })),
      { sliceMs: 0 },
    );
    expect(saved.written).toBe(true);
    for (const { name, model } of final) expect({ name, stored: open().load(name) }).toStrictEqual({ name, stored: { model, position: BigInt(history.length) } });
  });

  it('saves in slices nothing when told not to proceed, and refuses a second save meanwhile', async () => {
    const store = open();
    saveAll(store, modelsAfter(40), 40n);
    const later = modelsAfter(history.length).map(({ name, model }) => ({ name, model, position: BigInt(history.length) }));
    const saving = store.saveInSlices(later, { sliceMs: 0, proceed: () => false });
    expect(() => store.save(later)).toThrow(/in progress/);
    expect(await saving).toMatchObject({ written: false });
    expect(open().load('bonds')?.position).toBe(40n);
    // What was not written is not the base of the next save: it writes what changed since 40.
    saveAll(store, modelsAfter(history.length), BigInt(history.length));
    for (const { name, model } of modelsAfter(history.length)) expect(open().load(name)?.model).toStrictEqual(model);
  });

  it("leaves the WAL's checkpoints to a thread: a save past SQLite's 1,000 pages copies nothing into the file itself", () => {
    const store = open();
    let rows: Table<string> = emptyTable();
    for (let n = 0; n < 6_000; n += 1) rows = tableSet(rows, `row-${n}`, 'x'.repeat(1_000));
    store.save([{ name: 'big', model: { rows }, position: 1n }]);
    expect(statSync(files.path('read-models.db-wal')).size).toBeGreaterThan(1_000 * 4_096);
    // The WAL index header's nBackfill (offset 96): frames copied into the database file, none by the save.
    expect(readFileSync(files.path('read-models.db-shm')).readUInt32LE(96)).toBe(0);
  });

  it('waits for a lock another thread holds on a new file instead of failing (the runner and the publisher thread open it at once)', async () => {
    const path = files.path('read-models.db');
    // Another thread creates the file and holds it locked for 300 ms, as a first opener does.
    const holder = new Worker(
      `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
       const { parentPort, workerData } = require('node:worker_threads');
       const db = new Database(workerData);
       db.exec('BEGIN EXCLUSIVE');
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
      { eval: true, workerData: path },
    );
    await new Promise((resolve) => holder.once('message', resolve));
    // Waits (better-sqlite3's busy timeout, 5 s) rather than failing with SQLITE_BUSY.
    const store = ReadModelStore.open({ path, storeIdentity: 'store-a' });
    stores.push(store);
    expect(store.storeIdentity).toBe('store-a');
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('keeps one row per table entry and rewrites only the entries that changed', () => {
    const store = open();
    const half = modelsAfter(Math.floor(history.length / 2));
    saveAll(store, half, 1n);
    const raw = new Database(files.path('read-models.db'));
    const rows = (name: string, field: string) =>
      (raw.prepare('SELECT COUNT(*) AS n FROM read_model_entries WHERE name = ? AND field = ?').get(name, field) as { n: number }).n;
    const bonds = half.find(({ name }) => name === 'bonds')!.model as unknown as { bonds: Table<unknown> };
    expect(rows('bonds', 'bonds')).toBe(tableSize(bonds.bonds));
    // Mark every stored entry; a save of a later version must replace the marks of changed entries only.
    raw.prepare("UPDATE read_model_entries SET value = json_set(value, '$.__mark', 1) WHERE json_type(value) = 'object'").run();
    const full = modelsAfter(history.length, { count: Math.floor(history.length / 2), models: half });
    saveAll(store, full, 2n);
    const after = full.find(({ name }) => name === 'bonds')!.model as unknown as { bonds: Table<unknown> };
    const unchanged = new Set<boolean>();
    for (const [bondId, bond] of tableEntries(after.bonds)) {
      const value = raw.prepare("SELECT value FROM read_model_entries WHERE name = 'bonds' AND field = 'bonds' AND key = ?").pluck().get(bondId) as string;
      unchanged.add(tableGet(bonds.bonds, bondId) === bond);
      expect({ bondId, marked: JSON.parse(value).__mark === 1 }).toEqual({ bondId, marked: tableGet(bonds.bonds, bondId) === bond });
    }
    expect(unchanged).toEqual(new Set([true, false])); // both kinds were there to check
    raw.close();
  });

  it('rewrites a model whole when another writer saved it since (stored checkpoint not the one it knows)', () => {
    const first = open();
    const second = open();
    const early = { count: 100, models: modelsAfter(100) };
    saveAll(first, early.models, 100n);
    // The other writer's version has an entry the first store's next version (folded on from its own) lacks.
    const other = early.models.map(({ name, model }) =>
      name === 'bonds' ? { name, model: { ...model, bonds: tableSet((model as unknown as { bonds: Table<unknown> }).bonds, 'B-bogus', {}) } } : { name, model },
    );
    saveAll(second, other, 300n);
    const latest = modelsAfter(history.length, early);
    saveAll(first, latest, 400n);
    const reader = open();
    for (const { name, model } of latest) expect({ name, stored: reader.load(name)?.model }).toStrictEqual({ name, stored: model });
  });

  describe('the event store it is built from', () => {
    const STORE_A = '6f1c9a52-3b1e-4d0a-9e55-0d6c1a7f2b01';
    const STORE_B = 'b2e7d1c4-8a90-4f3e-a6d2-5c1b9e0f7a12';
    const someModels = () => modelsAfter(80);
    /** The Kafka publisher's rows live in the same file (`kafka-publisher/…`). */
    const publisherRow = { name: 'kafka-publisher/balances', model: { position: '80' }, position: 80n };

    function fill(store: ReadModelStore): void {
      store.save([...someModels().map(({ name, model }) => ({ name, model, position: 80n })), publisherRow]);
    }

    function recordedIdentity(): string | undefined {
      const raw = new Database(files.path('read-models.db'), { readonly: true });
      try {
        return (raw.prepare("SELECT value FROM read_model_meta WHERE key = 'store_identity'").get() as { value: string } | undefined)?.value;
      } finally {
        raw.close();
      }
    }

    it('adopts a new file: records the identity, discards nothing', () => {
      const store = open(STORE_A);
      expect(store.storeIdentity).toBe(STORE_A);
      expect(store.discarded).toBeUndefined();
      expect(recordedIdentity()).toBe(STORE_A);
    });

    it('keeps everything when opened again for the same store', () => {
      fill(open(STORE_A));
      const again = open(STORE_A);
      expect(again.discarded).toBeUndefined();
      expect(again.names()).toEqual([...PRODUCT_PROJECTIONS.map((p) => p.name), publisherRow.name].sort());
      expect(again.load('bonds')?.position).toBe(80n);
      expect(again.load(publisherRow.name)).toEqual({ model: publisherRow.model, position: 80n });
    });

    it('discards everything, publisher rows included, when opened for another store, and records the new one', () => {
      fill(open(STORE_A));
      const other = open(STORE_B);
      expect(other.discarded).toEqual({ previousIdentity: STORE_A });
      expect(other.storeIdentity).toBe(STORE_B);
      expect(other.names()).toEqual([]);
      expect(other.load('bonds')).toBeUndefined();
      const raw = new Database(files.path('read-models.db'), { readonly: true });
      expect(raw.prepare('SELECT COUNT(*) AS n FROM read_model_entries').get()).toEqual({ n: 0 });
      raw.close();
      expect(recordedIdentity()).toBe(STORE_B);
      // The store that came second is the file's now: opened again for it, nothing more is discarded.
      fill(other);
      expect(open(STORE_B).discarded).toBeUndefined();
    });

    it('discards a file from before identities that holds models', () => {
      fill(open());
      expect(recordedIdentity()).toBeUndefined();
      const adopted = open(STORE_A);
      expect(adopted.discarded).toEqual({});
      expect(adopted.names()).toEqual([]);
      expect(recordedIdentity()).toBe(STORE_A);
    });

    it('adopts a file from before identities that holds nothing, without reporting a discard', () => {
      open().close();
      const adopted = open(STORE_A);
      expect(adopted.discarded).toBeUndefined();
      expect(recordedIdentity()).toBe(STORE_A);
    });

    it('adopts a file recorded for another store that holds nothing, without reporting a discard', () => {
      open(STORE_A);
      const adopted = open(STORE_B);
      expect(adopted.discarded).toBeUndefined();
      expect(adopted.storeIdentity).toBe(STORE_B);
    });

    it('without a store identity, keeps whatever the file holds and records nothing (tools, tests)', () => {
      fill(open(STORE_A));
      const tool = open();
      expect(tool.discarded).toBeUndefined();
      expect(tool.storeIdentity).toBe(STORE_A);
      expect(tool.load('bonds')?.position).toBe(80n);
      fill(tool);
      expect(recordedIdentity()).toBe(STORE_A);
    });

    it('refuses an empty store identity', () => {
      expect(() => ReadModelStore.open({ path: files.path('read-models.db'), storeIdentity: '' })).toThrow(TypeError);
    });
  });
});
