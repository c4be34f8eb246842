import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { RecordedEvent } from './event-store.port';
import { GENESIS_HASH, type ChainEvent, chainLink, chainLinkOfCanonicalData, legacyTip, verifyChain } from './hash-chain';

/** A stream's events linked as an adapter links them. */
function linkedStream(streamName: string, datas: object[], unlinked = 0): RecordedEvent[] {
  let prev = GENESIS_HASH;
  return datas.map((data, index) => {
    const metadata = { correlationId: 'c', causationId: 'c', actor: 'test:chain', recordedAt: '2026-12-01T02:00:00.000Z' };
    const base = { id: `0000000${index}-0000-4000-8000-000000000000`, type: `E${index}`, streamName, revision: BigInt(index), position: BigInt(10 + index), data: data as never };
    if (index < unlinked) {
      prev = chainLink(prev, { ...base, metadata }).hash;
      return { ...base, metadata };
    }
    const chain = chainLink(prev, { ...base, metadata });
    prev = chain.hash;
    return { ...base, metadata: { ...metadata, chain } };
  });
}

describe('canonicalJson', () => {
  it('sorts members by key at every depth, integer-like keys included, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: { '10': 'x', '2': 'y', z: [3, { d: null, c: true }] } })).toBe(
      '{"a":{"10":"x","2":"y","z":[3,{"c":true,"d":null}]},"b":1}',
    );
  });

  it('keeps what JSON keeps: undefined members dropped, null in arrays, toJSON applied', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: new Date('2026-12-01T00:00:00Z') })).toBe('{"b":[null,1],"c":"2026-12-01T00:00:00.000Z"}');
  });

  it('writes every string, key and number as JSON.stringify does (escapes, non-ASCII, lone surrogates)', () => {
    for (const text of ['plain', 'a"b', 'back\\slash', 'line\nbreak', '\u0001\u001f\u007f', '北京甲乙', '\ud800', 'emoji \ud83d\ude00', '']) {
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    }
    expect(canonicalJson([0, -0, 1.5e21, 1e-7, NaN, Infinity, true, null])).toBe(JSON.stringify([0, -0, 1.5e21, 1e-7, NaN, Infinity, true, null]));
  });

  it('gives the same text for a value and for its JSON read back', () => {
    const value = { amount: '50000.00', payer: { name: '北京甲乙建设有限公司', accountNo: '6222' }, n: 1.5e21, list: [{ y: 1, x: 2 }] };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});

describe('chainLink', () => {
  const content = {
    streamName: 'lot-L1',
    revision: 3n,
    id: 'AAAAAAAA-0000-4000-8000-000000000000',
    type: 'BondCredited',
    data: { amount: '1.00' },
    metadata: { actor: 'esb:B1', recordedAt: '2026-12-01T02:00:00.000Z', chain: { prev: 'ignored', hash: 'ignored' } },
  };

  it('is sha256(prev, newline, canonical content without the link), the id in lower case, the revision a decimal string', () => {
    const canonical =
      '{"data":{"amount":"1.00"},"id":"aaaaaaaa-0000-4000-8000-000000000000","metadata":{"actor":"esb:B1","recordedAt":"2026-12-01T02:00:00.000Z"},' +
      '"revision":"3","streamName":"lot-L1","type":"BondCredited"}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex');
    expect(chainLink(GENESIS_HASH, content)).toEqual({ prev: GENESIS_HASH, hash: expected });
  });

  it('equals the variant given the canonical data', () => {
    expect(chainLinkOfCanonicalData('ab'.repeat(32), content, canonicalJson(content.data))).toEqual(chainLink('ab'.repeat(32), content));
  });

  it.each([
    ['the data', { data: { amount: '1.01' } }],
    ['the revision', { revision: 4n }],
    ['the stream', { streamName: 'lot-L2' }],
    ['the type', { type: 'CreditReversed' }],
    ['recordedAt', { metadata: { ...content.metadata, recordedAt: '2026-12-01T02:00:00.001Z' } }],
  ])('changes with %s', (_what, change) => {
    expect(chainLink(GENESIS_HASH, { ...content, ...change }).hash).not.toBe(chainLink(GENESIS_HASH, content).hash);
  });
});

/** The events with the one at `index` changed. */
function editAt<T>(events: readonly T[], index: number, change: (event: T) => T): T[] {
  return events.map((event, at) => (at === index ? change(event) : event));
}

describe('verifyChain', () => {
  const events = () => [...linkedStream('s-1', [{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]), ...linkedStream('s-2', [{ b: 1 }])];

  it('accepts intact streams', () => {
    expect(verifyChain(events())).toEqual({ ok: true, breaks: [], links: 5, legacy: 0 });
  });

  it('names an edited event: its content no longer matches its hash', () => {
    const edited = editAt(events(), 1, (event) => ({ ...event, data: { a: 20 } }));
    const { ok, breaks } = verifyChain(edited);
    expect(ok).toBe(false);
    expect(breaks.map((b) => [b.event.streamName, b.event.revision, b.reason])).toEqual([['s-1', 1n, 'HASH_MISMATCH']]);
  });

  it('names the event after one edited and re-hashed', () => {
    // s-1's first two events as the adapter links them, the second with other data: edited and re-hashed.
    const edited = [...linkedStream('s-1', [{ a: 1 }, { a: 20 }]), ...events().slice(2)];
    expect(verifyChain(edited).breaks.map((b) => [b.event.revision, b.reason])).toEqual([[2n, 'PREV_MISMATCH']]);
  });

  it('names the event after a deleted one', () => {
    const gap = events().filter((e) => !(e.streamName === 's-1' && e.revision === 1n));
    expect(verifyChain(gap).breaks.map((b) => [b.event.revision, b.reason])).toEqual([[2n, 'REVISION_GAP']]);
  });

  it('reports a link removed after linked events and a malformed one', () => {
    const unlinked = editAt<ChainEvent>(events(), 2, (event) => ({ ...event, metadata: { ...event.metadata, chain: undefined as never } }));
    const list = editAt(unlinked, 4, (event) => ({ ...event, metadata: { ...event.metadata, chain: { prev: 'x', hash: 'y' } } }));
    expect(verifyChain(list).breaks.map((b) => [b.event.streamName, b.reason])).toEqual([
      ['s-1', 'MISSING_LINK'],
      ['s-2', 'MALFORMED_LINK'],
    ]);
  });

  it('accepts unlinked events at the head of a stream (written before the chain), sealed by the first linked one', () => {
    const stream = linkedStream('old', [{ a: 1 }, { a: 2 }, { a: 3 }], 2);
    expect(verifyChain(stream)).toMatchObject({ ok: true, legacy: 2 });
    expect(legacyTip(stream.slice(0, 2))).toBe((stream[2]?.metadata.chain as { prev: string } | undefined)?.prev);
    const edited = editAt(stream, 0, (event) => ({ ...event, data: { a: 9 } }));
    expect(verifyChain(edited).breaks.map((b) => [b.event.revision, b.reason])).toEqual([[2n, 'PREV_MISMATCH']]);
  });
});
