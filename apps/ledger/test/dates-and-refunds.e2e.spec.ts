import { bondIdFor } from '@app/domain';
import { creditIdOf, creditsReceivedAt, cstDate, deadlineAndOpeningOn, lotTerms, payer, plusDays } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * Issue #14, items 1–3 over HTTP (docs/rules.md): a caller's instants and dates may not lie in the future,
 * forfeiture needs its legal ground in the lot's history, refunds are dated between the day a bond became
 * refundable and today, one bond that cannot be refunded does not hold up the others, and a credit whose
 * value date cannot be true is suspended instead of accruing.
 */
describe('dates, forfeiture and refund runs (e2e)', () => {
  const CENTER = 'DR-PRC';
  const MASTER = '44201500000000000014';
  const T0 = Date.parse('2026-12-15T10:00:00+08:00');
  const TODAY = cstDate(T0);

  const P1 = payer('6222000044440001', 'Dr One Construction');
  const P2 = payer('6222000044440002', 'Dr Two Engineering');
  const P3 = payer('6222000044440003', 'Dr Three Works');

  let ledger: LedgerHarness;

  async function expectRefused(path: string, body: object, status: number, code: string, field?: string) {
    const before = await ledger.eventCount();
    const response = await ledger.post(path, body).expect(status);
    expect(response.body).toEqual({ error: { code, message: expect.any(String), ...(field === undefined ? {} : { field }) } });
    expect(await ledger.eventCount()).toBe(before);
  }

  /** A lot of `bidders`, each paying 20,000.00 on `valueDate` into its own virtual account; deadline and opening on `openedOn`. */
  async function lotWithBonds(lotId: string, openedOn: string, bidders: Record<string, typeof P1>, valueDate = plusDays(TODAY, -20)) {
    await ledger.registerLot(lotTerms({ lotId, centerId: CENTER, bondAmount: '20000.00', ...deadlineAndOpeningOn(openedOn), basicAccountPolicy: 'OFF' }));
    const credit = creditsReceivedAt(`${valueDate}T10:00:00+08:00`, valueDate, '20000.00');
    const bonds: Record<string, string> = {};
    for (const [bidderId, from] of Object.entries(bidders)) {
      const va = await ledger.issueVirtualAccount(lotId, MASTER, bidderId);
      const answer = await ledger.postCredit(credit(`${lotId}-${bidderId}`.replace(/-/g, ''), from, va));
      expect(answer.body).toMatchObject({ outcome: 'CLASSIFIED' });
      bonds[bidderId] = bondIdFor(lotId, bidderId, from.bankCode, from.accountNo);
    }
    return bonds;
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('dates-and-refunds', { now: T0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('refuses a withdrawal notice dated 2030 on a lot still open, so its bond cannot be forfeited', async () => {
    const lot = 'DR-FUTURE-NOTICE';
    const bonds = await lotWithBonds(lot, '2030-06-30', { A: P1 });
    await expectRefused(`/v1/lots/${lot}/withdrawals`, { bidderId: 'A', noticeReceivedAt: '2030-06-01T10:00:00+08:00' }, 422, 'INSTANT_IN_FUTURE', 'noticeReceivedAt');
    // Sealed, a forfeiture is refused for any bond, and the ask recorded (docs/security.md).
    const refused = await ledger.post(`/v1/bonds/${bonds.A}/forfeiture`, { reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' }).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'FORFEITURE_NOT_ALLOWED', field: 'bondId' });
    expect(await ledger.lastEvent(`lot-${lot}`)).toMatchObject({ type: 'SealedLotAsked', data: { command: 'ForfeitBond', bondId: bonds.A } });
  });

  it('forfeits only on a ground the history records, named in the event and, if the request names one, checked (Art. 35, 74)', async () => {
    const lot = 'DR-GROUNDS';
    const openedOn = plusDays(TODAY, -10);
    const bonds = await lotWithBonds(lot, openedOn, { A: P1, B: P2, C: P3 }, plusDays(openedOn, -2));
    await ledger.clock.advanceBy(1_000);
    await ledger.post(`/v1/lots/${lot}/withdrawals`, { bidderId: 'A', noticeReceivedAt: `${openedOn}T10:00:00+08:00` }).expect(201);
    // An unknown ground is malformed: 400.
    await expectRefused(`/v1/bonds/${bonds.A}/forfeiture`, { reason: 'kept', ground: 'CENTER_WISHES' }, 400, 'INVALID_FIELD', 'ground');
    await expectRefused(`/v1/bonds/${bonds.A}/forfeiture`, { reason: 'kept', ground: 'REFUSED_TO_SIGN' }, 422, 'FORFEITURE_GROUND_NOT_RECORDED', 'ground');
    const forfeited = await ledger.post(`/v1/bonds/${bonds.A}/forfeiture`, { reason: 'withdrew late', ground: 'WITHDRAWN_AFTER_DEADLINE' }).expect(201);
    expect(forfeited.body).toMatchObject({ bondId: bonds.A, ground: 'WITHDRAWN_AFTER_DEADLINE', amount: '20000.00' });
    expect(await ledger.lastEvent(`lot-${lot}`)).toMatchObject({ type: 'BondForfeited', data: { ground: 'WITHDRAWN_AFTER_DEADLINE' } });

    // Art. 74: the chosen winner B refuses to sign; its bond becomes forfeitable, and it cannot be awarded.
    await expectRefused(`/v1/lots/${lot}/signing-refusals`, { bidderId: 'B', refusedOn: plusDays(TODAY, 1), reason: 'x' }, 422, 'DATE_IN_FUTURE', 'refusedOn');
    const refusal = await ledger.post(`/v1/lots/${lot}/signing-refusals`, { bidderId: 'B', refusedOn: plusDays(openedOn, 3), reason: 'refused the contract terms' }).expect(201);
    expect(refusal.body).toEqual({ lotId: lot, bidderId: 'B', refusedOn: plusDays(openedOn, 3), reason: 'refused the contract terms', bondIds: [bonds.B] });
    await expectRefused(`/v1/lots/${lot}/award`, { winnerBidderId: 'B', contractSignedOn: TODAY }, 422, 'WINNER_REFUSED_TO_SIGN', 'winnerBidderId');
    await expectRefused(`/v1/bonds/${bonds.C}/forfeiture`, { reason: 'kept', ground: 'REFUSED_TO_SIGN' }, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId');
    // The contract's body is {reason}: without a ground, the one the history records is the event's.
    const kept = await ledger.post(`/v1/bonds/${bonds.B}/forfeiture`, { reason: 'refused to sign' }).expect(201);
    expect(kept.body).toMatchObject({ bondId: bonds.B, ground: 'REFUSED_TO_SIGN' });
  });

  it('takes a contract signed between bid opening and today only: 2099 and 2001 are refused', async () => {
    const lot = 'DR-CONTRACT';
    const openedOn = plusDays(TODAY, -5);
    await lotWithBonds(lot, openedOn, { A: P1 }, plusDays(openedOn, -2));
    await ledger.clock.advanceBy(1_000);
    await expectRefused(`/v1/lots/${lot}/award`, { winnerBidderId: 'A', contractSignedOn: '2099-01-01' }, 422, 'DATE_IN_FUTURE', 'contractSignedOn');
    await expectRefused(`/v1/lots/${lot}/award`, { winnerBidderId: 'A', contractSignedOn: '2001-01-01' }, 422, 'CONTRACT_BEFORE_BID_OPENING', 'contractSignedOn');
    await ledger.post(`/v1/lots/${lot}/award`, { winnerBidderId: 'A', contractSignedOn: TODAY }).expect(201);
  });

  it('refuses refundOn 2099-12-31 and a day before the termination; a failed refund is re-priced from the failure', async () => {
    const lot = 'DR-REFUND-DATES';
    // Opened (a sealed lot's run answers no refunds: docs/security.md), then terminated.
    const bonds = await lotWithBonds(lot, plusDays(TODAY, -4), { A: P1 }, plusDays(TODAY, -5));
    await ledger.clock.advanceBy(1_000);
    await ledger.post(`/v1/lots/${lot}/termination`, { reason: 'project cancelled' }).expect(201);
    await expectRefused(`/v1/lots/${lot}/refunds`, { refundOn: '2099-12-31' }, 422, 'DATE_IN_FUTURE', 'refundOn');
    await expectRefused(`/v1/lots/${lot}/refunds`, { refundOn: plusDays(TODAY, -5) }, 422, 'REFUND_BEFORE_REFUNDABLE', 'refundOn');
    const first = await ledger.post(`/v1/lots/${lot}/refunds`, { refundOn: TODAY }).expect(201);
    const refundId = first.body.refunds[0].refundId;
    await ledger.clock.advanceBy(2 * 24 * 60 * 60 * 1000);
    await ledger.post(`/v1/refunds/${refundId}/settlement`, { status: 'FAILED', bankRef: 'DROUT0001', reason: 'account frozen' }).expect(201);
    // Refundable again from the failure's day: the first date would price days the money did not leave.
    await expectRefused(`/v1/lots/${lot}/refunds`, { refundOn: TODAY }, 422, 'REFUND_BEFORE_REFUNDABLE', 'refundOn');
    const retry = await ledger.post(`/v1/lots/${lot}/refunds`, { refundOn: plusDays(TODAY, 2) }).expect(201);
    // 20,000.00 × 0.35% × 7 days / 360 = 1.3611… → 1.36
    expect(retry.body.refunds[0]).toMatchObject({ bondId: bonds.A, attempt: 2, refundOn: plusDays(TODAY, 2), interest: '1.36' });
  });

  it('instructs the other bonds when one cannot be refunded, and answers that one with its reason, changing nothing for it', async () => {
    const today = cstDate(ledger.clock.now());
    // A schedule whose first rate is 3 days ago: B's bond, valued 5 days ago, has no rate for its first days.
    await ledger.post('/v1/interest-rate-schedules', { scheduleId: 'DR-LATE-RATE', dayCount: 'ACT/360', entries: [{ effectiveFrom: plusDays(today, -3), annualRate: '0.0035' }] }).expect(201);
    const lot = 'DR-ONE-BAD-BOND';
    await ledger.registerLot(lotTerms({ lotId: lot, centerId: CENTER, bondAmount: '20000.00', basicAccountPolicy: 'OFF', rateScheduleId: 'DR-LATE-RATE', ...deadlineAndOpeningOn(plusDays(today, -1)) }));
    const vaA = await ledger.issueVirtualAccount(lot, MASTER, 'A');
    const vaB = await ledger.issueVirtualAccount(lot, MASTER, 'B');
    await ledger.postCredit(creditsReceivedAt(`${plusDays(today, -2)}T09:00:00+08:00`, plusDays(today, -2), '20000.00')('DROBBA', P1, vaA)).expect(201);
    await ledger.postCredit(creditsReceivedAt(`${plusDays(today, -5)}T09:00:00+08:00`, plusDays(today, -5), '20000.00')('DROBBB', P2, vaB)).expect(201);
    const bondA = bondIdFor(lot, 'A', P1.bankCode, P1.accountNo);
    const bondB = bondIdFor(lot, 'B', P2.bankCode, P2.accountNo);
    await ledger.clock.advanceBy(1_000);
    await ledger.post(`/v1/lots/${lot}/termination`, { reason: 'cancelled' }).expect(201);
    const run = await ledger.post(`/v1/lots/${lot}/refunds`, { refundOn: today });
    expect(run.status).toBe(201);
    expect(run.body.refunds.map((refund: { bondId: string }) => refund.bondId)).toEqual([bondA]);
    expect(run.body.notRefunded).toEqual([{ bondId: bondB, bidderId: 'B', reason: 'NO_RATE_FOR_DATE', message: expect.any(String) }]);
    expect((await ledger.streamTypes(`lot-${lot}`)).filter((type) => type === 'RefundInstructed')).toHaveLength(1);
    // The lot's bonds show it still due, and why a refund today cannot be made (the center once bids are opened).
    const view = await ledger.get(`/v1/bonds/${bondB}`, 'operator').expect(200);
    expect(view.body).toMatchObject({ status: 'REFUND_DUE', refundBlocked: { reason: 'NO_RATE_FOR_DATE' } });
    // Alone, it makes the run 422 with its reason, and nothing is recorded.
    await expectRefused(`/v1/lots/${lot}/refunds`, { refundOn: today }, 422, 'NO_RATE_FOR_DATE', 'refundOn');
  });

  it('suspends a credit value-dated ten years back, or after its receipt, instead of accruing', async () => {
    const TODAY = cstDate(ledger.clock.now());
    const lot = 'DR-VALUE-DATES';
    await ledger.registerLot(lotTerms({ lotId: lot, centerId: CENTER, bondAmount: '20000.00', basicAccountPolicy: 'OFF' }));
    const va = await ledger.issueVirtualAccount(lot, MASTER, 'A');
    const receivedAt = `${TODAY}T09:00:00+08:00`;
    const old = await ledger.postCredit(creditsReceivedAt(receivedAt, plusDays(TODAY, -3650), '20000.00')('DRVD0001', P1, va)).expect(201);
    expect(old.body).toEqual({ creditId: creditIdOf('DRVD0001'), bankRef: 'DRVD0001', outcome: 'SUSPENDED', reason: 'VALUE_DATE_TOO_OLD', flags: [] });
    const later = await ledger.postCredit(creditsReceivedAt(receivedAt, plusDays(TODAY, 1), '20000.00')('DRVD0002', P1, va)).expect(201);
    expect(later.body).toMatchObject({ outcome: 'SUSPENDED', reason: 'VALUE_DATE_AFTER_RECEIPT' });
    const future = await ledger.postCredit(creditsReceivedAt('2030-06-01T10:00:00+08:00', '2030-06-01', '20000.00')('DRVD0003', P1, va)).expect(201);
    expect(future.body).toMatchObject({ outcome: 'SUSPENDED', reason: 'RECEIVED_IN_FUTURE' });
  });
});
