import { type RateSchedule, amountOfFen, fenOf, lotIdOf, sealedDataAccess, sealedLotStatus } from '@app/domain';
import { canonicalJson } from '@app/event-store';
import {
  type BalancesModel,
  type Bond,
  type BondsModel,
  type Checkpointed,
  type LotStatus,
  type LotSummary,
  type LotSummaryModel,
  type LotVirtualAccount,
  type Projection,
  type ProjectionEvent,
  type RateSchedulesModel,
  type OverdueRefundItem,
  type RefundItem,
  type RefundQueueModel,
  accountBalance,
  allBonds,
  allLotSummaries,
  balancesProjection,
  bondOf,
  bondsOfLot,
  bondsProjection,
  lotSummaryOf,
  lotSummaryProjection,
  masterAccountBalance,
  postingsOf,
  rateScheduleOf,
  rateSchedulesProjection,
  overdueRefundsOf,
  refundOf,
  refundQueueProjection,
  refundsOf,
  tableEntries,
  tableGet,
  tableHas,
  tableValues,
} from '@app/projections';
import {
  type RefundInstruction,
  type RefundInstructionsModel,
  refundInstructionOf,
  refundInstructionsProjection,
} from './refund-instructions.projection';
import {
  type SealedLotMoneyModel,
  sealedLotMoneyProjection,
  sealedMoneyOf,
  withheldFromAccount,
  withheldFromMaster,
} from './sealed-lot-money.projection';
import type { Entity } from './topics';

/**
 * What the publisher publishes, as pure functions of its own copies of the projections: for each
 * entity, the state a consumer may see ("published state"), and for each event, the entities whose
 * published state it changed. No I/O here; `KafkaPublisher` sends what `changesOf` returns.
 *
 * CONFIDENTIALITY (docs/topics.md): until a lot's `BidsOpened`, nothing published tells who paid for
 * it, how many paid, or how much.
 * - bonds, reporting refunds, the lot's virtual accounts' balances: no message at all while the lot is
 *   sealed (not even a sealed placeholder: the number of keys would count the bidders); at
 *   `BidsOpened` every one of them is published in full, then every change;
 * - the lot: only its public part while sealed (terms, deadlines, status among OPEN /
 *   DEPOSITS_CLOSED / TERMINATED, lot-level virtual accounts); per-bidder virtual accounts, counts,
 *   totals and refund progress from opening on;
 * - a message is sent only when the published state changes, so a sealed lot's credits, reversals or
 *   per-bidder accounts do not even show as a message on the lot's key;
 * - bank-level figures (master-account totals, keyed by bank and number, `masterAccountMessageKey`;
 *   clearing, suspense, interest expense, center settlement) less what sealed lots' money moved on them
 *   (`sealed-lot-money.projection.ts`): a credit, reversal, suspense match, refund or forfeiture of a
 *   sealed lot moves no published figure; at the lot's `BidsOpened` its part joins the figures, in one
 *   message per account it moved. An account only a sealed lot's money ever moved is not published until then;
 * - refund instructions for the ESB (`refundInstructions`) at all times: the payment system must pay
 *   them, withdrawal refunds before opening included. That topic is ACL-restricted to the ESB.
 * Anything unknown is not published (an account kind not listed, a virtual account whose lot is not
 * known): the rules fail closed. Whether a lot's data or money may go out is `sealedDataAccess('subscriber', …)`
 * (libs/domain/src/lot/seal.ts), asked here and by `sealed-lot-money.projection.ts`, never re-coded.
 */

export interface PublisherModels {
  readonly balances: BalancesModel;
  readonly bonds: BondsModel;
  readonly lots: LotSummaryModel;
  readonly refunds: RefundQueueModel;
  readonly refundInstructions: RefundInstructionsModel;
  readonly rateSchedules: RateSchedulesModel;
  readonly sealedLotMoney: SealedLotMoneyModel;
}

export type ModelName = keyof PublisherModels;

/** The publisher's projections, by the name of its model. */
export const PUBLISHER_PROJECTIONS: { readonly [name in ModelName]: Projection<PublisherModels[name]> } = {
  balances: balancesProjection,
  bonds: bondsProjection,
  lots: lotSummaryProjection,
  refunds: refundQueueProjection,
  refundInstructions: refundInstructionsProjection,
  rateSchedules: rateSchedulesProjection,
  sealedLotMoney: sealedLotMoneyProjection,
};

/** The publisher's models made one by one, in MODEL_NAMES order: `model(name)` gives the model of that name. */
export function publisherModelsOf(model: <N extends ModelName>(name: N) => PublisherModels[N]): PublisherModels {
  return {
    balances: model('balances'),
    bonds: model('bonds'),
    lots: model('lots'),
    refunds: model('refunds'),
    refundInstructions: model('refundInstructions'),
    rateSchedules: model('rateSchedules'),
    sealedLotMoney: model('sealedLotMoney'),
  };
}

// Object.keys types its result string[]; the record has exactly the model names.
export const MODEL_NAMES = Object.keys(PUBLISHER_PROJECTIONS) as ModelName[];

export function initialModels(): PublisherModels {
  return publisherModelsOf((name) => PUBLISHER_PROJECTIONS[name].initial);
}

/** A projection threw on an event (e.g. an unbalanced posting set): the publisher stops rather than publish wrong figures. */
export class PublisherProjectionError extends Error {
  override readonly name = 'PublisherProjectionError';
  constructor(
    readonly projection: string,
    readonly event: ProjectionEvent,
    override readonly cause: unknown,
  ) {
    super(
      `projection ${projection} failed on ${event.type} at position ${event.position} (stream ${event.streamName}): ` +
        (cause instanceof Error ? cause.message : String(cause)),
    );
  }
}

/** Folds one event into every model. */
export function applyEvent(models: PublisherModels, event: ProjectionEvent): PublisherModels {
  return publisherModelsOf((name) => applied(PUBLISHER_PROJECTIONS[name], models[name], event));
}

function applied<M extends Checkpointed>(projection: Projection<M>, model: M, event: ProjectionEvent): M {
  try {
    return projection.apply(model, event);
  } catch (cause) {
    throw new PublisherProjectionError(projection.name, event, cause);
  }
}

// ---------------------------------------------------------------------------------------------------
// Published states

/** Ledger account kinds whose balances are bank-level (never one bidder's): published less sealed lots' money. */
export const BANK_LEVEL_ACCOUNT_KINDS = ['clearing', 'suspense', 'interest-expense', 'center-settlement'] as const;
type BankLevelKind = (typeof BANK_LEVEL_ACCOUNT_KINDS)[number];

export type PublishedLedgerAccount =
  | {
      readonly account: string;
      readonly kind: 'virtual';
      /** Debits minus credits: a sub-account holding 100.00 for bidders reads "-100.00". */
      readonly balance: string;
      readonly virtualAccountNo: string;
      readonly lotId: string;
      readonly centerId: string;
      readonly masterAccountNo: string;
      readonly bankCode: string;
      /** Only on a per-bidder account. */
      readonly bidderId?: string;
    }
  | { readonly account: string; readonly kind: Exclude<BankLevelKind, 'center-settlement'>; readonly bankCode: string; readonly balance: string }
  | { readonly account: string; readonly kind: 'center-settlement'; readonly centerId: string; readonly balance: string };

export interface PublishedMasterAccount {
  readonly accountNo: string;
  readonly bankCode: string;
  readonly centerId: string;
  readonly accountName?: string;
  /** The sum of its virtual sub-accounts' balances (debits minus credits: money held reads negative). */
  readonly subAccountsBalance: string;
}

/** While sealed: only what the tender notice made public. */
export interface PublishedLot {
  readonly lotId: string;
  readonly centerId: string;
  readonly terms: LotSummary['terms'];
  /** While sealed only OPEN, DEPOSITS_CLOSED or TERMINATED (REFUNDING / SETTLED would tell that someone paid). */
  readonly status: LotStatus;
  readonly sealed: boolean;
  readonly depositsClosed: boolean;
  /** While sealed only the lot-level accounts (published with the tender notice); per-bidder ones from opening on. */
  readonly virtualAccounts: readonly LotVirtualAccount[];
  readonly termination?: LotSummary['termination'];
  // From opening on:
  readonly award?: LotSummary['award'];
  readonly refundsStarted?: boolean;
  /** Bonds with a positive principal. */
  readonly bondCount?: number;
  /** Sum of the bonds' principals (what was paid in; refunded and forfeited bonds included). */
  readonly totalPrincipal?: string;
}

export type PublishedBond = Bond;
export type PublishedRefund = RefundItem;
export type PublishedRefundInstruction = RefundInstruction;
/** The refund queue's overdue item (RefundOverdue and the bond's status since), keyed by its bond id. */
export type PublishedOverdueRefund = OverdueRefundItem;

/** A rate schedule as published (on the lots topic, whose lots name it): its day count and every entry. */
export type PublishedRateSchedule = RateSchedule;

export const MASTER_ACCOUNT_KEY_PREFIX = 'master-account:';

/** A rate schedule's message key on the lots topic: `rate-schedule:{scheduleId}` (a lot id holds no ':'). */
export const RATE_SCHEDULE_KEY_PREFIX = 'rate-schedule:';

export function rateScheduleMessageKey(scheduleId: string): string {
  return `${RATE_SCHEDULE_KEY_PREFIX}${scheduleId}`;
}

/**
 * A master account's message key: `master-account:{bankCode}:{accountNo}`. An account number is unique
 * per bank only, so the key names the bank (since `ledger.balances.v2`; v1 keyed the number alone and
 * merged two banks' accounts of one number). Served bank codes hold no ':' (configuration): the first
 * ':' after the prefix ends the bank code.
 */
export function masterAccountMessageKey(bankCode: string, accountNo: string): string {
  return `${MASTER_ACCOUNT_KEY_PREFIX}${bankCode}:${accountNo}`;
}

/** The bank and number a master-account key names; undefined for a key of another form. */
export function masterAccountOfMessageKey(key: string): { bankCode: string; accountNo: string } | undefined {
  if (!key.startsWith(MASTER_ACCOUNT_KEY_PREFIX)) return undefined;
  const rest = key.slice(MASTER_ACCOUNT_KEY_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { bankCode: rest.slice(0, colon), accountNo: rest.slice(colon + 1) };
}

/** Whether the seal policy withholds the lot from subscribers: an unknown lot (or none named) is withheld. */
function withheld(models: PublisherModels, lotId: string | undefined): boolean {
  const lot = lotId === undefined ? undefined : lotSummaryOf(models.lots, lotId);
  return lot === undefined || lotWithheld(lot);
}

const lotWithheld = (lot: LotSummary) => sealedDataAccess('subscriber', { bidsOpened: !lot.sealed }) !== 'SHOWN';

function kindOf(account: string): { kind: string; identifier: string } {
  const colon = account.indexOf(':');
  return colon < 0 ? { kind: '', identifier: account } : { kind: account.slice(0, colon), identifier: account.slice(colon + 1) };
}

function ledgerAccountState(models: PublisherModels, account: string): PublishedLedgerAccount | undefined {
  const { kind, identifier } = kindOf(account);
  if (kind === 'virtual') {
    const link = tableGet(models.balances.virtualAccounts, identifier);
    if (!link || withheld(models, link.lotId)) return undefined;
    return {
      account,
      kind,
      balance: accountBalance(models.balances, account),
      virtualAccountNo: link.virtualAccountNo,
      lotId: link.lotId,
      centerId: link.centerId,
      masterAccountNo: link.masterAccountNo,
      bankCode: link.bankCode,
      ...(link.bidderId === undefined ? {} : { bidderId: link.bidderId }),
    };
  }
  if (!(BANK_LEVEL_ACCOUNT_KINDS as readonly string[]).includes(kind)) return undefined;
  const real = tableGet(models.balances.accounts, account);
  if (real === undefined || !tableHas(models.sealedLotMoney.shownAccounts, account)) return undefined;
  const balance = amountOfFen(fenOf(real) - withheldFromAccount(models.sealedLotMoney, account));
  return kind === 'center-settlement'
    ? { account, kind, centerId: identifier, balance }
    : { account, kind: kind as Exclude<BankLevelKind, 'center-settlement'>, bankCode: identifier, balance };
}

function masterAccountState(models: PublisherModels, key: string): PublishedMasterAccount | undefined {
  const named = masterAccountOfMessageKey(key);
  const master = named && masterAccountBalance(models.balances, named.bankCode, named.accountNo);
  // Only under its own key (a bank code holding ':' would make a second reading of the same key).
  if (!master || masterAccountMessageKey(master.bankCode, master.accountNo) !== key) return undefined;
  // Not the number of virtual accounts: per-bidder accounts would be counted in it.
  return {
    accountNo: master.accountNo,
    bankCode: master.bankCode,
    centerId: master.centerId,
    ...(master.accountName === undefined ? {} : { accountName: master.accountName }),
    subAccountsBalance: amountOfFen(fenOf(master.subAccountsBalance) - withheldFromMaster(models.sealedLotMoney, master.bankCode, master.accountNo)),
  };
}

function lotState(models: PublisherModels, lotId: string): PublishedLot | undefined {
  const lot = lotSummaryOf(models.lots, lotId);
  if (!lot) return undefined;
  const common = {
    lotId: lot.lotId,
    centerId: lot.centerId,
    terms: lot.terms,
    depositsClosed: lot.depositsClosed,
    ...(lot.termination === undefined ? {} : { termination: lot.termination }),
  };
  if (lotWithheld(lot)) {
    return {
      ...common,
      status: sealedLotStatus({ depositsClosed: lot.depositsClosed, bidsOpened: false, awarded: lot.award !== undefined, terminated: lot.termination !== undefined }),
      sealed: true,
      virtualAccounts: lot.virtualAccounts.filter((account) => account.bidderId === undefined),
    };
  }
  return {
    ...common,
    status: lot.status,
    sealed: false,
    virtualAccounts: lot.virtualAccounts,
    ...(lot.award === undefined ? {} : { award: lot.award }),
    refundsStarted: lot.refundsStarted,
    bondCount: lot.confidential.bondCount,
    totalPrincipal: lot.confidential.totalPrincipal,
  };
}

function bondState(models: PublisherModels, bondId: string): PublishedBond | undefined {
  if (withheld(models, lotIdOf(bondId, 'B'))) return undefined;
  return bondOf(models.bonds, bondId);
}

function refundState(models: PublisherModels, refundId: string): PublishedRefund | undefined {
  const refund = refundOf(models.refunds, refundId);
  return refund === undefined || withheld(models, refund.lotId) ? undefined : refund;
}

function overdueRefundState(models: PublisherModels, bondId: string): PublishedOverdueRefund | undefined {
  const item = tableGet(models.refunds.overdue, bondId);
  // Sealed like the bond: a withdrawal's refund overdue before opening would tell who paid.
  return item === undefined || withheld(models, item.lotId) ? undefined : item;
}

/** The state of an entity a consumer may see now, or undefined (unknown, or sealed: not published). */
export function publishedState(models: PublisherModels, entity: Entity, key: string): unknown {
  switch (entity) {
    case 'ledger-account':
      return ledgerAccountState(models, key);
    case 'master-account':
      return masterAccountState(models, key);
    case 'lot':
      return lotState(models, key);
    case 'bond':
      return bondState(models, key);
    case 'refund':
      return refundState(models, key);
    case 'refund-instruction':
      return refundInstructionOf(models.refundInstructions, key);
    case 'overdue-refund':
      return overdueRefundState(models, key);
    case 'rate-schedule':
      // Bank-level product terms: published at all times.
      return key.startsWith(RATE_SCHEDULE_KEY_PREFIX) ? rateScheduleOf(models.rateSchedules, key.slice(RATE_SCHEDULE_KEY_PREFIX.length)) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// What an event changed

export interface EntityRef {
  readonly entity: Entity;
  readonly key: string;
}

export interface PublishedChange extends EntityRef {
  readonly state: unknown;
  /** `canonicalJson(state)`: the bytes that go into the envelope. */
  readonly stateJson: string;
}

class Refs {
  private readonly seen = new Set<string>();
  readonly list: EntityRef[] = [];
  add(entity: Entity, key: string | undefined): void {
    if (typeof key !== 'string' || key === '') return;
    const id = `${entity}\u0000${key}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ entity, key });
  }
}

type Data = { readonly [field: string]: unknown };

const masterKeyOf = (bankCode: string | undefined, accountNo: string | undefined) =>
  bankCode === undefined || accountNo === undefined ? undefined : masterAccountMessageKey(bankCode, accountNo);

/** Every entity of a lot whose publication depends on the lot being sealed. */
function lotEntities(refs: Refs, models: PublisherModels, lotId: string): void {
  const lot = lotSummaryOf(models.lots, lotId);
  for (const account of lot?.virtualAccounts ?? []) refs.add('ledger-account', `virtual:${account.virtualAccountNo}`);
  for (const bond of bondsOfLot(models.bonds, lotId) ?? []) refs.add('bond', bond.bondId);
  for (const refund of refundsOf(models.refunds, { lotId })) refs.add('refund', refund.refundId);
  for (const overdue of overdueRefundsOf(models.refunds, { lotId, all: true })) refs.add('overdue-refund', overdue.bondId);
}

/** The bank-level accounts and master accounts whose figures leave out what the lot's money moved while sealed. */
function sealedMoneyEntities(refs: Refs, models: PublisherModels, lotId: string): void {
  const money = sealedMoneyOf(models.sealedLotMoney, lotId);
  if (!money) return;
  for (const [account] of tableEntries(money.accounts)) refs.add('ledger-account', account);
  for (const [key] of tableEntries(money.masters)) {
    const master = tableGet(models.balances.masterAccounts, key);
    if (master) refs.add('master-account', masterAccountMessageKey(master.bankCode, master.accountNo));
  }
}

/**
 * The entities whose published state the event may have changed (a superset; `changesOf` compares).
 * `before` and `after` are the models without and with the event folded in. Exported for the test
 * that checks it against a comparison of every entity.
 */
export function candidateEntities(event: ProjectionEvent, before: PublisherModels, after: PublisherModels): EntityRef[] {
  const refs = new Refs();
  const data = (event.data !== null && typeof event.data === 'object' ? event.data : {}) as Data;
  const str = (field: string) => (typeof data[field] === 'string' ? (data[field] as string) : undefined);
  const lotId = str('lotId');

  refs.add('lot', lotId);
  refs.add('bond', str('bondId'));
  if (Array.isArray(data.bondIds)) for (const bondId of data.bondIds) refs.add('bond', typeof bondId === 'string' ? bondId : undefined);
  refs.add('refund', str('refundId'));
  refs.add('refund-instruction', str('refundId'));
  // An overdue bond's item follows the bond's later events (none published for a bond never overdue).
  refs.add('overdue-refund', str('bondId'));

  switch (event.type) {
    case 'BidsOpened':
      // The seal breaks: every bond, refund and virtual-account balance of the lot appears, and what its
      // money moved joins the bank-level figures (its record is gone from `after`).
      if (lotId !== undefined) {
        lotEntities(refs, after, lotId);
        sealedMoneyEntities(refs, before, lotId);
      }
      break;
    case 'LotAwarded':
    case 'TenderTerminated':
      for (const bond of (lotId === undefined ? undefined : bondsOfLot(after.bonds, lotId)) ?? []) refs.add('bond', bond.bondId);
      break;
    case 'VirtualAccountIssued':
      refs.add('ledger-account', str('virtualAccountNo') === undefined ? undefined : `virtual:${str('virtualAccountNo')}`);
      // `bankCode` of the issue is the master account's bank.
      refs.add('master-account', masterKeyOf(str('bankCode'), str('masterAccountNo')));
      break;
    case 'MasterAccountOpened':
      refs.add('master-account', masterKeyOf(str('bankCode'), str('accountNo')));
      break;
    case 'RateScheduleDefined':
    case 'RateScheduleEntryAdded':
      refs.add('rate-schedule', str('scheduleId') === undefined ? undefined : rateScheduleMessageKey(str('scheduleId')!));
      break;
    default:
      break;
  }

  for (const posting of postingsOf(event)) {
    refs.add('ledger-account', posting.account);
    const { kind, identifier } = kindOf(posting.account);
    if (kind === 'virtual') {
      const link = tableGet(after.balances.virtualAccounts, identifier);
      if (link) refs.add('master-account', masterAccountMessageKey(link.bankCode, link.masterAccountNo));
    }
  }
  return refs.list;
}

/**
 * The entities whose published state differs between `before` and `after` (= `before` with the event
 * folded in), with their new state, in a fixed order. An entity that is not (or no longer) published
 * gives nothing: nothing is ever withdrawn from a topic, as nothing in the ledger is deleted.
 */
export function changesOf(event: ProjectionEvent, before: PublisherModels, after: PublisherModels): PublishedChange[] {
  const changes: PublishedChange[] = [];
  for (const { entity, key } of candidateEntities(event, before, after)) {
    const next = publishedState(after, entity, key);
    if (next === undefined) continue;
    const previous = publishedState(before, entity, key);
    const stateJson = canonicalJson(next);
    if (previous !== undefined && canonicalJson(previous) === stateJson) continue;
    changes.push({ entity, key, state: next, stateJson });
  }
  return changes;
}

/**
 * Every entity published in these models, with its state: what a compacted topic holds in the end
 * (the latest message of each key). A scan of everything, for tests and audits.
 */
export function allPublished(models: PublisherModels): PublishedChange[] {
  const refs = new Refs();
  for (const [account] of tableEntries(models.balances.accounts)) refs.add('ledger-account', account);
  for (const link of tableValues(models.balances.virtualAccounts)) refs.add('ledger-account', `virtual:${link.virtualAccountNo}`);
  for (const master of tableValues(models.balances.masterAccounts)) refs.add('master-account', masterAccountMessageKey(master.bankCode, master.accountNo));
  for (const lot of allLotSummaries(models.lots)) refs.add('lot', lot.lotId);
  for (const bond of allBonds(models.bonds)) refs.add('bond', bond.bondId);
  for (const refund of refundsOf(models.refunds)) refs.add('refund', refund.refundId);
  for (const instruction of tableValues(models.refundInstructions.instructions)) refs.add('refund-instruction', instruction.refundId);
  for (const overdue of overdueRefundsOf(models.refunds, { all: true })) refs.add('overdue-refund', overdue.bondId);
  for (const scheduleId of Object.keys(models.rateSchedules.schedules)) refs.add('rate-schedule', rateScheduleMessageKey(scheduleId));
  const published: PublishedChange[] = [];
  for (const { entity, key } of refs.list) {
    const state = publishedState(models, entity, key);
    if (state !== undefined) published.push({ entity, key, state, stateJson: canonicalJson(state) });
  }
  return published;
}
