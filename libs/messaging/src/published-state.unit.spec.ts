import { PBOC_DEMAND_SCHEDULE, type LotRegistered } from '@app/domain';
import type { ProjectionEvent } from '@app/projections';
import { LedgerHarness } from '../../projections/test/ledger-harness';
import { buildScenario } from '../../projections/test/scenario';
import {
  BANK_A,
  BANK_B,
  CENTER,
  M1,
  PREFIX_A,
  SEALED_BIDDERS,
  SHARED_NUMBER,
  buildLongHistory,
  buildSealedLotHistory,
  buildSharedNumberHistory,
  buildTwoSealedLotsHistory,
  refundsOf,
} from '../test/support/histories';
import { canonicalJson } from '@app/event-store';
import { at } from '../../event-store/test/event-store.contract';
import {
  type PublishedChange,
  type PublishedLot,
  type PublisherModels,
  allPublished,
  applyEvent,
  changesOf,
  initialModels,
  masterAccountMessageKey,
  masterAccountOfMessageKey,
  publishedState,
} from './published-state';

interface Step {
  readonly event: ProjectionEvent;
  readonly changes: PublishedChange[];
}

function fold(log: readonly ProjectionEvent[]): { steps: Step[]; models: PublisherModels } {
  let models = initialModels();
  const steps: Step[] = [];
  for (const event of log) {
    const next = applyEvent(models, event);
    steps.push({ event, changes: changesOf(event, models, next) });
    models = next;
  }
  return { steps, models };
}

/** The changes found by comparing every published entity before and after (slow, obviously complete). */
function bruteForceChanges(before: PublisherModels, after: PublisherModels): string[] {
  const previous = new Map(allPublished(before).map((p) => [`${p.entity}|${p.key}`, p.stateJson]));
  return allPublished(after)
    .filter((p) => previous.get(`${p.entity}|${p.key}`) !== p.stateJson)
    .map((p) => `${p.entity}|${p.key}|${p.stateJson}`)
    .sort();
}

const sealed = buildSealedLotHistory();

describe('changesOf', () => {
  it.each([
    ['the projections scenario', buildScenario().harness.log],
    ['the sealed-lot history', sealed.log],
    ['a long history', buildLongHistory(6, 5)],
    ['one master account number at two banks', buildSharedNumberHistory().log],
    ['two lots sealed together, opened apart', buildTwoSealedLotsHistory().log],
  ])('finds exactly the entities whose published state changed, at every event of %s', (_name, log) => {
    let models = initialModels();
    for (const event of log) {
      const next = applyEvent(models, event);
      const found = changesOf(event, models, next)
        .map((c) => `${c.entity}|${c.key}|${c.stateJson}`)
        .sort();
      expect({ at: `${event.type}@${event.position}`, changes: found }).toEqual({ at: `${event.type}@${event.position}`, changes: bruteForceChanges(models, next) });
      models = next;
    }
  });

  it("publishes nothing for EventStoreDB's store identity (EventStoreIdentified), wherever it comes in the log", () => {
    const identified = (position: bigint): ProjectionEvent => ({
      type: 'EventStoreIdentified',
      data: { identity: '0b7c4a4e-4a53-4f5e-9d0b-3f1f6c2a9e11' },
      streamName: 'ledger-store-identity',
      position,
      revision: 0n,
    });
    const { models } = fold(sealed.log);
    const last = at(sealed.log, -1).position;
    expect(changesOf(identified(last + 1n), models, applyEvent(models, identified(last + 1n)))).toEqual([]);
    const initial = initialModels();
    expect(changesOf(identified(0n), initial, applyEvent(initial, identified(0n)))).toEqual([]);
  });

  it('ends, per key, in the state allPublished shows for the whole log', () => {
    const { steps, models } = fold(sealed.log);
    const last = new Map<string, string>();
    for (const { changes } of steps) for (const change of changes) last.set(`${change.entity}|${change.key}`, change.stateJson);
    expect(new Map(allPublished(models).map((p) => [`${p.entity}|${p.key}`, p.stateJson]))).toEqual(last);
  });

  it('publishes nothing of a sealed lot but its public part, then everything at BidsOpened', () => {
    const { steps } = fold(sealed.log);
    const secrets = SEALED_BIDDERS.flatMap((b) => [b.payer.accountNo, b.payer.name, ...(b.bidderId ? [b.bidderId] : []), ...b.amounts, b.principal])
      .filter((secret) => secret !== '0.00')
      .concat(sealed.perBidderAccount, ...Object.values(sealed.bondIds));
    const before = steps.slice(0, sealed.beforeOpening).flatMap((s) => s.changes);
    const reporting = before.filter((c) => c.entity !== 'refund-instruction');
    for (const secret of secrets) {
      expect({ secret, found: reporting.filter((c) => `${c.key} ${c.stateJson}`.includes(secret)).map((c) => c.key) }).toEqual({ secret, found: [] });
    }
    // S1 before opening: its lot key only, for its public milestones; no bond, refund or virtual-account balance.
    const s1 = before.filter((c) => c.key === 'S1' || c.key.endsWith('-S1') || c.key === `virtual:${sealed.lotAccount}` || c.key === `virtual:${sealed.perBidderAccount}`);
    const s1Steps = steps.slice(0, sealed.beforeOpening).filter((s) => s.changes.some((c) => s1.includes(c)));
    expect(s1Steps.map((s) => s.event.type)).toEqual(['LotRegistered', 'VirtualAccountIssued', 'RefundInstructed', 'RefundSettled', 'DepositsClosed']);
    expect(s1.filter((c) => c.entity !== 'lot' && c.entity !== 'refund-instruction')).toEqual([]);
    const lotStates = s1.filter((c) => c.entity === 'lot').map((c) => c.state as PublishedLot);
    expect(lotStates.map((l) => [l.status, l.sealed, l.virtualAccounts.map((a) => a.virtualAccountNo)])).toEqual([
      ['OPEN', true, []],
      ['OPEN', true, [sealed.lotAccount]],
      ['DEPOSITS_CLOSED', true, [sealed.lotAccount]],
    ]);
    for (const lot of lotStates) expect(Object.keys(lot).sort()).toEqual(['centerId', 'depositsClosed', 'lotId', 'sealed', 'status', 'terms', 'virtualAccounts']);
    // The ESB got u's refund (and its settlement), and nothing of anybody else.
    const esb = s1.filter((c) => c.entity === 'refund-instruction');
    expect(esb.map((c) => (c.state as { status: string; payTo: { accountNo: string } }).status)).toEqual(['INSTRUCTED', 'SETTLED']);
    expect(esb.every((c) => (c.state as { payTo: { accountNo: string } }).payTo.accountNo === SEALED_BIDDERS.find((b) => b.tag === 'u')!.payer.accountNo)).toBe(true);
    expect(esb.every((c) => !c.stateJson.includes('bidder-'))).toBe(true);

    // At opening: the lot in full, every bond, the reporting refund of u, both virtual accounts' balances.
    const opening = at(steps, sealed.beforeOpening);
    expect(opening.event.type).toBe('BidsOpened');
    const byEntity = (entity: string) => opening.changes.filter((c) => c.entity === entity).map((c) => c.key).sort();
    expect(byEntity('bond')).toEqual(Object.values(sealed.bondIds).sort());
    expect(byEntity('refund')).toHaveLength(1);
    // …and what S1's money moved on the bank's accounts joins their figures (sealed-lot-money.unit.spec.ts).
    expect(byEntity('ledger-account')).toEqual(
      [`virtual:${sealed.lotAccount}`, `virtual:${sealed.perBidderAccount}`, `clearing:${BANK_A}`, `suspense:${BANK_A}`, `interest-expense:${BANK_A}`].sort(),
    );
    expect(byEntity('master-account')).toEqual([masterAccountMessageKey(BANK_A, M1)]);
    const lot = opening.changes.find((c) => c.entity === 'lot')!.state as PublishedLot;
    // Five bonds with money in (u's, refunded, counts: it was paid in; w's was reversed to 0.00).
    expect(lot).toMatchObject({ status: 'BIDS_OPENED', sealed: false, bondCount: 5, totalPrincipal: '401002.62' });
    expect(lot.virtualAccounts.find((a) => a.virtualAccountNo === sealed.perBidderAccount)).toMatchObject({ bidderId: 'bidder-yang-4712' });
  });

  it('does not publish bank-level figures as anything but bank-level: no virtual-account count on a master account', () => {
    const { steps } = fold(sealed.log);
    const masters = steps.flatMap((s) => s.changes).filter((c) => c.entity === 'master-account');
    for (const master of masters) expect(Object.keys(master.state as object).sort()).toEqual(['accountName', 'accountNo', 'bankCode', 'centerId', 'subAccountsBalance']);
    // A per-bidder account issued under a sealed lot shows nowhere: the step publishes nothing.
    const issue = steps.find((s) => s.event.type === 'VirtualAccountIssued' && (s.event.data as { bidderId?: string }).bidderId !== undefined)!;
    expect(issue.changes).toEqual([]);
  });

  it('keys a master account by bank and number: one number at two banks is two keys, each with its own total', () => {
    const shared = buildSharedNumberHistory();
    const { steps, models } = fold(shared.log);
    const keyA = `master-account:${BANK_A}:${SHARED_NUMBER}`;
    const keyB = `master-account:${BANK_B}:${SHARED_NUMBER}`;
    expect(masterAccountMessageKey(BANK_A, SHARED_NUMBER)).toBe(keyA);
    expect(masterAccountOfMessageKey(keyB)).toEqual({ bankCode: BANK_B, accountNo: SHARED_NUMBER });
    for (const other of [`master-account:${SHARED_NUMBER}`, 'master-account::x', `master-account:${BANK_A}:`, 'virtual:1']) expect(masterAccountOfMessageKey(other)).toBeUndefined();

    const masters = allPublished(models).filter((p) => p.entity === 'master-account');
    expect(masters.map((p) => p.key).sort()).toEqual([keyA, keyB]);
    for (const bankCode of [BANK_A, BANK_B]) {
      expect(publishedState(models, 'master-account', masterAccountMessageKey(bankCode, SHARED_NUMBER))).toEqual({
        accountNo: SHARED_NUMBER,
        bankCode,
        centerId: shared.centers[bankCode],
        accountName: `Bid bonds ${shared.centers[bankCode]}`,
        subAccountsBalance: shared.totals[bankCode],
      });
    }
    // The number alone names nothing any more; every message of either account carries its own bank.
    expect(publishedState(models, 'master-account', `master-account:${SHARED_NUMBER}`)).toBeUndefined();
    const sent = steps.flatMap((step) => step.changes).filter((c) => c.entity === 'master-account');
    expect(new Set(sent.map((c) => c.key))).toEqual(new Set([keyA, keyB]));
    for (const change of sent) expect(change.key).toBe(masterAccountMessageKey((change.state as { bankCode: string }).bankCode, SHARED_NUMBER));
    // A credit moves no total while its lot is sealed; the opening of bank B's lot moves bank B's total only.
    const credit = steps.find((step) => step.event.type === 'BondCredited' && (step.event.data as { bankCode?: string }).bankCode === BANK_B)!;
    expect(credit.changes).toEqual([]);
    const opening = steps.find((step) => step.event.type === 'BidsOpened' && (step.event.data as { lotId: string }).lotId === 'NB')!;
    expect(opening.changes.filter((c) => c.entity === 'master-account').map((c) => c.key)).toEqual([keyB]);
  });

  it('keeps a lot terminated before opening TERMINATED while sealed, though its bonds are refunded', () => {
    const h = new LedgerHarness(BANK_A);
    h.registerCenter(CENTER);
    h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    const terms: LotRegistered['data'] = {
      lotId: 'T1',
      centerId: CENTER,
      projectCode: 'PRJ-T1',
      name: 'Terminated',
      estimatedPrice: '9000000.00',
      bondAmount: '80000.00',
      depositDeadline: '2026-12-10T09:00:00+08:00',
      bidOpeningTime: '2026-12-10T09:30:00+08:00',
      basicAccountPolicy: 'OFF',
      rateScheduleId: 'PBOC-DEMAND',
    };
    h.registerLot(terms);
    const account = h.issueVirtualAccount('T1', M1);
    const payer = { accountNo: '6222000000000077', name: 'Early Payer Co', bankCode: '103100000026' };
    h.receive({ bankRef: 'T001', receivedAt: '2026-12-01T10:00:00+08:00', valueDate: '2026-12-01', amount: '80000.00', payer, payeeAccountNo: account });
    h.lot('T1', { type: 'TerminateTender', reason: 'cancelled', now: '2026-12-03T10:00:00+08:00' });
    const refund = at(refundsOf(h.lot('T1', { type: 'RefundBonds', refundOn: '2026-12-04', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-04T18:00:00+08:00' })), 0);
    h.lot('T1', { type: 'SettleRefund', refundId: refund.refundId, status: 'SETTLED', bankRef: 'OUT-T1', now: '2026-12-23T10:00:00+08:00' });
    const { steps } = fold(h.log);
    const lotStates = steps.flatMap((s) => s.changes).filter((c) => c.entity === 'lot').map((c) => c.state as PublishedLot);
    expect(lotStates.map((l) => l.status)).toEqual(['OPEN', 'OPEN', 'TERMINATED']);
    expect(lotStates.every((l) => l.sealed && l.bondCount === undefined && l.refundsStarted === undefined)).toBe(true);
    expect(steps.flatMap((s) => s.changes).filter((c) => c.entity === 'bond' || c.entity === 'refund')).toEqual([]);
    expect(steps.flatMap((s) => s.changes).filter((c) => c.entity === 'refund-instruction').map((c) => canonicalJson((c.state as { status: string }).status))).toEqual([
      '"INSTRUCTED"',
      '"SETTLED"',
    ]);
  });
});
