/**
 * The published topics, their entities and the message envelope (docs/topics.md).
 *
 * Every topic is compacted and keyed by entity id: Kafka keeps at least the latest message of every
 * key, and every message of one key goes to one partition, so a key's messages stay in order.
 */

/**
 * The version of the envelope and of every `state` shape; bumped (with new `.vN` topics) when they
 * change incompatibly. A topic's own version (its `.vN`) is bumped alone when only its keys change
 * (docs/topics.md "Versions"): the envelope stays at 1.
 */
export const ENVELOPE_SCHEMA_VERSION = 1 as const;

/** The five topics, by role. */
export type TopicKind = 'balances' | 'lots' | 'bonds' | 'refunds' | 'refundInstructions';

export const TOPIC_KINDS: readonly TopicKind[] = ['balances', 'lots', 'bonds', 'refunds', 'refundInstructions'];

/** The default prefix: topics are `ledger.balances.v2`, `ledger.lots.v1`, … Tests use their own prefix per run. */
export const DEFAULT_TOPIC_PREFIX = 'ledger.';

/**
 * Topic name suffixes. A topic's `.vN` is its contract's version: its keys and the envelope's schema
 * version. Bumped on a breaking change (a new topic; the old one is no longer written).
 * - balances v2: master-account keys name the bank, `master-account:{bankCode}:{accountNo}` (v1:
 *   `master-account:{accountNo}`, which merged two banks' accounts of one number).
 */
const SUFFIX: { readonly [kind in TopicKind]: string } = {
  balances: 'balances.v2',
  lots: 'lots.v1',
  bonds: 'bonds.v1',
  refunds: 'refunds.v1',
  refundInstructions: 'refund-instructions.v1',
};

export type TopicNames = { readonly [kind in TopicKind]: string };

/** The topic names under a prefix (default `ledger.`). */
export function topicNames(prefix: string = DEFAULT_TOPIC_PREFIX): TopicNames {
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) throw new RangeError(`a topic prefix may hold only [A-Za-z0-9._-], got "${prefix}"`);
  const names = Object.fromEntries(TOPIC_KINDS.map((kind) => [kind, `${prefix}${SUFFIX[kind]}`])) as { [kind in TopicKind]: string };
  for (const name of Object.values(names)) {
    if (name.length > 249) throw new RangeError(`topic name too long: ${name}`);
  }
  return names;
}

/**
 * What a message is about; `entity` in the envelope. The balances topic carries two entities (a
 * ledger account, keyed by its account id `<kind>:<identifier>`, and a master account's total,
 * keyed `master-account:<bankCode>:<accountNo>`), the lots topic two (a lot, keyed by its id, and a rate
 * schedule, keyed `rate-schedule:<scheduleId>`), the refunds topic two (a refund, keyed by its refund id,
 * and an overdue refund, keyed by its bond id), the others one each.
 */
export type Entity = 'ledger-account' | 'master-account' | 'lot' | 'bond' | 'refund' | 'refund-instruction' | 'rate-schedule' | 'overdue-refund';

export const TOPIC_OF_ENTITY: { readonly [entity in Entity]: TopicKind } = {
  'ledger-account': 'balances',
  'master-account': 'balances',
  lot: 'lots',
  // The schedules the lots' terms name (`rateScheduleId`), keyed `rate-schedule:{scheduleId}`.
  'rate-schedule': 'lots',
  bond: 'bonds',
  refund: 'refunds',
  // A bond whose refund was still owed at its limit (Art. 57), keyed by the bond id `B-{h16}-{lotId}`.
  'overdue-refund': 'refunds',
  'refund-instruction': 'refundInstructions',
};

/** The JSON value of every message. The Kafka key is `key`. */
export interface Envelope<S = unknown> {
  readonly schemaVersion: typeof ENVELOPE_SCHEMA_VERSION;
  readonly entity: Entity;
  /** The entity id, also the message key. */
  readonly key: string;
  /** The id of the event after which the entity is in `state`. */
  readonly sourceEventId: string;
  readonly sourceEventType: string;
  /** The event's global position in the ledger's log, a decimal string: grows with every event. */
  readonly position: string;
  /** When the event store recorded the event (ISO-8601). */
  readonly recordedAt: string;
  /** The entity's whole published state after the event (not a delta). */
  readonly state: S;
}

/** Message headers (all strings): routing without parsing the value. */
export const HEADER_SCHEMA_VERSION = 'schema-version';
export const HEADER_ENTITY = 'entity';
export const HEADER_CONTENT_TYPE = 'content-type';
