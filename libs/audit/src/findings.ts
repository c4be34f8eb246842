import type { RecordedEvent } from '@app/event-store';

/** The event a finding is about, as an auditor looks it up: `GET /v1/streams/{stream}?fromRevision=`. */
export interface EventRef {
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly recordedAt?: string;
}

export type CheckName = 'hash-chain' | 'postings' | 'master-accounts' | 'refund-interest' | 'refund-overdue' | 'forfeitures' | 'inbound-credits' | 'replay' | 'kafka';

export interface Finding {
  readonly check: CheckName;
  /** UPPER_SNAKE, stable: what kind of problem (docs/audit.md lists them). */
  readonly code: string;
  readonly message: string;
  /** The event that shows the problem; absent only for a Kafka message with no event in the replayed log. */
  readonly event?: EventRef;
  /** Figures behind the finding (expected and recorded amounts, hashes, Kafka offsets…), all strings. */
  readonly details?: { readonly [name: string]: string };
}

export function eventRef(event: Pick<RecordedEvent, 'streamName' | 'revision' | 'position' | 'id' | 'type' | 'metadata'>): EventRef {
  const recordedAt = (event.metadata as { recordedAt?: unknown } | undefined)?.recordedAt;
  return {
    stream: event.streamName,
    revision: event.revision.toString(),
    position: event.position.toString(),
    id: event.id,
    type: event.type,
    ...(typeof recordedAt === 'string' ? { recordedAt } : {}),
  };
}

/** One line naming a finding and its event, for the printed summary and error messages. */
export function describeFinding(finding: Finding): string {
  const where = finding.event
    ? ` — ${finding.event.type} ${finding.event.id} at ${finding.event.stream}@${finding.event.revision} (position ${finding.event.position})`
    : '';
  return `[${finding.check}] ${finding.code}: ${finding.message}${where}`;
}
