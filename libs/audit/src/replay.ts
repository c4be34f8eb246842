import { createHash } from 'node:crypto';
import { ledgerEvents } from '@app/domain';
import { ChainVerifier, type EventStore, type RecordedEvent } from '@app/event-store';
import { type PublisherModels, type TopicNames, refundInstructionsProjection, sealedLotMoneyProjection } from '@app/messaging';
import {
  type Checkpointed,
  type Projection,
  balancesProjection,
  bondsProjection,
  lotSummaryProjection,
  rateSchedulesProjection,
  refundQueueProjection,
  suspenseProjection,
} from '@app/projections';
import type { AnyProjection, ReadModels } from '@app/projections/runner';
import { type AsOf, isBeyond } from './as-of';
import { checkInboundCredits } from './checks/inbound-credits';
import { type CustodyKey, MasterAccountsCheck } from './checks/master-accounts';
import { checkPostings } from './checks/postings';
import { forfeitureProblem } from './checks/forfeitures';
import { checkRefundInstructed } from './checks/refund-interest';
import { RefundOverdueCheck } from './checks/refund-overdue';
import { DomainReplayError, DomainState } from './domain-state';
import { type CheckName, type EventRef, type Finding, eventRef } from './findings';
import { ExpectedPublication } from './kafka/expected-publication';

/** Every read model of the ledger, rebuilt from nothing: the projections' and the publisher's. */
export const AUDIT_PROJECTIONS: readonly AnyProjection[] = [
  balancesProjection,
  bondsProjection,
  lotSummaryProjection,
  refundQueueProjection,
  suspenseProjection,
  rateSchedulesProjection,
  refundInstructionsProjection,
  sealedLotMoneyProjection,
];

export interface ReplayOptions {
  readonly asOf?: AsOf | undefined;
  /** Also derive what the Kafka publisher must have published, on these topics. */
  readonly publication?: TopicNames | undefined;
}

export interface Replay {
  readonly events: number;
  readonly streams: number;
  /** Events written before the hash chain existed (sealed by their stream's first linked event). */
  readonly legacyEvents: number;
  readonly firstEvent?: EventRef | undefined;
  readonly lastEvent?: EventRef | undefined;
  /** The first event the as-of cut left out. */
  readonly stoppedBefore?: EventRef | undefined;
  /** SHA-256 over every replayed event's position and content hash: equal for equal logs up to the same cut. */
  readonly logDigest: string;
  readonly findings: Finding[];
  /** How many times each check ran. */
  readonly checked: { [check in CheckName]: number };
  /** Every read model by projection name. */
  readonly models: ReadModels;
  /** The models the Kafka publisher folds, by its names. */
  readonly publisherModels: PublisherModels;
  readonly masterAccounts: MasterAccountsCheck;
  readonly publication?: ExpectedPublication | undefined;
}

/**
 * One pass over the log in global order (the store's `readAll`): each event's chain link, postings and
 * refund figures are checked, the aggregates and every read model take it, the custody identity is
 * compared; at the end, every inbound credit's fate. A corrupt event is reported and the replay goes
 * on, so one run names every problem rather than the first.
 */
export async function replayLedger(store: Pick<EventStore, 'readAll'>, options: ReplayOptions = {}): Promise<Replay> {
  const chain = new ChainVerifier();
  const domain = new DomainState();
  const masterAccounts = new MasterAccountsCheck(domain);
  const overdue = new RefundOverdueCheck();
  const lotOfStream = (stream: string) => domain.lotOfStream(stream);
  const publication = options.publication ? new ExpectedPublication(options.publication) : undefined;
  /** Each projection's model, by the projection. */
  const models = new Map<AnyProjection, Checkpointed>(AUDIT_PROJECTIONS.map((projection) => [projection, projection.initial]));
  const digest = createHash('sha256');
  const findings: Finding[] = [];
  const checked: { [check in CheckName]: number } = {
    'hash-chain': 0, postings: 0, 'master-accounts': 0, 'refund-interest': 0, 'refund-overdue': 0, forfeitures: 0, 'inbound-credits': 0, replay: 0, kafka: 0,
  };
  let events = 0;
  let firstEvent: EventRef | undefined;
  let lastEvent: EventRef | undefined;
  let stoppedBefore: EventRef | undefined;

  for await (const event of store.readAll()) {
    if (options.asOf && isBeyond(options.asOf, event)) {
      stoppedBefore = eventRef(event);
      break;
    }
    const ref = eventRef(event);
    const found: Finding[] = [];
    const report = (check: CheckName, code: string, message: string, details?: { [name: string]: string }) =>
      found.push({ check, code, message, event: ref, ...(details ? { details } : {}) });
    events += 1;
    firstEvent ??= ref;
    lastEvent = ref;

    const broken = chain.check(event);
    if (broken) report('hash-chain', broken.reason, broken.message, chainDetails(event));
    digest.update(`${event.position} ${chain.lastHash ?? 'unverified'}\n`);

    const postings = checkPostings(event.data);
    if (postings.kind !== 'none') checked.postings += 1;
    if (postings.kind === 'broken') report('postings', postings.code, postings.message);

    const domainEvent = ledgerEvents.decodeIfKnown(event);
    if (domainEvent?.type === 'RefundInstructed') {
      checked['refund-interest'] += 1;
      const lot = domain.lotOfStream(event.streamName);
      for (const problem of checkRefundInstructed(domainEvent.data, lot, domain.schedules)) {
        report('refund-interest', problem.code, problem.message, problem.details);
      }
    }

    if (domainEvent?.type === 'BondForfeited') {
      checked.forfeitures += 1;
      const problem = forfeitureProblem(domainEvent.data, domain.lotOfStream(event.streamName));
      if (problem) report('forfeitures', problem.code, problem.message, { bondId: domainEvent.data.bondId });
    }

    // The time this event shows has passed, before it is folded (refund-overdue.ts).
    const recordedMs = Date.parse(String(event.metadata.recordedAt));
    const recording = domainEvent?.type === 'RefundOverdue' ? { stream: event.streamName, data: domainEvent.data } : undefined;
    if (!Number.isNaN(recordedMs)) {
      for (const problem of overdue.passed(recordedMs, lotOfStream, recording)) report('refund-overdue', problem.code, problem.message, problem.details);
    }
    if (recording) {
      const recordedAt = typeof event.metadata.recordedAt === 'string' ? event.metadata.recordedAt : undefined;
      for (const problem of overdue.checkRecorded(recording.data, domain.lotOfStream(event.streamName), recordedAt)) {
        report('refund-overdue', problem.code, problem.message, problem.details);
      }
    }

    const touched = new Set<CustodyKey>();
    try {
      const unplaced = masterAccounts.takeFacts(event, touched);
      if (postings.kind === 'balanced') unplaced.push(...masterAccounts.takePostings(postings.postings, touched));
      for (const problem of unplaced) report('master-accounts', 'UNPLACED_MONEY', problem);
    } catch (error) {
      report('replay', 'MALFORMED_FIGURES', `its amounts cannot be read: ${(error as Error).message}`);
    }

    try {
      domain.apply(event, ref);
    } catch (error) {
      if (!(error instanceof DomainReplayError)) throw error;
      report('replay', 'AGGREGATE_REPLAY_FAILED', error.message);
    }
    const lotAfter = domain.lotOfStream(event.streamName);
    if (lotAfter?.terms) overdue.follow(event.streamName, lotAfter, recordedMs);

    const before = publication ? publisherModels(models) : undefined;
    for (const [projection, model] of models) {
      try {
        models.set(projection, projection.apply(model, event));
      } catch (error) {
        // An unbalanced posting set is refused by the balances projection too: one finding is enough.
        if (found.length === 0) report('replay', 'PROJECTION_FAILED', `projection ${projection.name} refuses it: ${(error as Error).message}`);
      }
    }
    checked.replay += 1;

    if (touched.size > 0) found.push(...masterAccounts.compare(touched, modelOf(models, balancesProjection), ref));
    if (publication) publication.onEvent(event, before!, publisherModels(models));
    findings.push(...found);
  }

  // An as-of instant says the ledger ran to it: limits passed by then are checked too.
  if (options.asOf?.recordedBefore && lastEvent) {
    const end = lastEvent;
    for (const problem of overdue.passed(options.asOf.recordedBefore.epochMs, lotOfStream)) {
      findings.push({ check: 'refund-overdue', code: problem.code, message: problem.message, event: end, details: problem.details });
    }
  }
  checked['refund-overdue'] = overdue.checked;

  const credits = checkInboundCredits(domain);
  findings.push(...credits.findings);
  checked['inbound-credits'] = credits.checked;
  checked['hash-chain'] = chain.links;
  checked['master-accounts'] = masterAccounts.comparisons;

  return {
    events,
    streams: chain.streams,
    legacyEvents: chain.legacy,
    firstEvent,
    lastEvent,
    stoppedBefore,
    logDigest: digest.digest('hex'),
    findings,
    checked,
    models: Object.fromEntries([...models].map(([projection, model]) => [projection.name, model])),
    publisherModels: publisherModels(models),
    masterAccounts,
    publication,
  };
}

/** A projection's model in the map; each projection's entry holds its own model type. */
function modelOf<M extends Checkpointed>(models: ReadonlyMap<AnyProjection, Checkpointed>, projection: Projection<M>): M {
  return models.get(projection) as M;
}

/** The publisher's models are folds the audit makes anyway: the same objects, by the publisher's names. */
function publisherModels(models: ReadonlyMap<AnyProjection, Checkpointed>): PublisherModels {
  return {
    balances: modelOf(models, balancesProjection),
    bonds: modelOf(models, bondsProjection),
    lots: modelOf(models, lotSummaryProjection),
    refunds: modelOf(models, refundQueueProjection),
    refundInstructions: modelOf(models, refundInstructionsProjection),
    rateSchedules: modelOf(models, rateSchedulesProjection),
    sealedLotMoney: modelOf(models, sealedLotMoneyProjection),
  };
}

function chainDetails(event: RecordedEvent): { [name: string]: string } {
  const link = event.metadata.chain as { prev?: unknown; hash?: unknown } | undefined;
  return { storedPrev: String(link?.prev ?? 'none'), storedHash: String(link?.hash ?? 'none') };
}
