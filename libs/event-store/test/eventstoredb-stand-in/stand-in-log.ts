/*
 * The in-memory log of the EventStoreDB stand-in (test code only): streams with revisions from 0, one
 * global log ordered by position, and EventStoreDB's append check (its `CheckCommit`): expected
 * revision, idempotent re-append of stored event ids, and "corrupted idempotency" answered as a wrong
 * expected version. No gRPC here; `stand-in-server.ts` speaks the wire protocol over it.
 *
 * Differences from a real server, on purpose: nothing is written to disk (the log lives as long as the
 * `StandInLog` object, across stand-in restarts); the id cache behind ANY-idempotency never forgets (a
 * server remembers only recent ids); no stream deletion, stream metadata, links or explicit transactions.
 */

/** A stored event. Commit and prepare positions are one value: each event is its own implicit transaction. */
export interface StandInEvent {
  streamName: string;
  revision: bigint;
  position: bigint;
  /** Lower case, as EventStoreDB returns ids. */
  id: string;
  type: string;
  /** EventStoreDB keeps a flag, not the content type: `application/json` or not. */
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
  created: Date;
}

export interface ProposedStandInEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

export type StandInExpected =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export type StandInAppendOutcome =
  | {
      kind: 'success';
      /** The stream's revision after the append: its last event's, or that of the last repeated event. */
      currentRevision: bigint;
      /** The position of that event. */
      position: bigint;
      /** False when the append was recognised as a repeat of stored events (idempotent). */
      written: boolean;
    }
  | { kind: 'wrong_expected_version'; current: bigint | 'no_stream' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * What a record takes in the log, so that positions grow as a real log's byte offsets do (not by one):
 * code that computes "the next position" instead of reading it fails here as it would on a server.
 */
function recordSize(streamName: string, event: ProposedStandInEvent): bigint {
  return BigInt(64 + Buffer.byteLength(streamName) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length);
}

export class StandInLog {
  /** Every event in position order. */
  readonly all: StandInEvent[] = [];
  private readonly streams = new Map<string, StandInEvent[]>();
  /** The server's committed-events cache, here without eviction: event id → the last event stored with it. */
  private readonly byId = new Map<string, StandInEvent>();
  private nextPosition = 0n;
  private waiters: Array<() => void> = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  stream(streamName: string): readonly StandInEvent[] | undefined {
    return this.streams.get(streamName);
  }

  /** Index in `all` of the first event at or after `position`. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.all[mid]!.position < position) low = mid + 1; // low <= mid < high <= length
      else high = mid;
    }
    return low;
  }

  /** Resolves at the next append (or at once if `signal` is already aborted). */
  nextAppend(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * EventStoreDB's commit check, then the write. `STREAM_EXISTS` on an existing stream and `ANY` are
   * de-duplicated through the id cache; an exact revision (or `NO_STREAM`, revision -1) behind the
   * stream's end is a repeat when the events after it carry the proposed ids in order.
   */
  append(streamName: string, expected: StandInExpected, events: ProposedStandInEvent[]): StandInAppendOutcome {
    const stored = this.streams.get(streamName) ?? [];
    const current = BigInt(stored.length) - 1n;
    const currentOrNoStream = current < 0n ? 'no_stream' : current;
    const ids = events.map((event) => event.id.toLowerCase());

    let expectedRevision: bigint | 'any';
    switch (expected.kind) {
      case 'any':
        expectedRevision = 'any';
        break;
      case 'stream_exists':
        if (current < 0n) return { kind: 'wrong_expected_version', current: 'no_stream' };
        expectedRevision = 'any';
        break;
      case 'no_stream':
        expectedRevision = -1n;
        break;
      case 'revision':
        expectedRevision = expected.revision;
        break;
    }

    if (expectedRevision === 'any') {
      const known = ids.map((id) => this.byId.get(id)).map((event) => (event?.streamName === streamName ? event : undefined));
      if (ids.length > 0 && known[0]) {
        if (known.some((event) => !event)) return { kind: 'wrong_expected_version', current: currentOrNoStream };
        const last = known[known.length - 1] as StandInEvent;
        return { kind: 'success', currentRevision: last.revision, position: last.position, written: false };
      }
      return this.write(streamName, stored, events);
    }

    if (expectedRevision < current) {
      let revision = expectedRevision;
      let last: StandInEvent | undefined;
      for (const id of ids) {
        revision += 1n;
        const at = revision <= current ? stored[Number(revision)] : undefined;
        if (at?.id === id) {
          last = at;
          continue;
        }
        // Only the first event differing makes it a conflict; a later one makes it "corrupted idempotency",
        // which EventStoreDB also answers as a wrong expected version.
        return { kind: 'wrong_expected_version', current: currentOrNoStream };
      }
      if (last === undefined) return { kind: 'wrong_expected_version', current: currentOrNoStream }; // no ids
      return { kind: 'success', currentRevision: last.revision, position: last.position, written: false };
    }
    if (expectedRevision > current) return { kind: 'wrong_expected_version', current: currentOrNoStream };
    return this.write(streamName, stored, events);
  }

  private write(streamName: string, stored: StandInEvent[], events: ProposedStandInEvent[]): StandInAppendOutcome {
    if (events.length === 0) {
      const last = stored[stored.length - 1];
      // A real server answers an empty append with the stream as it is; the adapter never sends one.
      return { kind: 'success', currentRevision: last ? last.revision : -1n, position: last ? last.position : -1n, written: false };
    }
    const created = this.clock();
    for (const proposed of events) {
      const event: StandInEvent = {
        streamName,
        revision: BigInt(stored.length),
        position: this.nextPosition,
        id: proposed.id.toLowerCase(),
        type: proposed.type,
        isJson: proposed.isJson,
        data: proposed.data,
        metadata: proposed.metadata,
        created,
      };
      this.nextPosition += recordSize(streamName, proposed);
      stored.push(event);
      this.all.push(event);
      this.byId.set(event.id, event);
    }
    this.streams.set(streamName, stored);
    const last = stored[stored.length - 1]!; // events is not empty: just written
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
    return { kind: 'success', currentRevision: last.revision, position: last.position, written: true };
  }
}
