import { amountOfFen, fenOf } from '@app/domain';
import { type ProjectionEvent, accountBalance, masterAccountBalance, postingsOf, tableSize } from '@app/projections';
import { at } from '../../event-store/test/event-store.contract';
import { BANK_A, M1, TWO_LOTS, buildSealedLotHistory, buildTwoSealedLotsHistory } from '../test/support/histories';
import {
  type PublishedChange,
  type PublishedLedgerAccount,
  type PublishedMasterAccount,
  type PublisherModels,
  allPublished,
  applyEvent,
  changesOf,
  initialModels,
  masterAccountMessageKey,
  publishedState,
} from './published-state';

/**
 * docs/topics.md "Confidentiality": the bank-level figures (master-account totals, clearing, suspense,
 * interest expense, center settlement) leave out what a sealed lot's money moved, until its opening.
 */

interface Step {
  readonly event: ProjectionEvent;
  readonly before: PublisherModels;
  readonly after: PublisherModels;
  readonly changes: PublishedChange[];
}

function fold(log: readonly ProjectionEvent[]): Step[] {
  let models = initialModels();
  const steps: Step[] = [];
  for (const event of log) {
    const after = applyEvent(models, event);
    steps.push({ event, before: models, after, changes: changesOf(event, models, after) });
    models = after;
  }
  return steps;
}

const data = (event: ProjectionEvent) => event.data as { lotId?: string; route?: { lotId?: string }; source?: string };
/** The lot an event is about: named in its data, or (an inbound credit's receipt) in its route. */
const lotOfEvent = (event: ProjectionEvent) => data(event).lotId ?? data(event).route?.lotId;
/** What a consumer of the reporting topics sees (the ESB's topic is its own: docs/topics.md). */
const reporting = (changes: readonly PublishedChange[]) => changes.filter((c) => c.entity !== 'refund-instruction');

const MASTER_KEY = masterAccountMessageKey(BANK_A, M1);
const CLEARING = `clearing:${BANK_A}`;
const SUSPENSE = `suspense:${BANK_A}`;
const INTEREST = `interest-expense:${BANK_A}`;

function bankFigures(models: PublisherModels): Record<string, string> {
  return Object.fromEntries(
    allPublished(models)
      .filter((p) => p.entity === 'master-account' || (p.entity === 'ledger-account' && (p.state as PublishedLedgerAccount).kind !== 'virtual'))
      .map((p) => [p.key, p.entity === 'master-account' ? (p.state as PublishedMasterAccount).subAccountsBalance : (p.state as PublishedLedgerAccount).balance]),
  );
}

/** The figures as the bank's own books have them (nothing left out). */
function realFigures(models: PublisherModels, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    keys.map((key) => [key, key === MASTER_KEY ? masterAccountBalance(models.balances, BANK_A, M1)!.subAccountsBalance : accountBalance(models.balances, key)]),
  );
}

const sum = (...amounts: string[]) => amountOfFen(amounts.reduce((total, amount) => total + fenOf(amount), 0n));
const negate = (amount: string) => amountOfFen(-fenOf(amount));
const minus = (a: string, b: string) => amountOfFen(fenOf(a) - fenOf(b));

describe("the publisher and a sealed lot's money", () => {
  const sealed = buildSealedLotHistory();
  const steps = fold(sealed.log);
  const sealedSteps = steps.slice(0, sealed.beforeOpening);
  const opening = at(steps, sealed.beforeOpening);
  const milestones = new Set(['LotRegistered', 'VirtualAccountIssued', 'DepositsClosed']);

  it('given lot S1 sealed, when credits, a reversal, a suspense match and a withdrawal refund move its money, then no entity of the reporting topics changes', () => {
    // When: every event of S1 before its opening but its public milestones.
    const moving = sealedSteps.filter((s) => lotOfEvent(s.event) === 'S1' && !milestones.has(s.event.type));
    const kinds = new Set(moving.map((s) => (s.event.type === 'BondCredited' ? `BondCredited/${data(s.event).source}` : s.event.type)));
    for (const kind of ['BondCredited/INBOUND', 'BondCredited/SUSPENSE', 'CreditReversed', 'SuspenseMatched', 'BidderWithdrew', 'RefundInstructed', 'RefundSettled']) {
      expect({ kind, covered: kinds.has(kind) }).toEqual({ kind, covered: true });
    }
    expect(moving.filter((s) => postingsOf(s.event).length > 0)).toHaveLength(9);

    // Then: nothing on a reporting topic, not even a master-account total or the bank's clearing account.
    for (const step of moving) expect({ at: `${step.event.type}@${step.event.position}`, changes: reporting(step.changes) }).toEqual({ at: `${step.event.type}@${step.event.position}`, changes: [] });
    // The withdrawal's refund goes to the ESB (it must pay it before opening), on its own topic.
    expect(moving.flatMap((s) => s.changes).map((c) => c.entity)).toEqual(['refund-instruction', 'refund-instruction']);
  });

  it('given lot S1 sealed, then the bank-level figures published before its opening are those of a ledger where S1 never took money', () => {
    const withoutS1 = sealed.log.slice(0, sealed.beforeOpening).filter((event) => !(lotOfEvent(event) === 'S1' && postingsOf(event).length > 0));
    const counterfactual = at(fold(withoutS1), -1).after;
    const published = bankFigures(at(sealedSteps, -1).after);
    expect(published).toEqual(bankFigures(counterfactual));
    // P1 was paid, awarded and refunded in public; v's payment sits in suspense as far as anyone outside can tell.
    expect(published).toMatchObject({ [MASTER_KEY]: '0.00', [SUSPENSE]: '-84111.10' });
    // While the bank's own books hold S1's money.
    expect(realFigures(at(sealedSteps, -1).after, [MASTER_KEY, SUSPENSE])).toEqual({ [MASTER_KEY]: '-320002.63', [SUSPENSE]: '-3333.33' });
  });

  it("when S1's bids are opened, then the opening publishes the master account, clearing, suspense and interest expense with the full figures", () => {
    expect(opening.event.type).toBe('BidsOpened');
    const bankLevel = opening.changes.filter((c) => c.entity === 'master-account' || (c.entity === 'ledger-account' && !c.key.startsWith('virtual:')));
    expect(bankLevel.map((c) => c.key).sort()).toEqual([CLEARING, INTEREST, MASTER_KEY, SUSPENSE].sort());
    // The full figures: what the bank's books hold, S1's money in.
    const real = realFigures(opening.after, [MASTER_KEY, CLEARING, SUSPENSE, INTEREST]);
    expect(bankFigures(opening.after)).toEqual(real);
    // x, y, z (two tranches) and v are held; u was refunded and w's credit reversed.
    expect(real[MASTER_KEY]).toBe(negate(sum('80123.45', '79001.11', '40000.10', '40100.20', '80777.77')));
    expect(real[SUSPENSE]).toBe('-3333.33');
    // Nothing is held back any more, and from here on every change is published as it happens.
    expect(tableSize(opening.after.sealedLotMoney.lots)).toBe(0);
    for (const step of steps.slice(sealed.beforeOpening)) expect(bankFigures(step.after)).toEqual(realFigures(step.after, Object.keys(bankFigures(step.after))));
  });

  describe('two lots on one master account, A1 opened before A2', () => {
    const two = buildTwoSealedLotsHistory();
    const twoSteps = fold(two.log);
    const a1Opening = at(twoSteps, two.beforeA1Opening);
    const a2Opening = at(twoSteps, two.beforeA2Opening);

    it('given both sealed, when money moves into either, then nothing is published but the ESB refund instructions: the clearing account not even once', () => {
      const sealedTime = twoSteps.slice(0, two.beforeA1Opening);
      expect(sealedTime.some((s) => s.event.type === 'RefundFailed')).toBe(true);
      for (const step of sealedTime.filter((s) => postingsOf(s.event).length > 0)) expect(reporting(step.changes)).toEqual([]);
      const models = at(sealedTime, -1).after;
      // The only bank-level figure is the master account, as opened; the clearing account only sealed money moved is unknown.
      expect(bankFigures(models)).toEqual({ [MASTER_KEY]: '0.00' });
      expect(publishedState(models, 'ledger-account', CLEARING)).toBeUndefined();
    });

    it("when A1 is opened, then A1's money is published and A2's is still held back, also what A2 takes after A1's opening", () => {
      expect([a1Opening.event.type, lotOfEvent(a1Opening.event)]).toEqual(['BidsOpened', 'A1']);
      const a1 = sum(...TWO_LOTS.a1.credits);
      expect(bankFigures(a1Opening.after)).toEqual({ [MASTER_KEY]: negate(a1), [CLEARING]: a1 });
      // The bank's books meanwhile also hold A2's credit and the withdrawn bidder's refund (and its interest).
      expect(realFigures(a1Opening.after, [MASTER_KEY, INTEREST])).toEqual({ [MASTER_KEY]: negate(sum(a1, TWO_LOTS.a2.credits[0])), [INTEREST]: '3.19' });

      const lateCredit = twoSteps.slice(two.beforeA1Opening + 1, two.beforeA2Opening).filter((s) => postingsOf(s.event).length > 0);
      expect(lateCredit.map((s) => [s.event.type, lotOfEvent(s.event), postingsOf(s.event)[0]?.amount])).toEqual([['BondCredited', 'A2', TWO_LOTS.a2.afterA1Opened]]);
      expect(reporting(at(lateCredit, 0).changes)).toEqual([]);
      expect(bankFigures(at(twoSteps, two.beforeA2Opening - 1).after)).toEqual(bankFigures(a1Opening.after));
    });

    it("when A2 is opened, then its money joins the figures: the books' own, interest expense published for the first time", () => {
      const keys = [MASTER_KEY, CLEARING, INTEREST];
      const bankLevel = a2Opening.changes.filter((c) => c.entity === 'master-account' || (c.entity === 'ledger-account' && !c.key.startsWith('virtual:')));
      expect(bankLevel.map((c) => c.key).sort()).toEqual([...keys].sort());
      expect(bankFigures(a2Opening.after)).toEqual(realFigures(a2Opening.after, keys));
      const held = sum(...TWO_LOTS.a1.credits, ...TWO_LOTS.a2.credits, TWO_LOTS.a2.afterA1Opened);
      // The refund's first attempt failed and was put back; the second paid principal and 3.19 of interest.
      expect(bankFigures(a2Opening.after)).toEqual({ [MASTER_KEY]: negate(held), [CLEARING]: minus(held, '3.19'), [INTEREST]: '3.19' });
    });
  });
});
