import { type Decider, type Plan, conflict, eventDecoder, eventTypes, isRejection, ruleBroken, storedEventFold } from '@app/domain';
import {
  type AppendResult,
  type EventStore,
  type MultiStreamAppend,
  type RecordedEvent,
  SqliteEventStore,
  type StreamAppend,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandContext, CommandKernel, type IdempotencyRequest, RejectionError, type StreamReader, eventMetadata } from '../src';

/** A counter that adds positive steps; 0 changes nothing; a negative step breaks a rule. */
type Added = { type: 'Added'; data: { by: number } };
const counter: Decider<{ by: number }, Added, number> = {
  initialState: 0,
  decide: ({ by }) => (by < 0 ? ruleBroken('NEGATIVE_STEP', 'steps must not be negative', 'by') : by === 0 ? [] : [{ type: 'Added', data: { by } }]),
  evolve: (total, event) => total + event.data.by,
};
/** The counter's stream as the kernel reads it. */
const counterFold = storedEventFold(counter, eventDecoder<Added>('a counter', eventTypes<Added>({ Added: true })));

const CONTEXT: CommandContext = { correlationId: 'req-1', causationId: 'req-1', actor: 'test:kernel' };

/** A command adding `by` to one counter, answering the total after it. */
function add(stream: string, by: number, idempotency?: IdempotencyRequest, seen?: number[]) {
  return {
    name: 'Add',
    context: CONTEXT,
    streams: [stream],
    idempotency,
    decide: async (reader: StreamReader): Promise<Plan<number>> => {
      const total = await reader.read(stream, counterFold);
      seen?.push(total);
      const decision = counter.decide({ by }, total);
      if (isRejection(decision)) return { writes: [], rejection: decision };
      return { writes: [{ stream, events: decision }], answer: total + by };
    },
  };
}

/** An account: its total and the transfers it took part in. */
type Posted = { type: 'Added'; data: { by: number; ref?: string } };
const account = storedEventFold(
  {
    initialState: { total: 0, refs: [] as string[] },
    evolve: (state: { total: number; refs: string[] }, event: Posted) => ({
      total: state.total + event.data.by,
      refs: event.data.ref === undefined ? state.refs : [...state.refs, event.data.ref],
    }),
  },
  eventDecoder<Posted>('an account', eventTypes<Posted>({ Added: true })),
);

/**
 * Moves `by` from one account to another: claimed first on its own stream, then both accounts. Like the
 * ledger's decisions it is resumable: after a stop between its writes it decides only what is left.
 */
function transfer(id: string, from: string, to: string, by: number, idempotency?: IdempotencyRequest) {
  const claim = `transfer-${id}`;
  return {
    name: 'Transfer',
    context: CONTEXT,
    streams: [claim, from, to],
    idempotency,
    decide: async (reader: StreamReader): Promise<Plan<string>> => {
      const claimed = (await reader.read(claim, account, { expectNew: true })).total > 0;
      const debited = (await reader.read(from, account)).refs.includes(id);
      const credited = (await reader.read(to, account)).refs.includes(id);
      const writes = [
        ...(claimed ? [] : [{ stream: claim, events: [{ type: 'Added', data: { by: 1 } }] }]),
        ...(debited ? [] : [{ stream: from, events: [{ type: 'Added', data: { by: -by, ref: id } }] }]),
        ...(credited ? [] : [{ stream: to, events: [{ type: 'Added', data: { by, ref: id } }] }]),
      ];
      return { writes, answer: claimed && debited && credited ? 'done before' : `moved ${by}` };
    },
  };
}

const key = (name: string, fingerprint = 'same-request'): IdempotencyRequest => ({ keyHash: `key-${name}`, fingerprint });

describe.each<MultiStreamAppend>(['atomic', 'sequential'])('command kernel on a %s SQLite store', (mode) => {
  let folder: string;
  let store: SqliteEventStore;
  let kernel: CommandKernel;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'command-kernel-'));
    store = SqliteEventStore.open({ path: join(folder, 'ledger.db'), multiStreamAppend: mode });
    kernel = new CommandKernel(store, { schemaVersionOf: () => 1 });
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

  /** Another replica appending behind this kernel's back. */
  const elsewhere = (stream: string, by: number, expectedRevision: bigint | 'no_stream') =>
    store.appendToStream(stream, [{ id: randomUUID(), type: 'Added', data: { by }, metadata: eventMetadata(CONTEXT, 1) }], { expectedRevision });

  it("folds a stream through its decoder: an event of another type is refused, not folded", async () => {
    await elsewhere('c-d', 1, 'no_stream');
    await store.appendToStream('c-d', [{ id: randomUUID(), type: 'Removed', data: { by: 1 }, metadata: eventMetadata(CONTEXT, 1) }], { expectedRevision: 0n });
    await expect(kernel.read('c-d', counterFold)).rejects.toThrow('Removed is not an event of a counter');
  });

  it('decides on a remembered state without reading, and reads only what another writer appended since', async () => {
    await kernel.run(add('c-r', 2));
    await elsewhere('c-r', 40, 0n);
    const reads: Array<bigint | undefined> = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push(options?.fromRevision);
      return readStream(stream, options);
    });
    const seen: number[] = [];
    expect(await kernel.run(add('c-r', 1, undefined, seen))).toEqual({ answer: 43, created: true, replayed: false });
    // Decided on the remembered 2, lost the race, caught up from revision 1 and decided on 42.
    expect(seen).toEqual([2, 42]);
    expect(reads).toEqual([1n]);
    expect(await kernel.read('c-r', counterFold)).toBe(43);
  });

  it('decides a refusal or a no-op on a remembered state again on a fresh read', async () => {
    await kernel.run(add('c-n', 2));
    await elsewhere('c-n', 40, 0n);
    const seen: number[] = [];
    await expect(kernel.run(add('c-n', -1, undefined, seen))).rejects.toMatchObject({ rejection: { code: 'NEGATIVE_STEP' } });
    expect(seen).toEqual([2, 42]);
    // A no-op rests on nothing an append checks: it too is decided again on a fresh read.
    await elsewhere('c-n', 8, 1n);
    const again: number[] = [];
    expect(await kernel.run(add('c-n', 0, undefined, again))).toEqual({ answer: 50, created: false, replayed: false });
    expect(again).toEqual([42, 50]);
  });

  it('decides again on fresh reads when a decision rests on a remembered state it does not write', async () => {
    await kernel.run(add('c-fact', 5));
    await elsewhere('c-fact', 1, 0n);
    const seen: number[] = [];
    await kernel.run({
      name: 'CopyFact',
      context: CONTEXT,
      streams: ['c-copy'],
      decide: async (reader) => {
        const fact = await reader.read('c-fact', counterFold);
        seen.push(fact);
        await reader.read('c-copy', counterFold);
        return { writes: [{ stream: 'c-copy', events: [{ type: 'Added', data: { by: fact } }] }], answer: fact };
      },
    });
    expect(seen).toEqual([5, 6]);
    expect(await kernel.read('c-copy', counterFold)).toBe(6);
  });

  it('takes a stream it expects to be new as empty without reading it, and reads it when it is not', async () => {
    const reads: string[] = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push(stream);
      return readStream(stream, options);
    });
    expect((await kernel.run(transfer('t1', 'a', 'b', 10))).answer).toBe('moved 10');
    expect(reads).not.toContain('transfer-t1');
    // Another kernel (a second replica) knows nothing and assumes t1 new: its claim loses, it reads, it answers.
    const replica = new CommandKernel(store, { schemaVersionOf: () => 1 });
    expect(await replica.run(transfer('t1', 'a', 'b', 10))).toEqual({ answer: 'done before', created: false, replayed: false });
    expect((await kernel.read('b', account)).total).toBe(10);
  });

  it(`writes a plan over several streams ${mode === 'atomic' ? 'in one durable commit' : 'one stream after the other, in plan order'}`, async () => {
    const before = store.commitStats();
    await kernel.run(transfer('t2', 'a', 'b', 7));
    const after = store.commitStats();
    expect(after.commits - before.commits).toBe(mode === 'atomic' ? 1 : 3);
    const positions = [...(await recorded('transfer-t2')), ...(await recorded('a')), ...(await recorded('b'))].map((event) => event.position);
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
  });

  it('after a lost race in the middle of a plan, decides again on what is there', async () => {
    // The plan's second stream moves on while the kernel remembers it behind.
    await kernel.run({ ...add('a', 100), decide: async (reader) => {
      const total = (await reader.read('a', account)).total;
      return { writes: [{ stream: 'a', events: [{ type: 'Added', data: { by: 100 } }] }], answer: total + 100 };
    } });
    await elsewhere('a', 1, 0n);
    await kernel.run(transfer('t3', 'a', 'b', 5));
    expect((await kernel.read('a', account)).total).toBe(96);
    expect((await kernel.read('b', account)).total).toBe(5);
    expect((await recorded('transfer-t3')).map((event) => event.data)).toEqual([{ by: 1 }]);
  });

  it('gives up with CONCURRENT_MODIFICATION after losing ten races', async () => {
    let revision = -1n;
    await expect(
      kernel.run({
        name: 'AlwaysLate',
        context: CONTEXT,
        streams: ['c-late'],
        decide: async (reader) => {
          await reader.read('c-late', counterFold);
          // Another writer appends between every read and every append.
          await elsewhere('c-late', 1, revision < 0n ? 'no_stream' : revision);
          revision += 1n;
          return { writes: [{ stream: 'c-late', events: [{ type: 'Added', data: { by: 1 } }] }], answer: 0 };
        },
      }),
    ).rejects.toMatchObject({ rejection: { kind: 'CONFLICT', code: 'CONCURRENT_MODIFICATION' } });
    expect(revision).toBe(9n);
  });

  it('commits the writes of a plan that only finishes other work, then decides again', async () => {
    const answer = await kernel.run<string>({
      name: 'HelpThenAnswer',
      context: CONTEXT,
      streams: ['c-help'],
      decide: async (reader) => {
        const total = await reader.read('c-help', counterFold);
        if (total === 0) return { writes: [{ stream: 'c-help', events: [{ type: 'Added', data: { by: 3 } }] }], decideAgain: true };
        return { writes: [], answer: `found ${total}` };
      },
    });
    expect(answer).toEqual({ answer: 'found 3', created: false, replayed: false });
    expect((await recorded('c-help')).map((event) => event.data)).toEqual([{ by: 3 }]);
  });

  describe('with an Idempotency-Key', () => {
    it('answers a repeat with the first answer and records nothing more; another request under the key is a conflict', async () => {
      expect(await kernel.run(add('c-k', 5, key('k1')))).toEqual({ answer: 5, created: true, replayed: false });
      expect(await kernel.run(add('c-k', 5, key('k1')))).toEqual({ answer: 5, created: true, replayed: true });
      expect(await kernel.read('c-k', counterFold)).toBe(5);
      await expect(kernel.run(add('c-k', 5, key('k1', 'another-request')))).rejects.toMatchObject({ rejection: { code: 'IDEMPOTENCY_CONFLICT', field: 'Idempotency-Key' } });
    });

    it(`records the first answer ${mode === 'atomic' ? 'in the same commit as the command' : 'after a claim that holds the whole plan'}`, async () => {
      const before = store.commitStats();
      await kernel.run(transfer('t4', 'a', 'b', 3, key('k2')));
      const types = (await recorded('idempotency-key-k2')).map((event) => event.type);
      if (mode === 'atomic') {
        expect(types).toEqual(['IdempotentResponseRecorded']);
        expect(store.commitStats().commits - before.commits).toBe(1);
      } else {
        expect(types).toEqual(['IdempotencyKeyClaimed', 'IdempotentResponseRecorded']);
      }
    });

    it('runs the command once for concurrent requests under one key, in this process and from another replica', async () => {
      const replica = new CommandKernel(store, { schemaVersionOf: () => 1 });
      const answers = await Promise.all([
        ...Array.from({ length: 5 }, () => kernel.run(add('c-once', 1, key('k3')))),
        ...Array.from({ length: 5 }, () => replica.run(add('c-once', 1, key('k3')))),
      ]);
      expect(await kernel.read('c-once', counterFold)).toBe(1);
      expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
      expect(answers.every((answer) => answer.answer === 1)).toBe(true);
    });

    it('after a restart, answers a repeat with the first answer though the command would now be refused', async () => {
      const openOnce = (stream: string, idempotency: IdempotencyRequest) => ({
        name: 'Open',
        context: CONTEXT,
        streams: [stream],
        idempotency,
        decide: async (reader: StreamReader): Promise<Plan<string>> =>
          (await reader.read(stream, counterFold)) > 0
            ? { writes: [], rejection: conflict('ALREADY_OPEN', `${stream} is open`) }
            : { writes: [{ stream, events: [{ type: 'Added', data: { by: 1 } }] }], answer: `opened ${stream}` },
      });
      expect(await kernel.run(openOnce('c-o', key('k5')))).toEqual({ answer: 'opened c-o', created: true, replayed: false });
      const restarted = new CommandKernel(store, { schemaVersionOf: () => 1 });
      expect(await restarted.run(openOnce('c-o', key('k5')))).toEqual({ answer: 'opened c-o', created: true, replayed: true });
      await expect(restarted.run(openOnce('c-o', key('k6')))).rejects.toMatchObject({ rejection: { code: 'ALREADY_OPEN' } });
    });

    it('records no failure: the same request runs again once the rule allows it', async () => {
      await expect(kernel.run(add('c-f', -1, key('k4')))).rejects.toBeInstanceOf(RejectionError);
      expect(await recorded('idempotency-key-k4')).toEqual([]);
    });
  });
});

/** A store that stops working (as a process killed mid-command would) after a number of appends. */
function stoppingAfter(store: EventStore, appends: number): EventStore {
  let left = appends;
  const stop = () => {
    if (left <= 0) throw new Error('the process stopped');
    left -= 1;
  };
  return Object.assign(Object.create(store) as EventStore, {
    multiStreamAppend: store.multiStreamAppend,
    appendToStream: async (...args: Parameters<EventStore['appendToStream']>) => {
      stop();
      return store.appendToStream(...args);
    },
    appendToStreams: async (appends: StreamAppend[]) => {
      const results: AppendResult[] = [];
      for (const append of appends) {
        stop();
        results.push(await store.appendToStream(append.streamName, append.events, append));
      }
      return results;
    },
  });
}

describe('an Idempotency-Key on a sequential store, across a stop in the middle of a command', () => {
  let folder: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'command-kernel-stop-'));
    store = SqliteEventStore.open({ path: join(folder, 'ledger.db'), multiStreamAppend: 'sequential' });
  });

  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it.each([1, 2, 3, 4])('a retry after a stop following %i append(s) finishes the claimed plan: each event once, the first answer', async (appends) => {
    const stopping = new CommandKernel(stoppingAfter(store, appends), { schemaVersionOf: () => 1 });
    await expect(stopping.run(transfer('t5', 'a', 'b', 9, key('k5')))).rejects.toThrow('the process stopped');
    const restarted = new CommandKernel(store, { schemaVersionOf: () => 1 });
    const retried = await restarted.run(transfer('t5', 'a', 'b', 9, key('k5')));
    expect(retried).toMatchObject({ answer: 'moved 9', created: true });
    expect((await restarted.read('a', account)).total).toBe(-9);
    expect((await restarted.read('b', account)).total).toBe(9);
    expect((await restarted.read('transfer-t5', account)).total).toBe(1);
  });

  it('releases a claimed plan a stream moved on from, and decides the command again', async () => {
    const stopping = new CommandKernel(stoppingAfter(store, 1), { schemaVersionOf: () => 1 });
    await expect(stopping.run(add('c-moved', 4, key('k6')))).rejects.toThrow('the process stopped');
    // The claim is written; before its plan, another writer takes the revision the plan expected.
    await store.appendToStream('c-moved', [{ id: randomUUID(), type: 'Added', data: { by: 10 }, metadata: eventMetadata(CONTEXT, 1) }], { expectedRevision: 'no_stream' });
    const restarted = new CommandKernel(store, { schemaVersionOf: () => 1 });
    expect(await restarted.run(add('c-moved', 4, key('k6')))).toEqual({ answer: 14, created: true, replayed: false });
    const types: string[] = [];
    for await (const event of store.readStream('idempotency-key-k6')) types.push(event.type);
    expect(types).toEqual(['IdempotencyKeyClaimed', 'IdempotencyKeyReleased', 'IdempotencyKeyClaimed', 'IdempotentResponseRecorded']);
    expect(await restarted.read('c-moved', counterFold)).toBe(14);
  });

  it('refuses a conflicting claim with another fingerprint, finished or not', async () => {
    const stopping = new CommandKernel(stoppingAfter(store, 1), { schemaVersionOf: () => 1 });
    await expect(stopping.run(add('c-x', 1, key('k7')))).rejects.toThrow('the process stopped');
    const restarted = new CommandKernel(store, { schemaVersionOf: () => 1 });
    await expect(restarted.run(add('c-x', 2, key('k7', 'other')))).rejects.toMatchObject({ rejection: conflict('IDEMPOTENCY_CONFLICT', expect.any(String), 'Idempotency-Key') });
  });
});
