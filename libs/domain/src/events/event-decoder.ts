import type { DomainEvent } from '../decider';

/** An event as a store holds it: its type and its JSON data (structural: the domain imports nothing of the store). */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
}

/** A stored event whose type is not one of its stream's: a corrupt log, or an event read from the wrong stream. */
export class UnexpectedEventError extends Error {
  override readonly name = 'UnexpectedEventError';
}

/**
 * The set of an event union's types, from the keys of a record with one entry per type (`{ A: true, B: true }`,
 * or a table by type): the compiler refuses a record that misses a type or names another.
 */
export function eventTypes<E extends DomainEvent>(byType: { readonly [type in E['type']]: unknown }): ReadonlySet<string> {
  return new Set(Object.keys(byType));
}

/** One stream's decoder: its event types, and the typed event of a stored one. */
export interface EventDecoder<E extends DomainEvent> {
  readonly types: ReadonlySet<string>;
  /** The stored event as the stream's typed event; throws UnexpectedEventError for a type of another stream. */
  decode(event: StoredEvent): E;
  /** The typed event, or undefined for a type of another stream. */
  decodeIfKnown(event: StoredEvent): E | undefined;
}

/**
 * A stream's decoder. Only the type is checked against `types` (the set derived from the union): the data
 * is trusted as the domain wrote it, since events come from our own hash-chained store. An upcaster for
 * an older data version (`eventSchemaVersion`) would go here.
 * `types` must be the set of E's types (`eventTypes` of E's list, or a set derived the same way).
 */
export function eventDecoder<E extends DomainEvent>(of: string, types: ReadonlySet<string>): EventDecoder<E> {
  const decodeIfKnown = (event: StoredEvent): E | undefined =>
    // The one cast: the type is one of E's, the data E's data as written (see above).
    types.has(event.type) ? ({ type: event.type, data: event.data } as E) : undefined;
  return {
    types,
    decodeIfKnown,
    decode(event) {
      const decoded = decodeIfKnown(event);
      if (decoded === undefined) throw new UnexpectedEventError(`${event.type} is not an event of ${of}`);
      return decoded;
    },
  };
}
