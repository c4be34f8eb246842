import { randomUUID } from 'node:crypto';
import {
  ANY,
  EventStoreDbEventStore,
  NO_STREAM,
  ProposedEvent,
  RecordedEvent,
  WrongExpectedVersionError,
  verifyChain,
} from '@app/event-store';
import type { EventStoreDbOptions } from '@app/event-store';
import { UnavailableError } from '@eventstore/db-client';
import { at, collect, proposed, take } from './event-store.contract';
import { AppendFault, AppendRpc, EventStoreDbStandIn, startEventStoreDbStandIn } from './eventstoredb-stand-in/stand-in-server';

/*
 * Faults between the EventStoreDB adapter and the server, made by the stand-in: the real client over
 * real gRPC connections that are cut, calls failed with UNAVAILABLE, answers that come too late or never,
 * a node that restarts. What must hold: an acknowledged append is stored, no append is stored twice (a
 * retry of an append whose answer was lost is a replay, answered with the original result), and a
 * subscription resumes after its last event without a gap or a duplicate.
 */

// Short deadlines and retry delays keep the suite quick; the defaults are 10 s and 100 ms to 2 s.
const OPTIONS: EventStoreDbOptions = { appendDeadlineMs: 300, retry: { attempts: 6, initialDelayMs: 20, maxDelayMs: 200 } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<AppendRpc>(['batch-append', 'append'])('EventStoreDB adapter under faults, through the stand-in (%s)', (appendRpc) => {
  let standIn: EventStoreDbStandIn;
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    standIn = await startEventStoreDbStandIn({ appendRpc, writeTimeoutMs: 2_000 });
  });
  afterAll(() => standIn.close());
  beforeEach(() => {
    store = EventStoreDbEventStore.connect(standIn.connectionString, OPTIONS);
  });
  afterEach(() => store.close());

  const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
  const storedIds = (streamName: string) => (standIn.log.stream(streamName) ?? []).map((event) => event.id);
  const ids = (events: Array<ProposedEvent | RecordedEvent>) => events.map((event) => event.id);

  /** Appends [B, C] after A at revision 0 under `fault`; returns what the adapter answered. */
  async function appendUnder(fault: AppendFault, streamName = fresh('s')) {
    const a = proposed('A');
    await store.appendToStream(streamName, [a], { expectedRevision: NO_STREAM });
    const events = [proposed('B'), proposed('C')];
    const requestsBefore = standIn.stats.appendRequests;
    standIn.injectAppendFault(fault, { streamName });
    const outcome = await store.appendToStream(streamName, events, { expectedRevision: 0n }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    return { streamName, written: [a, ...events], outcome, requests: standIn.stats.appendRequests - requestsBefore };
  }

  describe('an append whose answer is lost', () => {
    it.each<[string, AppendFault]>([
      ['the connection is cut before the node stores it', { kind: 'drop-connection', at: 'before-store' }],
      ['the connection is cut after the node stored it', { kind: 'drop-connection', at: 'after-store' }],
      ['the call fails with UNAVAILABLE before the node stores it', { kind: 'unavailable', at: 'before-store' }],
      ['the call fails with UNAVAILABLE after the node stored it', { kind: 'unavailable', at: 'after-store' }],
    ])('is repeated when %s: stored once, answered with the stored result', async (_case, fault) => {
      const { streamName, written, outcome, requests } = await appendUnder(fault);
      expect(outcome.error).toBeUndefined();
      expect(requests).toBeGreaterThanOrEqual(2); // the attempt that failed and its repeat
      const stored = standIn.log.stream(streamName) ?? [];
      expect(stored.map((event) => event.id)).toEqual(ids(written));
      expect(outcome.result).toEqual({ nextExpectedRevision: 2n, position: at(stored, 2).position });
      expect(verifyChain(await collect(store.readStream(streamName)))).toMatchObject({ ok: true, links: 3 });
    });

    it('is refused as a conflict, not written, when another writer took the revision before the repeat', async () => {
      const streamName = fresh('s');
      const other = proposed('Other');
      const { outcome, written } = await appendUnder(
        {
          kind: 'drop-connection',
          at: 'before-store',
          meanwhile: () => standIn.log.append(streamName, { kind: 'revision', revision: 0n }, [
            { id: other.id, type: 'Other', isJson: true, data: Buffer.from('{}'), metadata: Buffer.from('{}') },
          ]),
        },
        streamName,
      );
      expect(outcome.error).toBeInstanceOf(WrongExpectedVersionError);
      expect(outcome.error).toMatchObject({ expected: 0n, actual: 1n });
      expect(storedIds(streamName)).toEqual([at(written, 0).id, other.id]);
    });

    it('is recognised by its ids when appended with ANY', async () => {
      const streamName = fresh('s');
      await store.appendToStream(streamName, [proposed('A')], { expectedRevision: NO_STREAM });
      const events = [proposed('B')];
      standIn.injectAppendFault({ kind: 'drop-connection', at: 'after-store' }, { streamName });
      const result = await store.appendToStream(streamName, events, { expectedRevision: ANY });
      expect(result.nextExpectedRevision).toBe(1n);
      expect(storedIds(streamName)).toHaveLength(2);
    });

    it('leaves every one of many concurrent appends stored once when one of them cuts the shared connection', async () => {
      const appends = Array.from({ length: 20 }, () => ({ streamName: fresh('c'), events: [proposed('A'), proposed('B')] }));
      standIn.injectAppendFault({ kind: 'drop-connection', at: 'after-store' }, { streamName: at(appends, 7).streamName });
      const results = await Promise.all(appends.map(({ streamName, events }) => store.appendToStream(streamName, events, { expectedRevision: NO_STREAM })));
      expect(results.map((r) => r.nextExpectedRevision)).toEqual(appends.map(() => 1n));
      appends.forEach(({ streamName, events }) => expect(storedIds(streamName)).toEqual(ids(events)));
    });

    it('completes a sequential appendToStreams whose second append lost its answer, each append stored once', async () => {
      const [x, y, z] = [fresh('x'), fresh('y'), fresh('z')];
      const call = [x, y, z].map((streamName) => ({ streamName, events: [proposed('A')], expectedRevision: NO_STREAM }));
      standIn.injectAppendFault({ kind: 'unavailable', at: 'after-store' }, { streamName: y });
      const results = await store.appendToStreams(call);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 0n, 0n]);
      for (const append of call) expect(storedIds(append.streamName)).toEqual(ids(append.events));
    });
  });

  describe('an append answered too late', () => {
    it('is repeated after the deadline; the late write of the first attempt then lands as a repeat, not a second copy', async () => {
      // Deadline 300 ms: the repeat is stored at about 320 ms, the first attempt's write at 450 ms.
      const { streamName, written, outcome, requests } = await appendUnder({ kind: 'slow', delayMs: 450, store: true });
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.nextExpectedRevision).toBe(2n);
      expect(requests).toBeGreaterThanOrEqual(2);
      await sleep(250); // the first attempt's write has landed by now: the log answered it as a repeat
      expect(storedIds(streamName)).toEqual(ids(written));
    });

    it('is written by its repeat when the slow attempt never is', async () => {
      const { streamName, written, outcome } = await appendUnder({ kind: 'slow', delayMs: 450, store: false });
      expect(outcome.result?.nextExpectedRevision).toBe(2n);
      await sleep(250);
      expect(storedIds(streamName)).toEqual(ids(written));
    });

    it('is given up on and repeated when the node never answers (a hung node, the connection up)', async () => {
      // Append: the client's deadline (300 ms) ends the call; BatchAppend: the adapter stops waiting 1 s later.
      const { streamName, written, outcome, requests } = await appendUnder({ kind: 'stall' });
      expect(outcome.result?.nextExpectedRevision).toBe(2n);
      expect(requests).toBeGreaterThanOrEqual(2);
      expect(storedIds(streamName)).toEqual(ids(written));
    });
  });

  describe('a subscription', () => {
    async function subscriptionAcross(fault: () => void | Promise<void>) {
      const streamName = fresh('sub');
      const history = Array.from({ length: 150 }, (_, i) => proposed(`H${i}`));
      const live = Array.from({ length: 20 }, (_, i) => proposed(`L${i}`));
      await store.appendToStream(streamName, history, { expectedRevision: NO_STREAM });
      const subscriptionsBefore = standIn.stats.subscriptions;
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [streamName] } });
      try {
        const seen = await take(subscription, 60);
        await fault();
        await store.appendToStream(streamName, live, { expectedRevision: 149n });
        seen.push(...(await take(subscription, 110)));
        return { seen, expected: [...history, ...live], resubscriptions: standIn.stats.subscriptions - subscriptionsBefore - 1 };
      } finally {
        await subscription.close();
      }
    }

    it('resumes after its last event when the connection is cut mid-delivery: no gap, no duplicate', async () => {
      const { seen, expected, resubscriptions } = await subscriptionAcross(() => standIn.dropConnections());
      expect(ids(seen)).toEqual(ids(expected));
      expect(resubscriptions).toBeGreaterThanOrEqual(1);
    });

    it('resumes after its last event when the node fails the call with UNAVAILABLE', async () => {
      const { seen, expected, resubscriptions } = await subscriptionAcross(() => standIn.failSubscriptions());
      expect(ids(seen)).toEqual(ids(expected));
      expect(resubscriptions).toBeGreaterThanOrEqual(1);
    });
  });

  describe('a node restart', () => {
    it('is waited out: appends made while it is down are stored once, a subscription resumes, the log is kept', async () => {
      const streamName = fresh('r');
      const before = proposed('Before');
      await store.appendToStream(streamName, [before], { expectedRevision: NO_STREAM });
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [streamName] } });
      try {
        expect(ids(await take(subscription, 1))).toEqual([before.id]);
        await standIn.stop();
        const during = proposed('During');
        const appended = store.appendToStream(streamName, [during], { expectedRevision: 0n });
        await sleep(150);
        await standIn.start();
        expect((await appended).nextExpectedRevision).toBe(1n);
        const after = proposed('After');
        await store.appendToStream(streamName, [after], { expectedRevision: 1n });
        expect(ids(await take(subscription, 2))).toEqual([during.id, after.id]);
        expect(storedIds(streamName)).toEqual(ids([before, during, after]));
      } finally {
        await subscription.close();
      }
    });

    it('longer than the retries fails the append with the client error; the same call repeated later is stored once', async () => {
      const streamName = fresh('r');
      await store.appendToStream(streamName, [proposed('A')], { expectedRevision: NO_STREAM });
      await standIn.stop();
      const events = [proposed('B')];
      try {
        // Six retries, 20 ms doubling to 200 ms: about 0.7 s of trying.
        await expect(store.appendToStream(streamName, events, { expectedRevision: 0n })).rejects.toBeInstanceOf(UnavailableError);
      } finally {
        await standIn.start();
      }
      const result = await store.appendToStream(streamName, events, { expectedRevision: 0n });
      expect(result.nextExpectedRevision).toBe(1n);
      expect(storedIds(streamName)).toHaveLength(2);
    });
  });
});
