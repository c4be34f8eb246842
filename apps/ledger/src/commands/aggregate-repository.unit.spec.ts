import { Logger } from '@nestjs/common';
import { Decider, ruleBroken } from '@app/domain';
import { ANY, RecordedEvent, SqliteEventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerMetrics } from '../metrics/ledger-metrics';
import { AggregateRepository } from './aggregate-repository';
import { CommandContext, eventMetadata } from './command-context';
import { RejectionError } from './rejection-error';

interface Increment {
  by: number;
}
type Incremented = { type: 'Incremented'; data: { by: number } };

/** Adds positive steps; a step of 0 changes nothing; a negative one breaks a rule. */
const counter: Decider<Increment, Incremented, number> = {
  initialState: 0,
  decide: ({ by }) =>
    by < 0 ? ruleBroken('NEGATIVE_STEP', 'steps must not be negative', 'by') : by === 0 ? [] : [{ type: 'Incremented', data: { by } }],
  evolve: (total, event) => total + event.data.by,
};

const CONTEXT: CommandContext = { correlationId: 'req-1', causationId: 'key-1', actor: 'anonymous' };

describe('AggregateRepository (SQLite store)', () => {
  // No app here to route the repository's debug lines to pino; Nest's console logger would print them.
  beforeAll(() => Logger.overrideLogger(false));
  let folder: string;
  let store: SqliteEventStore;
  let repository: AggregateRepository;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-repository-'));
    store = SqliteEventStore.open({ path: join(folder, 'ledger.db') });
    repository = new AggregateRepository(store, new LedgerMetrics());
  });

  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function recorded(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    return events;
  }

  it('remembers a stream’s state and reads only what was appended since, by itself or by another writer', async () => {
    await repository.execute('counter-r', counter, () => ({ by: 2 }), CONTEXT);
    // Another replica appends behind this repository's back.
    await store.appendToStream('counter-r', [{ id: randomUUID(), type: 'Incremented', data: { by: 40 }, metadata: eventMetadata(CONTEXT) }], { expectedRevision: 0n });
    const reads: Array<bigint | undefined> = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push(options?.fromRevision);
      return readStream(stream, options);
    });
    expect(await repository.load('counter-r', counter)).toMatchObject({ state: 42, revision: 1n });
    const next = await repository.execute('counter-r', counter, () => ({ by: 1 }), CONTEXT);
    expect(next).toMatchObject({ state: 43, revision: 2n });
    expect(await repository.load('counter-r', counter)).toMatchObject({ state: 43, revision: 2n });
    // The load caught up from revision 1; the command then appended on that state without a read.
    expect(reads).toEqual([1n, 3n]);
  });

  it('re-decides on a fresh read when the remembered state is behind another writer: lost race, refusal or no-op', async () => {
    const behindByForty = async (stream: string) => {
      await repository.execute(stream, counter, () => ({ by: 2 }), CONTEXT);
      await store.appendToStream(stream, [{ id: randomUUID(), type: 'Incremented', data: { by: 40 }, metadata: eventMetadata(CONTEXT) }], { expectedRevision: 0n });
    };
    // Appending on the stale state loses the race; the retry sees 42.
    await behindByForty('counter-race');
    const seen: number[] = [];
    await repository.execute('counter-race', counter, (total) => (seen.push(total), { by: 1 }), CONTEXT);
    expect(seen).toEqual([2, 42]);
    expect(await repository.load('counter-race', counter)).toMatchObject({ state: 43, revision: 2n });

    // The stale state (2) would refuse; the fresh one (42) accepts.
    await behindByForty('counter-refusal');
    const accepted = await repository.execute('counter-refusal', counter, (total) => ({ by: total >= 42 ? 1 : -1 }), CONTEXT);
    expect(accepted).toMatchObject({ state: 43, revision: 2n });

    // The stale state (2) would change nothing; the fresh one (42) appends.
    await behindByForty('counter-noop');
    const appended = await repository.execute('counter-noop', counter, (total) => ({ by: total >= 42 ? 1 : 0 }), CONTEXT);
    expect(appended).toMatchObject({ events: [{ type: 'Incremented', data: { by: 1 } }], state: 43, revision: 2n });
    expect(await recorded('counter-noop')).toHaveLength(3);
  });

  it('loads an absent stream as the initial state with no revision', async () => {
    expect(await repository.load('counter-none', counter)).toEqual({ state: 0, revision: 'no_stream', position: undefined });
  });

  it('decides, appends with metadata and replays', async () => {
    const first = await repository.execute('counter-a', counter, () => ({ by: 2 }), CONTEXT);
    expect(first).toEqual({ events: [{ type: 'Incremented', data: { by: 2 } }], state: 2, revision: 0n, position: expect.any(BigInt) });

    const second = await repository.execute('counter-a', counter, (total) => ({ by: total + 1 }), CONTEXT);
    expect(second).toMatchObject({ events: [{ type: 'Incremented', data: { by: 3 } }], state: 5, revision: 1n });
    expect(second.position).toBeGreaterThan(first.position!);

    expect(await repository.load('counter-a', counter)).toEqual({ state: 5, revision: 1n, position: second.position });
    const [event] = await recorded('counter-a');
    expect(event).toMatchObject({
      type: 'Incremented',
      data: { by: 2 },
      metadata: { correlationId: 'req-1', causationId: 'key-1', actor: 'anonymous', schemaVersion: 1, recordedAt: expect.any(String) },
    });
  });

  it('uses the caller’s deterministic event ids', async () => {
    const id = '0b6c5b52-3a8e-4c3e-9a57-1f7d2c1e9a10';
    await repository.execute('counter-ids', counter, () => ({ by: 1 }), CONTEXT, { eventId: () => id });
    expect((await recorded('counter-ids')).map((event) => event.id)).toEqual([id]);
  });

  it('appends nothing for an empty decision', async () => {
    const before = await repository.execute('counter-b', counter, () => ({ by: 4 }), CONTEXT);
    const result = await repository.execute('counter-b', counter, () => ({ by: 0 }), CONTEXT);
    expect(result).toEqual({ events: [], state: 4, revision: 0n, position: before.position });
    expect(await recorded('counter-b')).toHaveLength(1);
  });

  it('throws the rejection and appends nothing', async () => {
    const attempt = repository.execute('counter-c', counter, () => ({ by: -1 }), CONTEXT);
    await expect(attempt).rejects.toThrow(RejectionError);
    await expect(attempt).rejects.toMatchObject({
      rejection: { kind: 'BUSINESS_RULE', code: 'NEGATIVE_STEP', field: 'by' },
    });
    expect(await recorded('counter-c')).toEqual([]);
  });

  it('runs concurrent commands on one stream one after the other in this process', async () => {
    const seen: number[] = [];
    const build = async (total: number): Promise<Increment> => {
      seen.push(total);
      await new Promise((resolve) => setImmediate(resolve));
      return { by: 1 };
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => repository.execute('counter-q', counter, build, CONTEXT)));
    // Each command saw the one before it: no lost race, no retry.
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.map((result) => result.revision)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
  });

  it('lets commands of two processes on one stream both succeed, the loser retrying on fresh state', async () => {
    // A second repository over the same file stands for another replica. Both commands are built only
    // once both have read, so both read the empty stream.
    const replica = new AggregateRepository(store, new LedgerMetrics());
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const seen: number[] = [];
    const build = async (total: number): Promise<Increment> => {
      seen.push(total);
      if (++reads === 2) release();
      await bothRead;
      return { by: 1 };
    };

    const results = await Promise.all([
      repository.execute('counter-d', counter, build, CONTEXT),
      replica.execute('counter-d', counter, build, CONTEXT),
    ]);

    expect(seen).toEqual([0, 0, 1]);
    expect(results.map((result) => result.revision).sort()).toEqual([0n, 1n]);
    expect(await repository.load('counter-d', counter)).toMatchObject({ state: 2, revision: 1n });
  });

  it('gives up with CONCURRENT_MODIFICATION after 10 lost races', async () => {
    let builds = 0;
    const interfere = async (): Promise<Increment> => {
      builds += 1;
      await store.appendToStream('counter-e', [{ id: randomUUID(), type: 'Incremented', data: { by: 1 }, metadata: eventMetadata(CONTEXT) }], {
        expectedRevision: ANY,
      });
      return { by: 1 };
    };
    await expect(repository.execute('counter-e', counter, interfere, CONTEXT)).rejects.toMatchObject({
      rejection: { kind: 'CONFLICT', code: 'CONCURRENT_MODIFICATION' },
    });
    expect(builds).toBe(10);
    expect(await repository.load('counter-e', counter)).toMatchObject({ state: 10 });
  });
});
