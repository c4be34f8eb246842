import { type BondCredited, formatVirtualAccountNo, lotDecider, lotStream, PBOC_DEMAND_SCHEDULE, tableSize } from '@app/domain';
import { LedgerHarness } from '../../test/ledger-harness';
import { at } from '../../test/at';
import { BANK_A, CAROL, CENTER, ERIN, L1_TERMS, M1, PREFIX_A, buildScenario } from '../../test/scenario';
import { suspenseBalance, balancesProjection } from '../balances/balances.projection';
import { foldEvents } from '../projection';
import { suspenseItemOf, suspenseItems, suspenseProjection } from './suspense.projection';

const scenario = buildScenario();
const { log } = scenario.harness;
const foldTo = (n: number) => foldEvents(suspenseProjection, log.slice(0, n));

describe('suspense projection', () => {
  it('lists credits in suspense with reason, amount, payer, receivedAt, while they are there', () => {
    const model = foldTo(scenario.marks.l1Credited);
    expect(suspenseItems(model)).toEqual([
      {
        creditId: 'C-102100099996-A006',
        bankRef: 'A006',
        reason: 'UNKNOWN_VIRTUAL_ACCOUNT',
        bankCode: BANK_A,
        amount: '40000.00',
        currency: 'CNY',
        channel: 'HVPS',
        payer: ERIN,
        payeeAccountNo: scenario.ids.unknownVa,
        remittanceInfo: 'L1 erin',
        receivedAt: '2026-12-05T10:00:00+08:00',
        valueDate: '2026-12-05',
        status: 'SUSPENDED',
        lotCredits: [],
        inSuspense: true,
        suspendedAt: '1224',
      },
      expect.objectContaining({ creditId: 'C-102100099996-A007', reason: 'BAD_CHECK_DIGIT', amount: '10000.00', payer: CAROL, status: 'SUSPENDED', inSuspense: true }),
    ]);
    // Classified and returned-at-the-door credits never were in suspense; nothing waits for an outcome.
    expect(suspenseItemOf(model, scenario.ids.daveCredit)).toBeUndefined();
    expect(tableSize(model.awaitingOutcome)).toBe(0);
  });

  it('records the resolutions: matched to a bond, returned to the payer', () => {
    const model = foldTo(log.length);
    expect(suspenseItemOf(model, scenario.ids.erinCredit)).toMatchObject({
      status: 'MATCHED',
      resolution: { action: 'MATCH', lotId: 'L1', virtualAccountNo: scenario.va1, flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_BELOW_BOND'] },
      lotCredits: [{ lotId: 'L1', virtualAccountNo: scenario.va1, voided: false, reversed: false }],
      inSuspense: false,
    });
    expect(suspenseItemOf(model, scenario.ids.badCredit)).toMatchObject({
      status: 'RETURNED',
      resolution: { action: 'RETURN', returnTo: CAROL },
      inSuspense: false,
    });
    expect(suspenseItemOf(model, scenario.ids.lateCredit)).toBeUndefined();
    expect(suspenseItems(model, { status: 'SUSPENDED' })).toEqual([]);
    expect(suspenseItems(model, { inSuspense: false })).toHaveLength(2);
    expect(suspenseItems(model, { bankCode: 'nope' })).toEqual([]);
  });
});

describe('suspense projection, races and reversals', () => {
  function ledgerWithSuspendedCredit(bankRef = 'X001') {
    const h = new LedgerHarness(BANK_A);
    h.registerCenter(CENTER);
    h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    h.registerLot(L1_TERMS);
    const va = h.issueVirtualAccount('L1', M1);
    const { creditId } = h.receive({
      bankRef,
      receivedAt: '2026-12-05T10:00:00+08:00',
      valueDate: '2026-12-05',
      amount: '40000.00',
      payer: ERIN,
      payeeAccountNo: formatVirtualAccountNo(PREFIX_A, 500n),
    });
    return { h, va, creditId };
  }
  const suspenseOf = (h: LedgerHarness) => suspenseBalance(foldEvents(balancesProjection, h.log), BANK_A);

  it('shows the money out of suspense while a MATCH is between its lot and credit appends', () => {
    const { h, va, creditId } = ledgerWithSuspendedCredit();
    // A store that commits streams one by one, stopped after the request and the lot's BondCredited.
    h.stopAfterWrites(2, () => h.matchSuspense(creditId, va));
    expect(h.log.map((event) => event.type).slice(-2)).toEqual(['SuspenseMatchRequested', 'BondCredited']);
    expect(suspenseItemOf(foldEvents(suspenseProjection, h.log), creditId)).toMatchObject({ status: 'SUSPENDED', inSuspense: false });
    expect(suspenseOf(h)).toBe('0.00');
  });

  it('follows a RETURN asked while a MATCH is unfinished: the match is finished first, the return refused', () => {
    const { h, va, creditId } = ledgerWithSuspendedCredit();
    h.stopAfterWrites(1, () => h.matchSuspense(creditId, va));
    expect(() => h.returnFromSuspense(creditId)).toThrow(/NOT_IN_SUSPENSE/);
    expect(h.log.map((event) => event.type).slice(-3)).toEqual(['SuspenseMatchRequested', 'BondCredited', 'SuspenseMatched']);
    expect(suspenseItemOf(foldEvents(suspenseProjection, h.log), creditId)).toMatchObject({
      status: 'MATCHED',
      resolution: { action: 'MATCH', lotId: 'L1', virtualAccountNo: va },
      lotCredits: [{ lotId: 'L1', voided: false, reversed: false }],
      inSuspense: false,
    });
    expect(suspenseOf(h)).toBe('0.00');
  });

  it('follows an older log in which a RETURN won over a concurrent MATCH: the match voided, the money returned', () => {
    const { h, va, creditId } = ledgerWithSuspendedCredit();
    // Before version 2 a MATCH credited the lot before recording anything on the credit; a RETURN that
    // came in between won, and the lot's credit was voided (SuspenseMatchVoided, no longer written).
    const received = h.credit(creditId).received!;
    const decided = lotDecider.decide(
      {
        type: 'CreditBond',
        creditId,
        anchorRevision: 2,
        bankRef: received.bankRef,
        requestHash: received.requestHash,
        source: 'SUSPENSE',
        receivedAt: received.receivedAt,
        valueDate: received.valueDate,
        amount: received.amount,
        payer: received.payer,
        virtualAccount: { virtualAccountNo: va, bankCode: BANK_A },
        payerDeclaredBy: [],
      },
      h.lotState('L1'),
    ) as BondCredited[];
    const { anchorRevision: _, ...versionOne } = at(decided, 0).data;
    h.appendPastDecisions(lotStream('L1'), [{ type: 'BondCredited', data: versionOne }]);
    h.returnFromSuspense(creditId);
    const { bondId, amount, postings } = versionOne;
    const undone = postings.map((posting) => ({ ...posting, side: posting.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' }));
    h.appendPastDecisions(lotStream('L1'), [{ type: 'SuspenseMatchVoided', data: { lotId: 'L1', bondId, creditId, amount, principalAfter: '0.00', postings: undone } }]);
    expect(h.log.map((event) => event.type).slice(-3)).toEqual(['BondCredited', 'SuspenseReturned', 'SuspenseMatchVoided']);
    expect(suspenseItemOf(foldEvents(suspenseProjection, h.log), creditId)).toMatchObject({
      status: 'RETURNED',
      resolution: { action: 'RETURN', returnTo: ERIN },
      lotCredits: [{ lotId: 'L1', voided: true, reversed: false }],
      inSuspense: false,
    });
    expect(suspenseOf(h)).toBe('0.00');
  });

  it('follows a reversal of money still in suspense', () => {
    const { h, creditId } = ledgerWithSuspendedCredit();
    h.reverse(creditId, 'recalled');
    expect(suspenseItemOf(foldEvents(suspenseProjection, h.log), creditId)).toMatchObject({
      status: 'REVERSED',
      reversal: { reason: 'recalled', fromSuspense: true },
      inSuspense: false,
    });
    expect(suspenseOf(h)).toBe('0.00');
  });

  it('follows a reversal of a credit already matched into a bond', () => {
    const { h, va, creditId } = ledgerWithSuspendedCredit();
    h.matchSuspense(creditId, va);
    h.reverse(creditId, 'recalled');
    expect(suspenseItemOf(foldEvents(suspenseProjection, h.log), creditId)).toMatchObject({
      status: 'REVERSED',
      resolution: { action: 'MATCH', lotId: 'L1' },
      reversal: { reason: 'recalled', fromSuspense: false },
      lotCredits: [{ lotId: 'L1', voided: false, reversed: true }],
      inSuspense: false,
    });
    expect(suspenseOf(h)).toBe('0.00');
  });
});
