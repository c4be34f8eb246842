import { randomUUID } from 'node:crypto';
import { EventStoreDbEventStore, NO_STREAM, STORE_IDENTIFIED_EVENT_TYPE, STORE_IDENTITY_STREAM, verifyChain } from '@app/event-store';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { type ContractStore, at, collect, describeEventStoreContract, proposed, take } from './event-store.contract';
import { AppendRpc, EventStoreDbStandIn, startEventStoreDbStandIn } from './eventstoredb-stand-in/stand-in-server';

/*
 * The contract suite against the EventStoreDB adapter, driven through the real client over gRPC:
 * - always against the stand-in (eventstoredb-stand-in/), once per append RPC the client can pick;
 * - also against a real server when one is named (docs/event-store.md):
 *     EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' npx jest libs/event-store
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

describe.each<AppendRpc>(['batch-append', 'append'])('EventStoreDB stand-in serving %s', (appendRpc) => {
  let standIn: EventStoreDbStandIn;
  beforeAll(async () => {
    standIn = await startEventStoreDbStandIn({ appendRpc });
  });
  afterAll(() => standIn.close());

  describeEventStoreContract(`EventStoreDB adapter through the stand-in (${appendRpc})`, async () => ({
    ...connected(standIn.connectionString),
    // Another store: a stand-in of its own, closed with the adapter.
    openAnother: async () => {
      const other = await startEventStoreDbStandIn({ appendRpc });
      const handle = connected(other.connectionString);
      return {
        ...handle,
        dispose: async () => {
          await handle.dispose();
          await other.close();
        },
      };
    },
  }));
});

/** An adapter on a server; `reopen` connects to the same server again. */
function connected(serverConnectionString: string): ContractStore {
  const store = EventStoreDbEventStore.connect(serverConnectionString);
  return { store, dispose: () => store.close(), reopen: async () => connected(serverConnectionString) };
}

if (connectionString) {
  describeEventStoreContract('EventStoreDB server', async () => connected(connectionString));
} else {
  console.log('EventStoreDB contract suite against a server skipped: EVENTSTORE_CONNECTION_STRING is not set (the stand-in runs it)');
}

describe('EventStoreDB adapter specifics, through the stand-in', () => {
  let standIn: EventStoreDbStandIn;
  let store: EventStoreDbEventStore;
  beforeEach(async () => {
    standIn = await startEventStoreDbStandIn();
    store = EventStoreDbEventStore.connect(standIn.connectionString);
  });
  afterEach(async () => {
    await store.close();
    await standIn.close();
  });

  it('leaves system events and non-JSON events out of reads, read counts and subscriptions', async () => {
    // The stand-in starts with $-streams and $-types, one of them binary, as a node has; one more comes between.
    const [u1, u2] = [proposed('U1'), proposed('U2')];
    await store.appendToStream('u-1', [u1], { expectedRevision: NO_STREAM });
    standIn.appendSystemEvent();
    await store.appendToStream('u-2', [u2], { expectedRevision: NO_STREAM });
    expect(standIn.log.all.length).toBe(7);

    expect((await collect(store.readAll())).map((e) => e.id)).toEqual([u1.id, u2.id]);
    expect((await collect(store.readAll({ maxCount: 2 }))).map((e) => e.id)).toEqual([u1.id, u2.id]);
    expect((await collect(store.readAll({ direction: 'backwards', maxCount: 2 }))).map((e) => e.id)).toEqual([u2.id, u1.id]);
    const subscription = store.subscribeToAll();
    try {
      expect((await take(subscription, 2)).map((e) => e.id)).toEqual([u1.id, u2.id]);
    } finally {
      await subscription.close();
    }
  });

  it('shows an event rewritten in the store behind the service as a broken link at that event', async () => {
    await store.appendToStream('s', [proposed('A', { n: 1 }), proposed('B', { n: 2 }), proposed('C', { n: 3 })], { expectedRevision: NO_STREAM });
    expect(verifyChain(await collect(store.readStream('s'))).ok).toBe(true);
    at(standIn.log.stream('s') ?? [], 1).data = Buffer.from('{"n":20}');
    const { breaks } = verifyChain(await collect(store.readStream('s')));
    expect(breaks.map((b) => [b.event.revision, b.reason])).toEqual([[1n, 'HASH_MISMATCH']]);
  });

  it('links the first event appended to a stream written before the chain to that history', async () => {
    const raw = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      const metadata = { correlationId: 'c', causationId: 'c', actor: 'test:legacy', recordedAt: '2026-01-01T00:00:00.000Z' };
      await raw.appendToStream('old', [jsonEvent({ type: 'A', data: { n: 1 }, metadata }), jsonEvent({ type: 'B', data: { n: 2 }, metadata })]);
    } finally {
      await raw.dispose();
    }
    await store.appendToStream('old', [proposed('C')], { expectedRevision: 1n });
    const read = await collect(store.readStream('old'));
    expect(read.map((event) => event.metadata.chain === undefined)).toEqual([true, true, false]);
    expect(verifyChain(read)).toMatchObject({ ok: true, legacy: 2 });
  });

  it('reads ids back in lower case, chained and de-duplicated as such', async () => {
    const event = { ...proposed('A'), id: randomUUID().toUpperCase() };
    const first = await store.appendToStream('s', [event], { expectedRevision: NO_STREAM });
    expect(await store.appendToStream('s', [{ ...event, id: event.id.toLowerCase() }], { expectedRevision: NO_STREAM })).toEqual(first);
    const read = await collect(store.readStream('s'));
    expect(read.map((e) => e.id)).toEqual([event.id.toLowerCase()]);
    expect(verifyChain(read).ok).toBe(true);
  });

  describe('identity', () => {
    it('is recorded by the first call as the first event of ledger-store-identity, then read from it', async () => {
      const identity = await store.identity();
      const stored = await collect(store.readStream(STORE_IDENTITY_STREAM));
      expect(stored).toHaveLength(1);
      const recorded = at(stored, 0);
      expect(recorded).toMatchObject({ type: STORE_IDENTIFIED_EVENT_TYPE, revision: 0n, data: { identity } });
      expect(recorded.metadata).toMatchObject({ actor: 'system:event-store' });
      expect(verifyChain([recorded]).ok).toBe(true);

      const later = EventStoreDbEventStore.connect(standIn.connectionString);
      try {
        expect(await later.identity()).toBe(identity);
      } finally {
        await later.close();
      }
      expect(await collect(store.readStream(STORE_IDENTITY_STREAM))).toHaveLength(1);
    });

    it('is asked of the server once per adapter', async () => {
      const identity = await store.identity();
      const reads = standIn.stats.reads;
      expect(await store.identity()).toBe(identity);
      expect(standIn.stats.reads).toBe(reads);
    });

    it('is the winner\'s for every adapter when several record one at once', async () => {
      const adapters = Array.from({ length: 4 }, () => EventStoreDbEventStore.connect(standIn.connectionString));
      try {
        const identities = await Promise.all(adapters.map((adapter) => adapter.identity()));
        expect(new Set(identities).size).toBe(1);
        // Each found none and tried to record its own: all but one lost and read the winner's.
        expect(standIn.stats.appendRequests).toBe(adapters.length);
        const recorded = await collect(store.readStream(STORE_IDENTITY_STREAM));
        expect(recorded.map((event) => event.data.identity)).toEqual([identities[0]]);
        expect(await store.identity()).toBe(identities[0]);
      } finally {
        await Promise.all(adapters.map((adapter) => adapter.close()));
      }
    });

    it('is asked again after a failure, not remembered as one', async () => {
      await standIn.stop();
      await expect(store.identity()).rejects.toThrow();
      await standIn.start();
      expect(await store.identity()).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a ledger-store-identity stream that does not start with an identity', async () => {
      await store.appendToStream(STORE_IDENTITY_STREAM, [proposed('SomethingElse')], { expectedRevision: NO_STREAM });
      await expect(store.identity()).rejects.toThrow(`stream ${STORE_IDENTITY_STREAM} does not start with an EventStoreIdentified event`);
    });
  });

  it('connects with a cluster connection string, through gossip', async () => {
    const cluster = EventStoreDbEventStore.connect(`esdb://localhost:${standIn.port},127.0.0.1:${standIn.port}?tls=false`);
    try {
      await cluster.ping();
      expect((await cluster.appendToStream('g', [proposed('A')], { expectedRevision: NO_STREAM })).nextExpectedRevision).toBe(0n);
    } finally {
      await cluster.close();
    }
  });

  it('keeps no finished call open after appends and reads cut short, so close() returns', async () => {
    await store.appendToStream('s', [proposed('A')], { expectedRevision: NO_STREAM });
    for (let revision = 0n; revision < 10n; revision += 1n) {
      // Each reads the event it links to (a one-event read), then appends.
      await store.appendToStream('s', [proposed('B')], { expectedRevision: revision });
    }
    for await (const event of store.readAll()) if (event) break;
    const open = (store as unknown as { client: { disposableStreams: Set<unknown> } }).client.disposableStreams;
    await new Promise((resolve) => setImmediate(resolve));
    expect(open.size).toBeLessThanOrEqual(1); // the BatchAppend call, kept for the next append
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      store.close().then(() => 'closed'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('still open'), 2_000))),
    ]).finally(() => clearTimeout(timer));
    expect(closed).toBe('closed');
  });
});
