import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainLink, RecordedEvent } from './event-store.port';

/**
 * The tamper-evidence chain: every event's `metadata.chain` links it to the previous event of its
 * stream, `hash = sha256hex(prev + "\n" + canonical content)`, `prev` = the previous event's hash or
 * GENESIS_HASH at revision 0. Editing a stored event breaks its own hash; re-hashing it breaks the
 * next event's `prev`. One pure module, used by both adapters when they append and by the audit.
 *
 * The content is everything of the event but its global position (EventStoreDB assigns that only
 * while appending) and the link itself: stream name, revision (decimal string), id (lower case, as
 * EventStoreDB returns ids), type, data and metadata, including the store-stamped `recordedAt`.
 */

export const GENESIS_HASH = '0'.repeat(64);

const HASH = /^[0-9a-f]{64}$/;

// One-shot crypto.hash (Node >= 20.12) is ~40 % faster than createHash for an event's few hundred
// bytes, and this runs on every append; the engines range still admits 20.11, hence the fallback.
const sha256hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export interface ChainContent {
  readonly streamName: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  /** The metadata as stored; a `chain` member in it is ignored. */
  readonly metadata: { readonly [key: string]: unknown };
}

export function chainLink(prev: string, content: ChainContent): ChainLink {
  return chainLinkOfCanonicalData(prev, content, canonicalJson(content.data));
}

/**
 * `chainLink` with the data's canonical JSON already made: adapters make it when the append is called,
 * so a caller changing its data object while the append waits cannot make the hash cover other data.
 */
export function chainLinkOfCanonicalData(prev: string, content: Omit<ChainContent, 'data'>, canonicalData: string): ChainLink {
  const metadata = 'chain' in content.metadata ? withoutLink(content.metadata) : content.metadata;
  // canonicalJson of {data, id, metadata, revision, streamName, type}: the members in sorted order.
  const canonical =
    `{"data":${canonicalData},"id":${canonicalJson(content.id.toLowerCase())},"metadata":${canonicalJson(metadata)},` +
    `"revision":"${content.revision}","streamName":${canonicalJson(content.streamName)},"type":${canonicalJson(content.type)}}`;
  return { prev, hash: sha256hex(`${prev}\n${canonical}`) };
}

function withoutLink({ chain: _link, ...metadata }: ChainContent['metadata']): ChainContent['metadata'] {
  return metadata;
}

export type ChainEvent = Pick<RecordedEvent, 'streamName' | 'revision' | 'position' | 'id' | 'type' | 'data' | 'metadata'>;

export type ChainBreakReason =
  /** A revision is missing before this event (a deleted row). */
  | 'REVISION_GAP'
  /** `chain.prev` is not the hash of the previous event (it was edited, removed or the stream forked). */
  | 'PREV_MISMATCH'
  /** `chain.hash` does not cover this event's content (the event itself was edited). */
  | 'HASH_MISMATCH'
  /** No link on an event after the stream's first linked one. */
  | 'MISSING_LINK'
  | 'MALFORMED_LINK';

export interface ChainBreak {
  readonly event: ChainEvent;
  readonly reason: ChainBreakReason;
  readonly message: string;
}

interface StreamTip {
  readonly revision: bigint;
  readonly hash: string;
  /** Only events written before the chain existed so far (see `legacy`). */
  readonly unlinked: boolean;
  readonly broken: boolean;
}

function isLink(value: unknown): value is ChainLink {
  const link = value as ChainLink | undefined;
  return typeof link === 'object' && link !== null && HASH.test(String(link.prev)) && HASH.test(String(link.hash));
}

/**
 * Checks events stream by stream, fed in order (interleaved streams are fine, e.g. a read of `$all`).
 * Reports the first break of each stream and then ignores that stream. Events written before the
 * chain existed (no `metadata.chain`) are accepted only at the head of a stream: their hashes are
 * computed, so the stream's first linked event seals them.
 */
export class ChainVerifier {
  private readonly tips = new Map<string, StreamTip>();
  /** Events checked, and how many of them were unlinked events written before the chain. */
  links = 0;
  legacy = 0;
  /** The content hash computed for the event last checked; undefined when it was not computed (its stream was already broken, or a revision is missing). */
  lastHash: string | undefined;

  /** The break this event shows, or undefined when it links correctly (or its stream is already broken). */
  check(event: ChainEvent): ChainBreak | undefined {
    this.lastHash = undefined;
    const tip = this.tips.get(event.streamName);
    if (tip?.broken) return undefined;
    const problem = this.problemOf(tip, event);
    if (problem) {
      this.tips.set(event.streamName, { revision: event.revision, hash: '', unlinked: false, broken: true });
      return { event, ...problem };
    }
    return undefined;
  }

  /** Streams seen. */
  get streams(): number {
    return this.tips.size;
  }

  private problemOf(tip: StreamTip | undefined, event: ChainEvent): Omit<ChainBreak, 'event'> | undefined {
    const expectedRevision = tip === undefined ? 0n : tip.revision + 1n;
    if (event.revision !== expectedRevision) {
      return { reason: 'REVISION_GAP', message: `revision ${event.revision} follows ${tip === undefined ? 'nothing' : `revision ${tip.revision}`}` };
    }
    const prev = tip?.hash ?? GENESIS_HASH;
    const computed = chainLink(prev, event);
    this.lastHash = computed.hash;
    const stored = (event.metadata as { chain?: unknown }).chain;
    this.links += 1;
    if (stored === undefined) {
      if (tip !== undefined && !tip.unlinked) return { reason: 'MISSING_LINK', message: 'no metadata.chain after linked events' };
      this.legacy += 1;
      this.tips.set(event.streamName, { revision: event.revision, hash: computed.hash, unlinked: true, broken: false });
      return undefined;
    }
    if (!isLink(stored)) return { reason: 'MALFORMED_LINK', message: 'metadata.chain is not {prev, hash} of 64 hex digits' };
    if (stored.prev !== prev) {
      return { reason: 'PREV_MISMATCH', message: `chain.prev ${stored.prev} is not the previous event's hash ${prev}` };
    }
    if (stored.hash !== computed.hash) {
      return { reason: 'HASH_MISMATCH', message: `chain.hash ${stored.hash} does not match the content, which hashes to ${computed.hash}` };
    }
    this.tips.set(event.streamName, { revision: event.revision, hash: stored.hash, unlinked: false, broken: false });
    return undefined;
  }
}

export interface ChainVerification {
  readonly ok: boolean;
  /** The first break of each broken stream. */
  readonly breaks: readonly ChainBreak[];
  readonly links: number;
  readonly legacy: number;
}

/** Verifies events of one or more streams, each stream's events in revision order from revision 0. */
export function verifyChain(events: Iterable<ChainEvent>): ChainVerification {
  const verifier = new ChainVerifier();
  const breaks: ChainBreak[] = [];
  for (const event of events) {
    const broken = verifier.check(event);
    if (broken) breaks.push(broken);
  }
  return { ok: breaks.length === 0, breaks, links: verifier.links, legacy: verifier.legacy };
}

/**
 * The hash a new event must link to when the stream's last event has no link (written before the
 * chain existed): linked events keep their stored hash, unlinked ones get the hash they would have had,
 * so the new event seals the whole history before it. Never refuses: a write is not the place to audit.
 */
export function legacyTip(streamEvents: Iterable<ChainEvent>): string {
  let prev = GENESIS_HASH;
  for (const event of streamEvents) {
    const stored = (event.metadata as { chain?: unknown }).chain;
    prev = isLink(stored) ? stored.hash : chainLink(prev, event).hash;
  }
  return prev;
}
