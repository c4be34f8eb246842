import { defined } from '../../test/at';
import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, BANK, LOT, registered } from '../../test/lot-fixtures';
import { isRejection, replay } from '../decider';
import { PBOC_DEMAND_SCHEDULE } from '../interest';
import type { LotCommand, RedirectRefund } from './lot-commands';
import type { LotEvent, Payer, RefundInstructed } from './lot-events';
import { bondIdFor, refundIdFor } from './lot-ids';
import { lotDecider } from './lot-decider';
import { payerNameKey } from './refund-redirection';
import { lotBond } from './lot-state';

/**
 * Issue #14 item 8 (docs/rules.md): a bond is refunded along its original path (原路退回, docs/
 * specification.md §1 (5)); where that account is closed or frozen, the bank redirects the refund to
 * another account of the same payer against proof documents, recorded as such. Refunds with interest
 * are owed whatever account pays them (Art. 57).
 */
const spec = DeciderSpecification.for(lotDecider);

const LOT_VA = '9558800000000000018';
const aliceBond = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);
const firstRefund = refundIdFor(LOT, aliceBond, 1);
const secondRefund = refundIdFor(LOT, aliceBond, 2);
/** Alice's other account, at another bank. */
const ALICE_NEW: Payer = { accountNo: '6217000055556666', name: ALICE.name, bankCode: '105100000017' };

/** The events `commands` decide one after the other on `history`; a refusal fails the test. */
function after(history: readonly LotEvent[], ...commands: LotCommand[]): LotEvent[] {
  const events = [...history];
  for (const command of commands) {
    const decision = lotDecider.decide(command, replay(lotDecider, events));
    if (isRejection(decision)) throw new Error(`${command.type} refused: ${decision.code} ${decision.message}`);
    events.push(...decision);
  }
  return events;
}

const refundRun = (refundOn: string): LotCommand => ({ type: 'RefundBonds', refundOn, schedule: PBOC_DEMAND_SCHEDULE, now: `${refundOn}T10:00:00+08:00` });
const settlement = (refundId: string, status: 'SETTLED' | 'FAILED', day: string): LotCommand => ({
  type: 'SettleRefund',
  refundId,
  status,
  bankRef: `OUT-${status}-${day}`,
  ...(status === 'FAILED' ? { reason: 'account closed' } : {}),
  now: `${day}T11:00:00+08:00`,
});
const redirect = (overrides: Partial<RedirectRefund> = {}): RedirectRefund => ({
  type: 'RedirectRefund',
  refundId: firstRefund,
  to: { accountNo: ALICE_NEW.accountNo, bankCode: ALICE_NEW.bankCode },
  evidenceRef: 'EVID-2026-0042',
  reason: 'original account closed',
  ...overrides,
});

/** Alice paid, the lot was awarded, her refund was instructed on 22 December. */
const instructed = after(
  [registered()],
  {
    type: 'CreditBond',
    creditId: `C-${BANK}-A001`,
    anchorRevision: 0,
    bankRef: 'A001',
    requestHash: 'hash-A001',
    source: 'INBOUND',
    receivedAt: '2026-12-01T10:00:00+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    payer: ALICE,
    virtualAccount: { virtualAccountNo: LOT_VA, bankCode: BANK },
    payerDeclaredBy: ['alice'],
  },
  { type: 'RecordTimePassed', now: '2026-12-10T09:30:00+08:00' },
  { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T10:00:00+08:00' },
  refundRun('2026-12-22'),
);
/** …and its settlement failed the next day: the account is closed. */
const failed = after(instructed, settlement(firstRefund, 'FAILED', '2026-12-23'));

describe('refund redirection (issue #14 item 8)', () => {
  it('given a failed settlement, records the new account with the original path, the evidence and the reason', () => {
    spec
      .given(failed)
      .when(redirect())
      .then([
        {
          type: 'RefundRedirected',
          data: { lotId: LOT, refundId: firstRefund, bondId: aliceBond, from: ALICE, to: ALICE_NEW, evidenceRef: 'EVID-2026-0042', reason: 'original account closed' },
        },
      ]);
  });

  it("pays the bond's next refund to the new account; the bond keeps the account it came from", () => {
    const redirected = after(failed, redirect());
    const bond = defined(lotBond(replay(lotDecider, redirected), aliceBond), 'the bond');
    expect(bond).toMatchObject({ payer: ALICE, refundTo: ALICE_NEW, status: 'REFUND_DUE' });
    const [retry] = spec.given(redirected).when(refundRun('2026-12-23')).thenEvents() as RefundInstructed[];
    expect(retry?.data).toMatchObject({ refundId: secondRefund, attempt: 2, payTo: ALICE_NEW, principal: '50000.00' });
  });

  it('keeps paying there when that refund fails too, and lets the operator redirect again from that account', () => {
    const failedAgain = after(failed, redirect(), refundRun('2026-12-23'), settlement(secondRefund, 'FAILED', '2026-12-24'));
    const third = { accountNo: '6217000077778888', bankCode: '105100000017' };
    const event = spec.given(failedAgain).when(redirect({ refundId: secondRefund, to: third })).thenEvent();
    expect(event.data).toMatchObject({ refundId: secondRefund, from: ALICE_NEW, to: { ...third, name: ALICE.name } });
  });

  it('refuses a refund still instructed or settled: 422 REFUND_NOT_FAILED, changing nothing', () => {
    spec.given(instructed).when(redirect()).thenRejects({ kind: 'BUSINESS_RULE', code: 'REFUND_NOT_FAILED', field: 'refundId' });
    const settled = after(instructed, settlement(firstRefund, 'SETTLED', '2026-12-23'));
    spec.given(settled).when(redirect()).thenRejects({ code: 'REFUND_NOT_FAILED' });
  });

  it('refuses a failed refund a later instruction superseded: 422 REFUND_SUPERSEDED', () => {
    const retried = after(failed, refundRun('2026-12-23'));
    spec.given(retried).when(redirect()).thenRejects({ kind: 'BUSINESS_RULE', code: 'REFUND_SUPERSEDED', field: 'refundId' });
  });

  it("refuses an account in another name than the bond's payer: 422 NOT_SAME_PAYER, field accountName", () => {
    spec
      .given(failed)
      .when(redirect({ to: { ...redirect().to, name: 'Mallory Trading Co' } }))
      .thenRejects({ kind: 'BUSINESS_RULE', code: 'NOT_SAME_PAYER', field: 'accountName' });
  });

  it('compares names as banks do: full-width forms and spaces folded', () => {
    expect(payerNameKey('某某建设（集团）有限公司')).toBe(payerNameKey('某某建设(集团) 有限公司'));
    // ALICE.name is "Alice Construction Co": full-width letters and other spacing, the same payer.
    const event = spec.given(failed).when(redirect({ to: { ...redirect().to, name: ' Ａｌｉｃｅ  Construction Co' } })).thenEvent();
    expect(event.data).toMatchObject({ to: { name: ' Ａｌｉｃｅ  Construction Co' } });
  });

  it('refuses the very account the refund failed at: 422 SAME_ACCOUNT, field accountNo', () => {
    spec.given(failed).when(redirect({ to: { accountNo: ALICE.accountNo, bankCode: ALICE.bankCode } })).thenRejects({ code: 'SAME_ACCOUNT', field: 'accountNo' });
  });

  it('records nothing for the same redirection again; another account before the next instruction replaces it', () => {
    const redirected = after(failed, redirect());
    spec.given(redirected).when(redirect()).then([]);
    const other = { accountNo: '6217000077778888', bankCode: '105100000017' };
    const state = spec.given(redirected).when(redirect({ to: other, evidenceRef: 'EVID-2026-0043' })).thenState();
    expect(lotBond(state, aliceBond)?.refundTo).toEqual({ ...other, name: ALICE.name });
  });

  it('answers an unknown refund, and a refund of a lot never registered, 404 REFUND_NOT_FOUND', () => {
    spec.given(failed).when(redirect({ refundId: refundIdFor(LOT, aliceBond, 9) })).thenRejects({ kind: 'NOT_FOUND', code: 'REFUND_NOT_FOUND', field: 'refundId' });
    spec.given([]).when(redirect()).thenRejects({ kind: 'NOT_FOUND', code: 'REFUND_NOT_FOUND', field: 'refundId' });
  });
});
