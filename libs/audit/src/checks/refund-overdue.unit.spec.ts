import { PBOC_DEMAND_SCHEDULE, type RefundInstructed, bondIdFor } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { LedgerHarness } from '../../../projections/test/ledger-harness';
import { ALICE, BANK_A, CENTER, L1_TERMS, M1, PREFIX_A } from '../../../projections/test/scenario';
import { replayLedger } from '../replay';

/**
 * Art. 57 (refund within 5 days of the contract): the audit replay finds an overdue refund the ledger
 * did not record, and a RefundOverdue recorded before the limit. Limit here: 2026-12-26 00:00 Beijing time.
 */
describe('audit: refund overdue', () => {
  const bond = bondIdFor('L1', 'alice', ALICE.bankCode, ALICE.accountNo);

  /** A lot awarded on 12-20 with Alice's bond (recorded then); `after` writes what follows, each write stamped at its `at`. */
  async function audit(after: (h: LedgerHarness, at: (instant: string) => void) => void, asOf?: string) {
    const h = new LedgerHarness(BANK_A);
    const stamps: Array<{ from: number; at: string }> = [{ from: 0, at: '2026-12-01T10:00:00+08:00' }];
    const at = (instant: string) => stamps.push({ from: h.log.length, at: instant });
    h.registerCenter(CENTER);
    h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    h.declareBasicAccount('alice', ALICE);
    h.registerLot(L1_TERMS);
    const va = h.issueVirtualAccount('L1', M1);
    h.receive({ bankRef: 'A001', receivedAt: '2026-12-01T10:00:00+08:00', valueDate: '2026-12-01', amount: '50000.00', payer: ALICE, payeeAccountNo: va });
    at('2026-12-10T09:31:00+08:00');
    h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
    at('2026-12-20T15:00:00+08:00');
    h.lot('L1', { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T15:00:00+08:00' });
    after(h, at);
    const stampOf = (index: number) => stamps.filter((stamp) => stamp.from <= index).at(-1)?.at ?? '';
    const events: RecordedEvent[] = h.log.map((event, index) => ({
      ...event,
      id: `e-${index}`,
      data: event.data as RecordedEvent['data'],
      metadata: { correlationId: 'c', causationId: 'c', actor: 't', recordedAt: new Date(stampOf(index)).toISOString() },
    }));
    const store = {
      async *readAll() {
        yield* events;
      },
    };
    const asOfCut = asOf === undefined ? undefined : { recordedBefore: { epochMs: Date.parse(asOf), given: asOf } };
    const replay = await replayLedger(store, { asOf: asOfCut });
    return replay.findings.filter((finding) => finding.check === 'refund-overdue').map(({ code, details }) => ({ code, bondId: details?.bondId }));
  }

  const refundAndSettle = (h: LedgerHarness, at: (instant: string) => void, on: string) => {
    at(`${on}T10:00:00+08:00`);
    const run = h.lot('L1', { type: 'RefundBonds', refundOn: on, schedule: PBOC_DEMAND_SCHEDULE, now: `${on}T10:00:00+08:00` }) as RefundInstructed[];
    for (const refund of run) h.lot('L1', { type: 'SettleRefund', refundId: refund.data.refundId, status: 'SETTLED', bankRef: 'OUT-1', now: `${on}T11:00:00+08:00` });
  };

  it('finds nothing when the ledger recorded the overdue refund at its limit and settled it later', async () => {
    const findings = await audit((h, at) => {
      at('2026-12-26T00:00:01+08:00');
      h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-26T00:00:01+08:00' });
      refundAndSettle(h, at, '2026-12-28');
    });
    expect(findings).toEqual([]);
  });

  it('finds nothing for a refund settled in time', async () => {
    expect(await audit((h, at) => refundAndSettle(h, at, '2026-12-22'))).toEqual([]);
  });

  it('finds an overdue refund it was not told about: settled late with no RefundOverdue', async () => {
    expect(await audit((h, at) => refundAndSettle(h, at, '2026-12-28'))).toEqual([{ code: 'REFUND_OVERDUE_NOT_RECORDED', bondId: bond }]);
  });

  it('finds one still owed at the end of an as-of cut given as an instant, beyond the grace', async () => {
    expect(await audit(() => undefined, '2026-12-26T00:14:00+08:00')).toEqual([]);
    expect(await audit(() => undefined, '2026-12-26T00:16:00+08:00')).toEqual([{ code: 'REFUND_OVERDUE_NOT_RECORDED', bondId: bond }]);
  });

  it('finds a RefundOverdue recorded before the limit', async () => {
    const findings = await audit((h, at) => {
      at('2026-12-24T10:00:00+08:00');
      h.appendPastDecisions('lot-L1', [
        {
          type: 'RefundOverdue',
          data: { lotId: 'L1', bondId: bond, bidderId: 'alice', principal: '50000.00', refundDueBy: '2026-12-25', observedAt: '2026-12-24T10:00:00+08:00', instructionPending: false },
        },
      ]);
    });
    expect(findings).toEqual([{ code: 'REFUND_OVERDUE_BEFORE_LIMIT', bondId: bond }]);
  });

  it('finds a RefundOverdue the lot decider would not record (stored time forged past the limit, bond already settled)', async () => {
    const findings = await audit((h, at) => {
      refundAndSettle(h, at, '2026-12-22');
      at('2026-12-27T10:00:00+08:00');
      h.appendPastDecisions('lot-L1', [
        {
          type: 'RefundOverdue',
          data: { lotId: 'L1', bondId: bond, bidderId: 'alice', principal: '50000.00', refundDueBy: '2026-12-25', observedAt: '2026-12-27T10:00:00+08:00', instructionPending: false },
        },
      ]);
    });
    expect(findings).toEqual([{ code: 'REFUND_OVERDUE_NOT_DECIDED', bondId: bond }]);
  });
});
