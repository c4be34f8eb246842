import { randomUUID } from 'node:crypto';
import { PBOC_DEMAND_SCHEDULE, type LotEvent, type LotRegistered, type Payer, type RefundInstructed, bondIdFor, formatVirtualAccountNo } from '@app/domain';
import { type EventStore, type JsonObject, NO_STREAM, type ProposedEvent } from '@app/event-store';
import type { ProjectionEvent } from '@app/projections';
import { at as itemAt } from '../../../event-store/test/event-store.contract';
import { LedgerHarness } from '../../../projections/test/ledger-harness';

/** The refunds among a lot's decided events (RefundBonds decides nothing else). */
export function refundsOf(events: readonly LotEvent[]): RefundInstructed['data'][] {
  return events.flatMap((event) => (event.type === 'RefundInstructed' ? [event.data] : []));
}

/**
 * Histories for the publisher's tests, made by the real deciders (the LedgerHarness of
 * libs/projections/test drives them as the command handlers do).
 */

export const CENTER = 'C9';
export const BANK_A = '102100099996';
export const PREFIX_A = '955880';
export const M1 = '6217000090001';
const PAYER_BANK = '103100000026';

export interface SealedBidder {
  readonly tag: 'x' | 'y' | 'z' | 'w' | 'v' | 'u';
  /** Absent for an undeclared payer on the lot-level account. */
  readonly bidderId?: string;
  readonly payer: Payer;
  /** The bond's credits. */
  readonly amounts: readonly string[];
  /** The bond's principal once every credit is in. */
  readonly principal: string;
}

/**
 * Lot S1, sealed until its BidsOpened, paid for in every way the ledger knows; amounts chosen so that
 * no published bank-level total ever equals (or contains) one of them, so a byte scan for them is
 * meaningful:
 * - x (declared) to the lot-level account;
 * - y on its own per-bidder account, a Chinese company name (UTF-8 on the wire);
 * - z undeclared (no bidder id, flagged), two tranches;
 * - w (declared), credit reversed by the bank;
 * - v (declared), paid to an unknown number, suspended, matched into the lot by an operator;
 * - u (declared), withdraws before the deadline and is refunded before opening (the ESB must pay it).
 */
export const SEALED_BIDDERS: readonly SealedBidder[] = [
  { tag: 'x', bidderId: 'bidder-xu-4711', payer: { accountNo: '6222021111000001', name: 'Xu Heavy Industry Co', bankCode: PAYER_BANK }, amounts: ['80123.45'], principal: '80123.45' },
  { tag: 'y', bidderId: 'bidder-yang-4712', payer: { accountNo: '6222021111000002', name: '北京甲乙建设有限公司', bankCode: PAYER_BANK }, amounts: ['79001.11'], principal: '79001.11' },
  { tag: 'z', payer: { accountNo: '6222021111000003', name: 'Zhao Roads Ltd', bankCode: PAYER_BANK }, amounts: ['40000.10', '40100.20'], principal: '80100.30' },
  { tag: 'w', bidderId: 'bidder-wu-4714', payer: { accountNo: '6222021111000004', name: 'Wu Bridges Co', bankCode: PAYER_BANK }, amounts: ['80555.55'], principal: '0.00' },
  { tag: 'v', bidderId: 'bidder-wei-4715', payer: { accountNo: '6222021111000005', name: 'Wei Tunnels Co', bankCode: PAYER_BANK }, amounts: ['80777.77'], principal: '80777.77' },
  { tag: 'u', bidderId: 'bidder-un-4716', payer: { accountNo: '6222021111000006', name: 'Un Withdrawn Co', bankCode: PAYER_BANK }, amounts: ['80999.99'], principal: '80999.99' },
];

/** Lot P1, opened long before S1: its data is public and shows that publishing works meanwhile. */
export const PUBLIC_BIDDERS = [
  { bidderId: 'bidder-pub-1', payer: { accountNo: '6222039999000001', name: 'Public One Co', bankCode: PAYER_BANK }, amount: '12345.67' },
  { bidderId: 'bidder-pub-2', payer: { accountNo: '6222039999000002', name: 'Public Two Co', bankCode: PAYER_BANK }, amount: '23456.78' },
] as const;

const S1_TERMS: LotRegistered['data'] = {
  lotId: 'S1',
  centerId: CENTER,
  projectCode: 'PRJ-S1',
  name: 'Sealed lot',
  estimatedPrice: '9000000.00',
  bondAmount: '80000.00',
  depositDeadline: '2026-12-10T09:00:00+08:00',
  bidOpeningTime: '2026-12-10T09:30:00+08:00',
  basicAccountPolicy: 'FLAG',
  rateScheduleId: 'PBOC-DEMAND',
};

const P1_TERMS: LotRegistered['data'] = {
  ...S1_TERMS,
  lotId: 'P1',
  projectCode: 'PRJ-P1',
  name: 'Public lot',
  bondAmount: '30000.00',
  depositDeadline: '2026-11-20T09:00:00+08:00',
  bidOpeningTime: '2026-11-20T09:30:00+08:00',
};

export interface SealedLotHistory {
  readonly log: ProjectionEvent[];
  /** Number of events before S1's BidsOpened (the log's first `beforeOpening` events are all sealed-time). */
  readonly beforeOpening: number;
  readonly lotAccount: string;
  /** y's per-bidder account: as secret as y's payment until opening. */
  readonly perBidderAccount: string;
  readonly bondIds: { readonly [tag in SealedBidder['tag']]: string };
}

const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;

export function buildSealedLotHistory(): SealedLotHistory {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  for (const bidder of [...SEALED_BIDDERS, ...PUBLIC_BIDDERS]) {
    if (bidder.bidderId !== undefined && bidder.bidderId !== 'bidder-yang-4712') h.declareBasicAccount(bidder.bidderId, bidder.payer);
  }

  // P1: paid, opened.
  h.registerLot(P1_TERMS);
  const publicAccount = h.issueVirtualAccount('P1', M1);
  PUBLIC_BIDDERS.forEach((bidder, i) =>
    h.receive({ bankRef: `P00${i + 1}`, receivedAt: at(`2026-11-1${i}`), valueDate: `2026-11-1${i}`, amount: bidder.amount, payer: bidder.payer, payeeAccountNo: publicAccount }),
  );
  h.lot('P1', { type: 'RecordTimePassed', now: at('2026-11-20', '09:31:00') });
  // Unidentified money that stays in suspense, so the bank's suspense never equals one bidder's payment.
  h.receive({
    bankRef: 'STRAY1',
    receivedAt: at('2026-11-25'),
    valueDate: '2026-11-25',
    amount: '3333.33',
    payer: { accountNo: '6222040000000009', name: 'Somebody Else', bankCode: PAYER_BANK },
    payeeAccountNo: formatVirtualAccountNo(PREFIX_A, 990_001n),
  });

  // S1: registered, a lot-level and a per-bidder account.
  h.registerLot(S1_TERMS);
  const lotAccount = h.issueVirtualAccount('S1', M1);
  const y = SEALED_BIDDERS.find((b) => b.tag === 'y')!;
  const perBidderAccount = h.issueVirtualAccount('S1', M1, y.bidderId);
  const bidder = (tag: SealedBidder['tag']) => SEALED_BIDDERS.find((b) => b.tag === tag)!;
  let ref = 0;
  const pay = (tag: SealedBidder['tag'], amount: string, day: string, payee = lotAccount) =>
    h.receive({ bankRef: `S${String((ref += 1)).padStart(3, '0')}`, receivedAt: at(day), valueDate: day, amount, payer: bidder(tag).payer, payeeAccountNo: payee });

  pay('x', '80123.45', '2026-12-01');
  pay('u', '80999.99', '2026-12-02');
  pay('y', '79001.11', '2026-12-02', perBidderAccount);
  pay('z', '40000.10', '2026-12-03');
  const wCredit = pay('w', '80555.55', '2026-12-05');
  pay('z', '40100.20', '2026-12-04');
  const vCredit = pay('v', '80777.77', '2026-12-05', formatVirtualAccountNo(PREFIX_A, 990_002n));
  h.reverse(wCredit.creditId, 'not settled by HVPS');
  h.matchSuspense(vCredit.creditId, lotAccount);

  // P1 goes on meanwhile: awarded and refunded in public.
  h.lot('P1', { type: 'AwardLot', winnerBidderId: 'bidder-pub-1', contractSignedOn: '2026-12-01', now: '2026-12-01T18:00:00+08:00' });
  for (const { refundId } of refundsOf(h.lot('P1', { type: 'RefundBonds', refundOn: '2026-12-03', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-03T18:00:00+08:00' }))) {
    h.lot('P1', { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId.slice(2, 10)}`, now: '2026-12-23T10:00:00+08:00' });
  }

  // u withdraws before the deadline; its refund goes to the ESB before opening.
  h.lot('S1', { type: 'WithdrawBidder', bidderId: bidder('u').bidderId!, noticeReceivedAt: at('2026-12-06'), now: at('2026-12-06') });
  const uRefund = itemAt(refundsOf(h.lot('S1', { type: 'RefundBonds', refundOn: '2026-12-08', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-08T18:00:00+08:00' })), 0);
  h.lot('S1', { type: 'SettleRefund', refundId: uRefund.refundId, status: 'SETTLED', bankRef: 'OUT-U1', now: '2026-12-23T10:00:00+08:00' });
  h.lot('S1', { type: 'RecordTimePassed', now: at('2026-12-10', '09:05:00') });
  const beforeOpening = h.log.length;

  // Opening, award, refunds; y's first refund bounces and is retried.
  h.lot('S1', { type: 'RecordTimePassed', now: at('2026-12-10', '09:31:00') });
  h.lot('S1', { type: 'AwardLot', winnerBidderId: bidder('x').bidderId!, contractSignedOn: '2026-12-20', now: '2026-12-20T18:00:00+08:00' });
  const refunds = h.lot('S1', { type: 'RefundBonds', refundOn: '2026-12-22', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-22T18:00:00+08:00' });
  for (const { refundId, payTo } of refundsOf(refunds)) {
    const failed = payTo.accountNo === y.payer.accountNo;
    h.lot('S1', failed
      ? { type: 'SettleRefund', refundId, status: 'FAILED', bankRef: `OUT-${refundId.slice(2, 10)}`, reason: 'account frozen', now: '2026-12-23T10:00:00+08:00' }
      : { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId.slice(2, 10)}`, now: '2026-12-23T10:00:00+08:00' });
  }
  const retry = itemAt(refundsOf(h.lot('S1', { type: 'RefundBonds', refundOn: '2026-12-28', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-28T18:00:00+08:00' })), 0);
  h.lot('S1', { type: 'SettleRefund', refundId: retry.refundId, status: 'SETTLED', bankRef: 'OUT-Y2', now: '2026-12-23T10:00:00+08:00' });

  // Object.fromEntries types its keys as any string; there is one entry per tag of SEALED_BIDDERS.
  const bondIds = Object.fromEntries(
    SEALED_BIDDERS.map((b) => [b.tag, bondIdFor('S1', b.bidderId, b.payer.bankCode, b.payer.accountNo)]),
  ) as SealedLotHistory['bondIds'];
  return { log: h.log, beforeOpening, lotAccount, perBidderAccount, bondIds };
}

/**
 * A longer history: `lots` lots of one center, each through its whole life (credits in one or two
 * tranches, a per-bidder account, a reversal, a withdrawal refunded before opening, opening, award or
 * termination, refunds with a failure and a retry). Deterministic.
 */
export function buildLongHistory(lots = 12, biddersPerLot = 6): ProjectionEvent[] {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  let ref = 0;
  for (let l = 1; l <= lots; l += 1) {
    const lotId = `L${l}`;
    h.registerLot({ ...S1_TERMS, lotId, projectCode: `PRJ-${lotId}`, name: `Lot ${l}` });
    const account = h.issueVirtualAccount(lotId, M1);
    const bidders = Array.from({ length: biddersPerLot }, (_, b) => ({
      bidderId: `b-${l}-${b}`,
      payer: { accountNo: `62220${String(l).padStart(3, '0')}${String(b).padStart(3, '0')}777`, name: `Bidder ${l}-${b} Co`, bankCode: PAYER_BANK },
    }));
    for (const bidder of bidders) h.declareBasicAccount(bidder.bidderId, bidder.payer);
    const own = h.issueVirtualAccount(lotId, M1, itemAt(bidders, 0).bidderId);
    const credits: string[] = [];
    bidders.forEach((bidder, b) => {
      const payee = b === 0 ? own : account;
      const amount = `${70000 + l * 100 + b}.${String((l * 7 + b) % 100).padStart(2, '0')}`;
      credits.push(h.receive({ bankRef: `R${(ref += 1)}`, receivedAt: at('2026-12-01'), valueDate: '2026-12-01', amount, payer: bidder.payer, payeeAccountNo: payee }).creditId);
      if (b % 3 === 1) h.receive({ bankRef: `R${(ref += 1)}`, receivedAt: at('2026-12-03'), valueDate: '2026-12-03', amount: '1000.00', payer: bidder.payer, payeeAccountNo: payee });
    });
    h.reverse(itemAt(credits, biddersPerLot - 1), 'not settled');
    h.lot(lotId, { type: 'WithdrawBidder', bidderId: itemAt(bidders, 1).bidderId, noticeReceivedAt: at('2026-12-05'), now: at('2026-12-05') });
    for (const { refundId } of refundsOf(h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-07', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-07T18:00:00+08:00' }))) {
      h.lot(lotId, { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `O${(ref += 1)}`, now: '2026-12-23T10:00:00+08:00' });
    }
    h.lot(lotId, { type: 'RecordTimePassed', now: at('2026-12-10', '09:31:00') });
    if (l % 4 === 0) h.lot(lotId, { type: 'TerminateTender', reason: 'cancelled', now: at('2026-12-12') });
    else h.lot(lotId, { type: 'AwardLot', winnerBidderId: itemAt(bidders, 2).bidderId, contractSignedOn: '2026-12-20', now: '2026-12-20T18:00:00+08:00' });
    let failed = false;
    for (const { refundId } of refundsOf(h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-22', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-22T18:00:00+08:00' }))) {
      const fail: boolean = !failed && l % 3 === 0;
      failed ||= fail;
      h.lot(lotId, fail
        ? { type: 'SettleRefund', refundId, status: 'FAILED', bankRef: `O${(ref += 1)}`, reason: 'closed', now: '2026-12-23T10:00:00+08:00' }
        : { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `O${(ref += 1)}`, now: '2026-12-23T10:00:00+08:00' });
    }
    if (failed) {
      for (const { refundId } of refundsOf(h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-29', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-29T18:00:00+08:00' }))) {
        h.lot(lotId, { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `O${(ref += 1)}`, now: '2026-12-23T10:00:00+08:00' });
      }
    }
  }
  return h.log;
}

export const BANK_B = '104100000004';
export const PREFIX_B = '622848';
export const SHARED_NUMBER = '6217000090077';

export interface SharedNumberHistory {
  readonly log: ProjectionEvent[];
  /** Bank → the held total (debits minus credits) of its master account of `SHARED_NUMBER` at the end. */
  readonly totals: { readonly [bankCode: string]: string };
  /** Bank → the center holding the number there. */
  readonly centers: { readonly [bankCode: string]: string };
}

/**
 * One master account number opened at two banks (an account number is unique per bank only), by two
 * centers, each with an opened lot paid into at its own bank: two master accounts, two totals.
 */
export function buildSharedNumberHistory(): SharedNumberHistory {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.registerCenter('C8');
  h.openMasterAccount(CENTER, BANK_A, SHARED_NUMBER, PREFIX_A);
  h.openMasterAccount('C8', BANK_B, SHARED_NUMBER, PREFIX_B);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  h.registerLot({ ...P1_TERMS, lotId: 'NA' });
  h.registerLot({ ...P1_TERMS, lotId: 'NB', centerId: 'C8' });
  const atA = h.issueVirtualAccount('NA', SHARED_NUMBER);
  const atB = h.issueVirtualAccount('NB', SHARED_NUMBER);
  const payer = (n: number): Payer => ({ accountNo: `62220455550000${n}`, name: `Payer ${n} Co`, bankCode: PAYER_BANK });
  h.receive({ bankRef: 'N1', receivedAt: at('2026-11-10'), valueDate: '2026-11-10', amount: '31000.01', payer: payer(1), payeeAccountNo: atA });
  h.receive({ bankRef: 'N2', receivedAt: at('2026-11-10'), valueDate: '2026-11-10', amount: '32000.02', payer: payer(2), payeeAccountNo: atB });
  h.receive({ bankRef: 'N3', receivedAt: at('2026-11-11'), valueDate: '2026-11-11', amount: '33000.03', payer: payer(3), payeeAccountNo: atB });
  for (const lotId of ['NA', 'NB']) h.lot(lotId, { type: 'RecordTimePassed', now: at('2026-11-20', '09:31:00') });
  return { log: h.log, totals: { [BANK_A]: '-31000.01', [BANK_B]: '-65000.05' }, centers: { [BANK_A]: CENTER, [BANK_B]: 'C8' } };
}

/** Appends harness events to a real store, one append per run of events of one stream (at most 200). */
export async function appendLog(store: EventStore, events: readonly ProjectionEvent[]): Promise<bigint | undefined> {
  let last: bigint | undefined;
  let start = 0;
  while (start < events.length) {
    let end = start + 1;
    while (end < events.length && events[end]?.streamName === itemAt(events, start).streamName && end - start < 200) end += 1;
    const batch = events.slice(start, end);
    const proposed: ProposedEvent[] = batch.map((event) => {
      const id = randomUUID();
      return { id, type: event.type, data: event.data as JsonObject, metadata: { correlationId: id, causationId: id, actor: 'test:messaging' } };
    });
    const first = itemAt(batch, 0);
    const result = await store.appendToStream(first.streamName, proposed, {
      expectedRevision: first.revision === 0n ? NO_STREAM : first.revision - 1n,
    });
    last = result.position;
    start = end;
  }
  return last;
}

/** Lots A1 and A2 of `buildTwoSealedLotsHistory`: one center, one master account, one bank. */
export const TWO_LOTS = {
  a1: { credits: ['61111.11', '62222.22'] },
  /** A2's credits before A1's opening, and the one after it (A2 still sealed). */
  a2: { credits: ['63333.33'], withdrawn: '65555.55', afterA1Opened: '64444.44' },
} as const;

export interface TwoSealedLotsHistory {
  readonly log: ProjectionEvent[];
  /** Events before A1's BidsOpened, and before A2's. */
  readonly beforeA1Opening: number;
  readonly beforeA2Opening: number;
  readonly a1Account: string;
  readonly a2Account: string;
}

/**
 * Two lots on one master account at one bank, sealed together; A1 is opened first, A2 eleven days later.
 * A2's money before A1's opening: a credit, and a withdrawn bidder's credit refunded with interest, the
 * refund failing once (RefundFailed puts the money back) and paid again. After A1's opening A2 takes one
 * more credit. Every amount differs from every other and from every sum of them a test compares.
 */
export function buildTwoSealedLotsHistory(): TwoSealedLotsHistory {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  const payer = (n: number): Payer => ({ accountNo: `62220577770000${n}`, name: `Two Lots Payer ${n} Co`, bankCode: PAYER_BANK });
  const withdrawing = { bidderId: 'bidder-two-lots-w', payer: payer(9) };
  h.declareBasicAccount(withdrawing.bidderId, withdrawing.payer);
  h.registerLot({ ...S1_TERMS, lotId: 'A1', projectCode: 'PRJ-A1', name: 'First sealed lot' });
  h.registerLot({
    ...S1_TERMS,
    lotId: 'A2',
    projectCode: 'PRJ-A2',
    name: 'Second sealed lot',
    depositDeadline: '2026-12-20T09:00:00+08:00',
    bidOpeningTime: '2026-12-20T09:30:00+08:00',
  });
  const a1Account = h.issueVirtualAccount('A1', M1);
  const a2Account = h.issueVirtualAccount('A2', M1);
  let ref = 0;
  const pay = (account: string, amount: string, day: string, from: Payer) =>
    h.receive({ bankRef: `TL${String((ref += 1)).padStart(3, '0')}`, receivedAt: at(day), valueDate: day, amount, payer: from, payeeAccountNo: account });

  TWO_LOTS.a1.credits.forEach((amount, i) => pay(a1Account, amount, `2026-12-0${i + 1}`, payer(i + 1)));
  pay(a2Account, TWO_LOTS.a2.credits[0], '2026-12-02', payer(5));
  pay(a2Account, TWO_LOTS.a2.withdrawn, '2026-12-03', withdrawing.payer);
  h.lot('A2', { type: 'WithdrawBidder', bidderId: withdrawing.bidderId, noticeReceivedAt: at('2026-12-04'), now: at('2026-12-04') });
  const failed = itemAt(refundsOf(h.lot('A2', { type: 'RefundBonds', refundOn: '2026-12-05', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-05T18:00:00+08:00' })), 0);
  h.lot('A2', { type: 'SettleRefund', refundId: failed.refundId, status: 'FAILED', bankRef: 'OUT-TLW1', reason: 'account frozen', now: '2026-12-07T10:00:00+08:00' });
  const retry = itemAt(refundsOf(h.lot('A2', { type: 'RefundBonds', refundOn: '2026-12-08', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-08T18:00:00+08:00' })), 0);
  h.lot('A2', { type: 'SettleRefund', refundId: retry.refundId, status: 'SETTLED', bankRef: 'OUT-TLW2', now: '2026-12-09T10:00:00+08:00' });

  h.lot('A1', { type: 'RecordTimePassed', now: at('2026-12-10', '09:05:00') });
  const beforeA1Opening = h.log.length;
  h.lot('A1', { type: 'RecordTimePassed', now: at('2026-12-10', '09:31:00') });
  pay(a2Account, TWO_LOTS.a2.afterA1Opened, '2026-12-12', payer(6));
  h.lot('A2', { type: 'RecordTimePassed', now: at('2026-12-20', '09:05:00') });
  const beforeA2Opening = h.log.length;
  h.lot('A2', { type: 'RecordTimePassed', now: at('2026-12-20', '09:31:00') });
  return { log: h.log, beforeA1Opening, beforeA2Opening, a1Account, a2Account };
}
