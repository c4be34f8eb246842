import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { EventStoreDbStandIn, startEventStoreDbStandIn } from './stand-in-server';

/*
 * What the EventStoreDB adapter relies on from the server's answers, asked with the bare client. The same
 * tests run against the stand-in (both append RPCs) and, when EVENTSTORE_CONNECTION_STRING names one,
 * against a real server: where the two disagree, the stand-in is wrong and the contract suite's runs
 * through it prove less than they claim.
 */
type Target = { name: string; connectionString: () => string; standIn?: 'batch-append' | 'append' };

const targets: Target[] = [
  { name: 'the stand-in (BatchAppend)', connectionString: () => '', standIn: 'batch-append' },
  { name: 'the stand-in (Append)', connectionString: () => '', standIn: 'append' },
];
const server = process.env.EVENTSTORE_CONNECTION_STRING;
if (server) targets.push({ name: 'the server', connectionString: () => server });

describe.each(targets)('EventStoreDB wire answers the adapter relies on: $name', (target) => {
  let standIn: EventStoreDbStandIn | undefined;
  let client: EventStoreDBClient;
  let stream: string;
  beforeAll(async () => {
    if (target.standIn) standIn = await startEventStoreDbStandIn({ appendRpc: target.standIn });
    client = EventStoreDBClient.connectionString(standIn?.connectionString ?? target.connectionString());
  });
  afterAll(async () => {
    await client.dispose();
    await standIn?.close();
  });
  beforeEach(() => {
    stream = `wire-${randomUUID()}`;
  });

  const event = (type: string, data: Record<string, unknown> = {}) =>
    jsonEvent({ id: randomUUID(), type, data, metadata: { actor: 'test:wire' } });

  it('answers an append with the revision and the commit position of its last event, which reads give back', async () => {
    const [a, b] = [event('A', { n: 1 }), event('B', { n: 2 })];
    const result = await client.appendToStream(stream, [a, b], { expectedRevision: NO_STREAM });
    expect(result.nextExpectedRevision).toBe(1n);
    const read = await client.readStream(stream).toArray();
    expect(read.map((e) => [e.event?.id, e.event?.type, e.event?.revision, e.event?.data, e.event?.metadata, e.event?.isJson])).toEqual([
      [a.id, 'A', 0n, { n: 1 }, { actor: 'test:wire' }, true],
      [b.id, 'B', 1n, { n: 2 }, { actor: 'test:wire' }, true],
    ]);
    // Each event its own implicit transaction: commit position = prepare position, on stream reads too.
    expect(read[1]?.event?.position).toEqual({ commit: result.position?.commit, prepare: result.position?.commit });
    expect(read[1].commitPosition).toBe(result.position?.commit);
    expect(read[0].event?.position?.commit).toBeLessThan(read[1].event?.position?.commit as bigint);
  });

  it('refuses a wrong expected revision with the current one, or no_stream', async () => {
    const missing = await client.appendToStream(stream, [event('A')], { expectedRevision: 3n }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect(missing).toMatchObject({ streamName: stream, expectedVersion: 3n, actualVersion: 'no_stream' });
    await client.appendToStream(stream, [event('A'), event('B')], { expectedRevision: NO_STREAM });
    const taken = await client.appendToStream(stream, [event('C')], { expectedRevision: NO_STREAM }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(WrongExpectedVersionError);
    expect(taken).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
  });

  it('answers a repeat at the same expected revision with the first result, and a partial repeat as a wrong expected version', async () => {
    await client.appendToStream(stream, [event('A')], { expectedRevision: NO_STREAM });
    const b = event('B');
    const events = [b, event('C')];
    const first = await client.appendToStream(stream, events, { expectedRevision: 0n });
    await client.appendToStream(stream, [event('D')], { expectedRevision: 2n });
    expect(await client.appendToStream(stream, events, { expectedRevision: 0n })).toEqual(first);
    await expect(client.appendToStream(stream, [b, event('X')], { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await client.readStream(stream).toArray()).map((e) => e.event?.type)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('reads $all forwards from a position including the event there, backwards excluding it', async () => {
    await client.appendToStream(stream, [event('A'), event('B'), event('C')], { expectedRevision: NO_STREAM });
    const own = await client.readStream(stream).toArray();
    const at = own[1].event?.position as { commit: bigint; prepare: bigint };
    const forwards = await client.readAll({ fromPosition: at, direction: FORWARDS, maxCount: 2 }).toArray();
    expect(forwards.map((e) => e.event?.type)).toEqual(['B', 'C']);
    const backwards = await client.readAll({ fromPosition: at, direction: BACKWARDS, maxCount: 1 }).toArray();
    expect(backwards.map((e) => e.event?.type)).toEqual(['A']);
  });

  it('starts a subscription to $all after the given position', async () => {
    await client.appendToStream(stream, [event('A'), event('B')], { expectedRevision: NO_STREAM });
    const own = await client.readStream(stream).toArray();
    const subscription = client.subscribeToAll({
      fromPosition: own[0].event?.position as { commit: bigint; prepare: bigint },
      filter: streamNameFilter({ prefixes: [stream] }),
    });
    try {
      for await (const resolved of subscription) {
        expect(resolved.event?.type).toBe('B');
        break;
      }
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('reports a stream that does not exist as not found', async () => {
    await expect(client.readStream(stream).toArray()).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});
