import { randomUUID } from 'node:crypto';
import {
  ANY,
  EventStore,
  GENESIS_HASH,
  InvalidAppendError,
  MAX_APPENDS_PER_CALL,
  NO_STREAM,
  ProposedEvent,
  RecordedEvent,
  STREAM_EXISTS,
  StreamAppend,
  Subscription,
  WrongExpectedVersionError,
  chainLink,
  verifyChain,
} from '@app/event-store';

/**
 * The behaviour every adapter of the port must show. Stream names carry a fresh prefix per test, so
 * the suite also runs against a shared EventStoreDB server that holds other data.
 */
export interface ContractStore {
  store: EventStore;
  dispose(): Promise<void>;
  /** The same store opened again: a new adapter on the same file or server, disposed by the caller. */
  reopen(): Promise<ContractStore>;
  /**
   * Another store, created apart from this one (a new file, another server), disposed by the caller;
   * absent where the suite has only the one (a real server named by EVENTSTORE_CONNECTION_STRING).
   */
  openAnother?(): Promise<ContractStore>;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The element at `index` (counted from the end when negative); the test fails when it is not there. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`expected an element at ${index}, found ${items.length} elements`);
  return item;
}

/** The chain link the adapter put in an event's metadata. */
function linkOf(event: RecordedEvent): { prev: string; hash: string } {
  return event.metadata.chain as { prev: string; hash: string };
}

export function proposed(type: string, data: Record<string, string | number> = {}): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'test:contract' },
  };
}

/** Takes exactly `count` events from a subscription, failing if they do not come in time. */
export async function take(subscription: Subscription, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  if (count === 0) return taken;
  const iterator = subscription[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(deadline - Date.now(), 0)))),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout') throw new Error(`subscription delivered ${taken.length} of ${count} events in ${timeoutMs} ms`);
    if (next.done) throw new Error(`subscription ended after ${taken.length} of ${count} events`);
    taken.push(next.value);
  }
  return taken;
}

async function expectRejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

export function describeEventStoreContract(adapterName: string, openStore: () => Promise<ContractStore>): void {
  describe(`event store contract: ${adapterName}`, () => {
    let handle: ContractStore;
    let store: EventStore;
    let prefix: string;
    const stream = (name: string) => `${prefix}${name}`;

    beforeEach(async () => {
      handle = await openStore();
      store = handle.store;
      prefix = `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;
    });
    afterEach(async () => handle.dispose());

    describe('append and read back', () => {
      it('writes a new stream from revision 0 with ids, types, data and metadata stamped with recordedAt', async () => {
        const opened = proposed('Opened', { amount: '10.00' });
        const credited = proposed('Credited', { n: 1 });
        const result = await store.appendToStream(stream('a'), [opened, credited], { expectedRevision: NO_STREAM });
        expect(result.nextExpectedRevision).toBe(1n);

        const read = await collect(store.readStream(stream('a')));
        expect(read.map((e) => [e.id, e.type, e.streamName, e.revision, e.data])).toEqual([
          [opened.id, 'Opened', stream('a'), 0n, { amount: '10.00' }],
          [credited.id, 'Credited', stream('a'), 1n, { n: 1 }],
        ]);
        const [first, second] = [at(read, 0), at(read, 1)];
        expect(first.metadata).toMatchObject(opened.metadata);
        expect(new Date(first.metadata.recordedAt).toISOString()).toBe(first.metadata.recordedAt);
        expect(second.metadata.recordedAt).toBe(first.metadata.recordedAt);
        expect(second.position).toBeGreaterThan(first.position);
        expect(result.position).toBe(second.position);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await collect(store.readStream(stream('missing')))).toEqual([]);
      });

      it('gives later appends higher global positions, across streams', async () => {
        const first = await store.appendToStream(stream('x'), [proposed('A')], { expectedRevision: NO_STREAM });
        const second = await store.appendToStream(stream('y'), [proposed('B')], { expectedRevision: NO_STREAM });
        const third = await store.appendToStream(stream('x'), [proposed('C')], { expectedRevision: 0n });
        expect(second.position).toBeGreaterThan(first.position);
        expect(third.position).toBeGreaterThan(second.position);
      });
    });

    describe('expected revision', () => {
      it('NO_STREAM refuses an existing stream with the actual revision', async () => {
        await store.appendToStream(stream('s'), [proposed('A'), proposed('B')], { expectedRevision: NO_STREAM });
        const error = await expectRejection(
          store.appendToStream(stream('s'), [proposed('C')], { expectedRevision: NO_STREAM }),
          WrongExpectedVersionError,
        );
        expect(error.streamName).toBe(stream('s'));
        expect(error.expected).toBe(NO_STREAM);
        expect(error.actual).toBe(1n);
      });

      it('an exact revision that is not the current one is refused and writes nothing', async () => {
        await store.appendToStream(stream('s'), [proposed('A'), proposed('B')], { expectedRevision: NO_STREAM });
        const error = await expectRejection(
          store.appendToStream(stream('s'), [proposed('C'), proposed('D')], { expectedRevision: 0n }),
          WrongExpectedVersionError,
        );
        expect(error.expected).toBe(0n);
        expect(error.actual).toBe(1n);
        expect((await collect(store.readStream(stream('s')))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('an exact revision on a missing stream reports NO_STREAM as actual', async () => {
        const error = await expectRejection(
          store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: 3n }),
          WrongExpectedVersionError,
        );
        expect(error.actual).toBe(NO_STREAM);
      });

      it('STREAM_EXISTS refuses a missing stream and accepts an existing one', async () => {
        const error = await expectRejection(
          store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: STREAM_EXISTS }),
          WrongExpectedVersionError,
        );
        expect(error.actual).toBe(NO_STREAM);
        await store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: NO_STREAM });
        const result = await store.appendToStream(stream('s'), [proposed('B')], { expectedRevision: STREAM_EXISTS });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('ANY appends to a missing and to an existing stream', async () => {
        expect((await store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: ANY })).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(stream('s'), [proposed('B')], { expectedRevision: ANY })).nextExpectedRevision).toBe(1n);
      });

      it('the exact current revision appends after it', async () => {
        await store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: NO_STREAM });
        const result = await store.appendToStream(stream('s'), [proposed('B'), proposed('C')], { expectedRevision: 0n });
        expect(result.nextExpectedRevision).toBe(2n);
      });
    });

    describe('idempotent re-append of the same event ids', () => {
      it('with the same exact expected revision returns the first result and stores nothing twice', async () => {
        await store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: NO_STREAM });
        const events = [proposed('B'), proposed('C')];
        const first = await store.appendToStream(stream('s'), events, { expectedRevision: 0n });
        const again = await store.appendToStream(stream('s'), events, { expectedRevision: 0n });
        expect(again).toEqual(first);
        expect((await collect(store.readStream(stream('s')))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('with NO_STREAM returns the first result after the stream has moved on', async () => {
        const events = [proposed('A')];
        const first = await store.appendToStream(stream('s'), events, { expectedRevision: NO_STREAM });
        await store.appendToStream(stream('s'), [proposed('B')], { expectedRevision: 0n });
        const again = await store.appendToStream(stream('s'), events, { expectedRevision: NO_STREAM });
        expect(again).toEqual(first);
        expect(await collect(store.readStream(stream('s')))).toHaveLength(2);
      });
    });

    describe('hash chain in metadata', () => {
      it('links every event to the previous event of its stream, from 64 zeros at revision 0', async () => {
        await store.appendToStream(stream('h'), [proposed('A', { amount: '10.00' }), proposed('B', { n: 2 })], { expectedRevision: NO_STREAM });
        await store.appendToStream(stream('h'), [proposed('C', { nested: 'x' })], { expectedRevision: 1n });
        const read = await collect(store.readStream(stream('h')));
        expect(read.map((e) => linkOf(e).prev)).toEqual([GENESIS_HASH, linkOf(at(read, 0)).hash, linkOf(at(read, 1)).hash]);
        // Each hash covers the event as read back: stream, revision, id, type, data, metadata (recordedAt too).
        for (const event of read) expect(linkOf(event)).toEqual(chainLink(linkOf(event).prev, event));
        expect(new Set(read.map((e) => linkOf(e).hash)).size).toBe(3);
        expect(verifyChain(read)).toMatchObject({ ok: true, links: 3, legacy: 0 });
      });

      it('keeps one chain per stream when appends to several streams interleave', async () => {
        for (let i = 0; i < 3; i += 1) {
          for (const name of ['x', 'y']) {
            await store.appendToStream(stream(name), [proposed(`${name}${i}`)], { expectedRevision: i === 0 ? NO_STREAM : BigInt(i - 1) });
          }
        }
        const mine = (await collect(store.readAll())).filter((e) => e.streamName.startsWith(prefix));
        expect(mine).toHaveLength(6);
        expect(verifyChain(mine).ok).toBe(true);
        expect([linkOf(at(mine, 0)).prev, linkOf(at(mine, 1)).prev]).toEqual([GENESIS_HASH, GENESIS_HASH]);
      });

      it('leaves the chain whole after an idempotent re-append', async () => {
        const events = [proposed('A'), proposed('B')];
        await store.appendToStream(stream('h'), events, { expectedRevision: NO_STREAM });
        await store.appendToStream(stream('h'), events, { expectedRevision: NO_STREAM });
        await store.appendToStream(stream('h'), [proposed('C')], { expectedRevision: 1n });
        const read = await collect(store.readStream(stream('h')));
        expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
        expect(verifyChain(read).ok).toBe(true);
      });

      it('hashes the data as it was when the append was called', async () => {
        const event = proposed('A', { amount: '10.00' });
        const appended = store.appendToStream(stream('h'), [event], { expectedRevision: NO_STREAM });
        (event.data as { amount: string }).amount = '99.99';
        await appended;
        const read = await collect(store.readStream(stream('h')));
        expect(at(read, 0).data).toEqual({ amount: '10.00' });
        expect(verifyChain(read).ok).toBe(true);
      });

      it('refuses a writer that sets metadata.chain itself', async () => {
        const forged = { ...proposed('A'), metadata: { ...proposed('A').metadata, chain: { prev: GENESIS_HASH, hash: GENESIS_HASH } } };
        await expectRejection(store.appendToStream(stream('h'), [forged], { expectedRevision: ANY }), InvalidAppendError);
        expect(await collect(store.readStream(stream('h')))).toEqual([]);
      });
    });

    describe('atomic appends and refused input', () => {
      it('refuses an append with one bad event and writes none of it', async () => {
        const bad = { ...proposed('B'), id: 'not-a-uuid' };
        await expectRejection(store.appendToStream(stream('s'), [proposed('A'), bad], { expectedRevision: ANY }), InvalidAppendError);
        expect(await collect(store.readStream(stream('s')))).toEqual([]);
      });

      it.each([
        ['no events', () => []],
        ['an empty type', () => [{ ...proposed('A'), type: '' }]],
        ['data that is not an object', () => [{ ...proposed('A'), data: ['x'] as never }]],
        ['metadata without an actor', () => [{ ...proposed('A'), metadata: { correlationId: 'c', causationId: 'c' } as never }]],
        ['the same id twice', () => { const e = proposed('A'); return [e, { ...e }]; }],
        ['data JSON cannot carry', () => [{ ...proposed('A'), data: { n: 1n } as never }]],
        ['metadata JSON cannot carry', () => [{ ...proposed('A'), metadata: { ...proposed('A').metadata, n: 1n as never } }]],
      ])('refuses %s', async (_case, events) => {
        await expectRejection(store.appendToStream(stream('s'), events(), { expectedRevision: ANY }), InvalidAppendError);
        expect(await collect(store.readStream(stream('s')))).toEqual([]);
      });
    });

    it('refuses an expected revision that is not one of the four forms', async () => {
      await expectRejection(store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: -1n }), InvalidAppendError);
      expect(await collect(store.readStream(stream('s')))).toEqual([]);
    });

    describe('appendToStreams', () => {
      const atomic = () => store.multiStreamAppend === 'atomic';
      const append = (name: string, events: ProposedEvent[], expectedRevision: StreamAppend['expectedRevision']): StreamAppend => ({
        streamName: stream(name),
        events,
        expectedRevision,
      });
      const mine = async () => (await collect(store.readAll())).filter((e) => e.streamName.startsWith(prefix));
      const types = async (name: string) => (await collect(store.readStream(stream(name)))).map((e) => e.type);

      it('says how it commits a call', () => {
        expect(['atomic', 'sequential']).toContain(store.multiStreamAppend);
      });

      it('appends to two and to three streams, one result per append in the order given', async () => {
        await store.appendToStream(stream('c'), [proposed('C0')], { expectedRevision: NO_STREAM });
        const two = await store.appendToStreams([
          append('a', [proposed('A0'), proposed('A1')], NO_STREAM),
          append('b', [proposed('B0')], NO_STREAM),
        ]);
        const three = await store.appendToStreams([
          append('c', [proposed('C1')], 0n),
          append('a', [proposed('A2')], 1n),
          append('b', [proposed('B1'), proposed('B2')], 0n),
        ]);
        expect(two.map((r) => r.nextExpectedRevision)).toEqual([1n, 0n]);
        expect(three.map((r) => r.nextExpectedRevision)).toEqual([1n, 2n, 2n]);
        const positions = [...two, ...three].map((r) => r.position);
        positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(at(positions, i)));

        const all = await mine();
        expect(all.map((e) => e.type)).toEqual(['C0', 'A0', 'A1', 'B0', 'C1', 'A2', 'B1', 'B2']);
        // Each result is the position of its append's last event.
        expect(positions).toEqual([2, 3, 4, 5, 7].map((i) => at(all, i).position));
        expect(await types('a')).toEqual(['A0', 'A1', 'A2']);
        expect((await collect(store.readStream(stream('b')))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(verifyChain(all)).toMatchObject({ ok: true, links: 8 });
      });

      it('appends to the same stream twice in one call, the second expecting the revision the first leaves', async () => {
        const results = await store.appendToStreams([
          append('s', [proposed('A'), proposed('B')], NO_STREAM),
          append('other', [proposed('X')], NO_STREAM),
          append('s', [proposed('C')], 1n),
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 0n, 2n]);
        const read = await collect(store.readStream(stream('s')));
        expect(read.map((e) => [e.type, e.revision])).toEqual([['A', 0n], ['B', 1n], ['C', 2n]]);
        expect(linkOf(at(read, 2)).prev).toBe(linkOf(at(read, 1)).hash);
        expect(verifyChain(read)).toMatchObject({ ok: true, links: 3 });
      });

      it('refuses a stale expected revision in the second append with appendIndex 1: nothing written if atomic, the first append if sequential', async () => {
        await store.appendToStream(stream('b'), [proposed('B0'), proposed('B1')], { expectedRevision: NO_STREAM });
        const before = await mine();
        const a0 = proposed('A0');
        const call = [append('a', [a0], NO_STREAM), append('b', [proposed('B2')], 0n), append('c', [proposed('C0')], NO_STREAM)];
        const error = await expectRejection(store.appendToStreams(call), WrongExpectedVersionError);
        expect(error).toMatchObject({ appendIndex: 1, streamName: stream('b'), expected: 0n, actual: 1n });

        expect(await types('b')).toEqual(['B0', 'B1']);
        expect(await types('c')).toEqual([]);
        if (atomic()) {
          expect(await types('a')).toEqual([]);
          // No event of the call, and so no position of it, is there for a reader.
          expect(await mine()).toEqual(before);
        } else {
          expect(await types('a')).toEqual(['A0']);
          expect((await mine()).map((e) => e.id)).toEqual([...before.map((e) => e.id), a0.id]);
        }
      });

      it('leaves appendIndex off a refusal of appendToStream', async () => {
        const error = await expectRejection(
          store.appendToStream(stream('s'), [proposed('A')], { expectedRevision: 3n }),
          WrongExpectedVersionError,
        );
        expect('appendIndex' in error).toBe(false);
      });

      it('answers a retry of a whole call with the original results and writes nothing twice', async () => {
        const call = [
          append('a', [proposed('A0'), proposed('A1')], NO_STREAM),
          append('b', [proposed('B0')], NO_STREAM),
          append('a', [proposed('A2')], 1n),
        ];
        const first = await store.appendToStreams(call);
        const again = await store.appendToStreams(call);
        expect(again).toEqual(first);
        const all = await mine();
        expect(all.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2']);
        expect(verifyChain(all).ok).toBe(true);
      });

      it('completes, on a retry, a call of which only the first append was written', async () => {
        // What a sequential store leaves when its process dies between the two appends.
        const first = append('a', [proposed('A0')], NO_STREAM);
        const firstPart = await store.appendToStream(first.streamName, first.events, { expectedRevision: NO_STREAM });
        const results = await store.appendToStreams([first, append('b', [proposed('B0')], NO_STREAM)]);
        expect(at(results, 0)).toEqual(firstPart);
        expect(at(results, 1).nextExpectedRevision).toBe(0n);
        expect((await mine()).map((e) => e.type)).toEqual(['A0', 'B0']);
      });

      it('completes, when the same call is made again once its conflict is gone, what a refusal left', async () => {
        const call = [append('a', [proposed('A0')], NO_STREAM), append('b', [proposed('B1')], 0n)];
        const error = await expectRejection(store.appendToStreams(call), WrongExpectedVersionError);
        expect(error).toMatchObject({ appendIndex: 1, actual: NO_STREAM });
        await store.appendToStream(stream('b'), [proposed('B0')], { expectedRevision: NO_STREAM });

        const results = await store.appendToStreams(call);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 1n]);
        const all = await mine();
        // A sequential store wrote A0 on the refused call, before B0; an atomic one writes it now.
        expect(all.map((e) => e.type)).toEqual(atomic() ? ['B0', 'A0', 'B1'] : ['A0', 'B0', 'B1']);
        expect(verifyChain(all).ok).toBe(true);
      });

      it('lets exactly one of 10 parallel calls expecting the same revision of a shared stream win', async () => {
        await store.appendToStream(stream('hot'), [proposed('Start')], { expectedRevision: NO_STREAM });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.appendToStreams([append(`own${i}`, [proposed(`Own${i}`)], NO_STREAM), append('hot', [proposed(`Hot${i}`)], 0n)]),
          ),
        );
        const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ name: 'WrongExpectedVersionError', appendIndex: 1 });
        }
        const own = await Promise.all(Array.from({ length: 10 }, (_, i) => types(`own${i}`)));
        // The losers' first appends: undone if atomic, written if sequential.
        expect(own.filter((written) => written.length > 0)).toHaveLength(atomic() ? 1 : 10);
        expect(await types('hot')).toEqual(['Start', `Hot${won[0]}`]);
      });

      it.each([
        ['an empty list', (): StreamAppend[] => []],
        [
          `more than ${MAX_APPENDS_PER_CALL} appends`,
          (): StreamAppend[] => Array.from({ length: MAX_APPENDS_PER_CALL + 1 }, (_, i) => ({ streamName: `${prefix}m${i}`, events: [proposed('A')], expectedRevision: NO_STREAM })),
        ],
        [
          'one invalid append among valid ones',
          (): StreamAppend[] => [
            { streamName: `${prefix}a`, events: [proposed('A')], expectedRevision: NO_STREAM },
            { streamName: `${prefix}b`, events: [proposed('B'), { ...proposed('B'), id: 'not-a-uuid' }], expectedRevision: ANY },
            { streamName: `${prefix}c`, events: [proposed('C')], expectedRevision: NO_STREAM },
          ],
        ],
        [
          'an invalid expected revision in the last append',
          (): StreamAppend[] => [
            { streamName: `${prefix}a`, events: [proposed('A')], expectedRevision: NO_STREAM },
            { streamName: `${prefix}b`, events: [proposed('B')], expectedRevision: -1n },
          ],
        ],
        [
          'data JSON cannot carry in the second append',
          (): StreamAppend[] => [
            { streamName: `${prefix}a`, events: [proposed('A')], expectedRevision: NO_STREAM },
            { streamName: `${prefix}b`, events: [{ ...proposed('B'), data: { n: 1n } as never }], expectedRevision: NO_STREAM },
          ],
        ],
      ])('refuses %s before writing anything', async (_case, appends) => {
        await expectRejection(store.appendToStreams(appends()), InvalidAppendError);
        expect(await mine()).toEqual([]);
      });

      it('names the invalid append in the refusal', async () => {
        const error = await expectRejection(
          store.appendToStreams([append('a', [proposed('A')], NO_STREAM), { streamName: '$reserved', events: [proposed('B')], expectedRevision: NO_STREAM }]),
          InvalidAppendError,
        );
        expect(error.message).toBe('append 1: stream names starting with $ are reserved');
        expect(await mine()).toEqual([]);
      });

      it('stores the events as they were when the call was made', async () => {
        const later = proposed('B', { amount: '10.00' });
        const appended = store.appendToStreams([append('a', [proposed('A')], NO_STREAM), append('b', [later], NO_STREAM)]);
        (later.data as { amount: string }).amount = '99.99';
        await appended;
        const read = await collect(store.readStream(stream('b')));
        expect(at(read, 0).data).toEqual({ amount: '10.00' });
        expect(verifyChain(read).ok).toBe(true);
      });

      it('delivers every event of a call to a subscriber, in the order given', async () => {
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
        try {
          await store.appendToStream(stream('b'), [proposed('B0')], { expectedRevision: NO_STREAM });
          const call = [
            append('a', [proposed('A0'), proposed('A1')], NO_STREAM),
            append('b', [proposed('B1')], 0n),
            append('a', [proposed('A2')], 1n),
            append('c', [proposed('C0'), proposed('C1'), proposed('C2')], NO_STREAM),
          ];
          await store.appendToStreams(call);
          const delivered = await take(subscription, 8);
          expect(delivered.map((e) => e.type)).toEqual(['B0', 'A0', 'A1', 'B1', 'A2', 'C0', 'C1', 'C2']);
          expect(delivered.slice(1).map((e) => e.id)).toEqual(call.flatMap((a) => a.events.map((e) => e.id)));
        } finally {
          await subscription.close();
        }
      });
    });

    describe('reading', () => {
      beforeEach(async () => {
        const events = Array.from({ length: 10 }, (_, i) => proposed(`E${i}`));
        await store.appendToStream(stream('r'), events, { expectedRevision: NO_STREAM });
      });

      it('reads forwards from a revision with a limit', async () => {
        const read = await collect(store.readStream(stream('r'), { fromRevision: 3n, maxCount: 4 }));
        expect(read.map((e) => e.revision)).toEqual([3n, 4n, 5n, 6n]);
      });

      it('reads backwards from a revision with a limit', async () => {
        const read = await collect(store.readStream(stream('r'), { direction: 'backwards', fromRevision: 5n, maxCount: 3 }));
        expect(read.map((e) => e.revision)).toEqual([5n, 4n, 3n]);
      });

      it('reads backwards from the end by default', async () => {
        const read = await collect(store.readStream(stream('r'), { direction: 'backwards', maxCount: 2 }));
        expect(read.map((e) => e.type)).toEqual(['E9', 'E8']);
      });

      it('reads all events from a global position, inclusive, forwards and backwards', async () => {
        const own = await collect(store.readStream(stream('r')));
        const forwards = (await collect(store.readAll({ fromPosition: at(own, 2).position, maxCount: 3 }))).map((e) => e.id);
        expect(forwards).toEqual(own.slice(2, 5).map((e) => e.id));
        const backwards = (await collect(store.readAll({ fromPosition: at(own, 6).position, direction: 'backwards', maxCount: 2 }))).map((e) => e.id);
        expect(backwards).toEqual([at(own, 6).id, at(own, 5).id]);
      });

      it('reads all events in global order with every field', async () => {
        await store.appendToStream(stream('other'), [proposed('X')], { expectedRevision: NO_STREAM });
        const all = (await collect(store.readAll())).filter((e) => e.streamName.startsWith(prefix));
        expect(all.map((e) => e.type)).toEqual([...Array.from({ length: 10 }, (_, i) => `E${i}`), 'X']);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
        expect(all[10]).toMatchObject({ streamName: stream('other'), revision: 0n, data: {} });
      });
    });

    describe('catch-up subscription', () => {
      it('delivers history then live events in global order, filtered by stream-name prefix', async () => {
        await store.appendToStream(stream('a'), [proposed('A0'), proposed('A1')], { expectedRevision: NO_STREAM });
        await store.appendToStream(stream('b'), [proposed('B0')], { expectedRevision: NO_STREAM });
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
        try {
          const history = await take(subscription, 3);
          expect(history.map((e) => e.type)).toEqual(['A0', 'A1', 'B0']);
          await store.appendToStream(stream('a'), [proposed('A2')], { expectedRevision: 1n });
          await store.appendToStream(`x${prefix}`, [proposed('Elsewhere')], { expectedRevision: NO_STREAM });
          await store.appendToStream(stream('b'), [proposed('B1')], { expectedRevision: 0n });
          const live = await take(subscription, 2);
          expect(live.map((e) => e.type)).toEqual(['A2', 'B1']);
          expect(at(live, 0).position).toBeGreaterThan(at(history, 2).position);
        } finally {
          await subscription.close();
        }
      });

      it('filters by event type', async () => {
        const wanted = `${prefix}Wanted`;
        await store.appendToStream(stream('a'), [proposed(wanted), proposed(`${prefix}Other`), proposed(wanted)], {
          expectedRevision: NO_STREAM,
        });
        const subscription = store.subscribeToAll({ filter: { eventTypes: [wanted] } });
        try {
          const delivered = await take(subscription, 2);
          expect(delivered.map((e) => e.revision)).toEqual([0n, 2n]);
          await store.appendToStream(stream('a'), [proposed(`${prefix}Other`), proposed(wanted)], { expectedRevision: 2n });
          expect((await take(subscription, 1)).map((e) => e.revision)).toEqual([4n]);
        } finally {
          await subscription.close();
        }
      });

      it('resumes after a checkpoint without gaps or duplicates', async () => {
        const all = Array.from({ length: 30 }, (_, i) => proposed(`E${i}`));
        await store.appendToStream(stream('a'), all.slice(0, 10), { expectedRevision: NO_STREAM });
        const filter = { streamNamePrefixes: [prefix] };

        const first = store.subscribeToAll({ filter });
        const seen = await take(first, 7);
        await first.close();
        const checkpoint = at(seen, -1).position;

        await store.appendToStream(stream('a'), all.slice(10, 20), { expectedRevision: 9n });
        const resumed = store.subscribeToAll({ fromPosition: checkpoint, filter });
        try {
          seen.push(...(await take(resumed, 13)));
          await store.appendToStream(stream('a'), all.slice(20), { expectedRevision: 19n });
          seen.push(...(await take(resumed, 10)));
        } finally {
          await resumed.close();
        }
        expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      });

      it('ends iteration when closed', async () => {
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await subscription.close();
        expect((await pending).done).toBe(true);
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of 20 parallel appends at the same expected revision win', async () => {
        await store.appendToStream(stream('c'), [proposed('Start')], { expectedRevision: NO_STREAM });
        const attempts = Array.from({ length: 20 }, (_, i) => proposed(`Attempt${i}`));
        const outcomes = await Promise.allSettled(
          attempts.map((event) => store.appendToStream(stream('c'), [event], { expectedRevision: 0n })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        lost.forEach((o) => expect(o.reason).toBeInstanceOf(WrongExpectedVersionError));
        const stored = await collect(store.readStream(stream('c')));
        expect(stored).toHaveLength(2);
        expect(attempts.map((e) => e.id)).toContain(at(stored, 1).id);
      });

      it('serialises parallel ANY appends to one stream into contiguous revisions', async () => {
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.appendToStream(stream('c'), [proposed(`P${i}`), proposed(`Q${i}`)], { expectedRevision: ANY })),
        );
        const stored = await collect(store.readStream(stream('c')));
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
        // Each append's two events stay adjacent: atomic even under contention.
        for (let i = 0; i < 50; i += 2) expect(at(stored, i).type.slice(1)).toBe(at(stored, i + 1).type.slice(1));
        expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(25);
      });

      it('keeps parallel writers that each follow their own stream conflict-free', async () => {
        await Promise.all(
          Array.from({ length: 16 }, async (_, writer) => {
            let expectedRevision: bigint | typeof NO_STREAM = NO_STREAM;
            for (let i = 0; i < 10; i += 1) {
              const result = await store.appendToStream(stream(`w${writer}`), [proposed(`W${i}`)], { expectedRevision });
              expectedRevision = result.nextExpectedRevision;
            }
          }),
        );
        for (let writer = 0; writer < 16; writer += 1) {
          expect(await collect(store.readStream(stream(`w${writer}`)))).toHaveLength(10);
        }
      });
    });

    describe('identity', () => {
      const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

      it('is a UUID, the same at every call, concurrent calls included', async () => {
        const [first, ...others] = await Promise.all([store.identity(), store.identity(), store.identity()]);
        expect(first).toMatch(UUID);
        expect(others).toEqual([first, first]);
        expect(await store.identity()).toBe(first);
      });

      it('is the same when the store is opened again', async () => {
        const identity = await store.identity();
        const again = await handle.reopen();
        try {
          expect(await again.store.identity()).toBe(identity);
        } finally {
          await again.dispose();
        }
      });

      it('is the same when another connection asks first', async () => {
        const other = await handle.reopen();
        try {
          const [theirs, ours] = await Promise.all([other.store.identity(), store.identity()]);
          expect(ours).toBe(theirs);
        } finally {
          await other.dispose();
        }
      });

      it('differs between two stores', async () => {
        if (!handle.openAnother) return; // one store only (a real server): nothing to compare with
        const another = await handle.openAnother();
        try {
          expect(await another.store.identity()).not.toBe(await store.identity());
        } finally {
          await another.dispose();
        }
      });
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
