import { bondIdFor, refundIdFor } from '@app/domain';
import {
  CLEARING,
  INTEREST_EXPENSE,
  cr,
  creditIdOf,
  creditStreamOf,
  creditsReceivedAt,
  cstDate,
  cstInstant,
  deadlineAndOpeningOn,
  dr,
  lotTerms,
  payer,
  plusDays,
} from './support/ledger-fixtures';
import { LedgerHarness, expectEveryPostingSetBalanced, sumOfBalances } from './support/ledger-harness';

/**
 * Art. 35 and Art. 31 over HTTP, on a FLAG lot whose deadline and opening are already past (credit
 * `receivedAt` and withdrawal notices are data, judged against the deadline): a withdrawal before the
 * deadline is refundable at once (due in 5 days, no award needed); one after the deadline makes the bond
 * forfeitable to the center; other bonds are protected; termination makes every bond refundable at once
 * and closes the lot to credits.
 */
describe('withdrawal, forfeiture and termination (e2e)', () => {
  const CENTER = 'GZ-PRC';
  const MASTER = '44201500000000000002';
  const LOT = 'GZ-2026-WT-L1';
  const LOT_STREAM = `lot-${LOT}`;

  const T0 = Date.now();
  const D = cstDate(T0);
  const VALUE_DATE = plusDays(D, -10);
  /** Credits received before the deadline. */
  const received = creditsReceivedAt(`${VALUE_DATE}T10:00:00+08:00`);
  const NOTICE_BEFORE = `${plusDays(D, -8)}T09:00:00+08:00`;
  const PAST_TIMES = deadlineAndOpeningOn(plusDays(D, -5));
  const NOTICE_AFTER = `${plusDays(D, -5)}T10:00:00+08:00`;

  const P1 = payer('6222000022220001', 'Wei One Construction'); // not declared: FLAG
  const P2 = payer('6222000022220002', 'Wei Two Engineering'); // W2's basic account
  const P3 = payer('6222000022220003', 'Wei Three Works'); // W3's basic account
  const P4 = payer('6222000022220004', 'Someone Unnamed Ltd'); // not declared, to the lot-level account

  const bonds = {
    w1: bondIdFor(LOT, 'W1', P1.bankCode, P1.accountNo),
    w2: bondIdFor(LOT, 'W2', P2.bankCode, P2.accountNo),
    w3: bondIdFor(LOT, 'W3', P3.bankCode, P3.accountNo),
    anonymous: bondIdFor(LOT, undefined, P4.bankCode, P4.accountNo),
  };

  let ledger: LedgerHarness;
  let lotVa: string;
  let va1: string;
  let va2: string;

  /** Asserts the request is refused as expected and that the store did not change. */
  async function expectRefused(path: string, body: object, status: number, code: string, field?: string) {
    const before = await ledger.eventCount();
    const response = await ledger.post(path, body).expect(status);
    expect(response.body).toEqual({ error: { code, message: expect.any(String), ...(field === undefined ? {} : { field }) } });
    expect(await ledger.eventCount()).toBe(before);
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('withdrawal', { now: T0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    lotVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LOT, centerId: CENTER, ...PAST_TIMES, basicAccountPolicy: 'FLAG' }), MASTER);
    va1 = await ledger.issueVirtualAccount(LOT, MASTER, 'W1');
    va2 = await ledger.issueVirtualAccount(LOT, MASTER, 'W2');
    await ledger.declareBasicAccounts({ W2: P2, W3: P3 });
    // The times are past: the lot clock records both at its next tick, here, so event counts stay still below.
    await ledger.clock.advanceBy(1_000);
    expect((await ledger.streamTypes(LOT_STREAM)).slice(-2)).toEqual(['DepositsClosed', 'BidsOpened']);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('accepts credits received before the past deadline, flagging those not from a declared basic account', async () => {
    const credit = (bankRef: string, from: typeof P1, to: string) => ledger.postCredit(received(bankRef, from, to));

    expect((await credit('BEPS2026WT0001', P1, va1)).body).toEqual({
      creditId: creditIdOf('BEPS2026WT0001'),
      bankRef: 'BEPS2026WT0001',
      outcome: 'CLASSIFIED',
      lotId: LOT,
      bidderId: 'W1',
      bondId: bonds.w1,
      flags: ['NOT_BASIC_ACCOUNT'],
    });
    expect((await credit('BEPS2026WT0002', P2, va2)).body).toMatchObject({ outcome: 'CLASSIFIED', bidderId: 'W2', bondId: bonds.w2, flags: [] });
    expect((await credit('BEPS2026WT0003', P3, lotVa)).body).toMatchObject({ outcome: 'CLASSIFIED', bidderId: 'W3', bondId: bonds.w3, flags: [] });
    const anonymous = await credit('BEPS2026WT0004', P4, lotVa);
    expect(anonymous.body).toEqual({
      creditId: creditIdOf('BEPS2026WT0004'),
      bankRef: 'BEPS2026WT0004',
      outcome: 'CLASSIFIED',
      lotId: LOT,
      bondId: bonds.anonymous,
      flags: ['NOT_BASIC_ACCOUNT'],
    });
    expect((await ledger.lastEvent(LOT_STREAM)).data).not.toHaveProperty('bidderId');
  });

  it('makes a bond withdrawn before the deadline due in 5 days and refundable without an award', async () => {
    const withdrawal = await ledger.post(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'W1', noticeReceivedAt: NOTICE_BEFORE }).expect(201);
    const refundDueBy = plusDays(D, -3); // the notice's Beijing date (D-8) + 5 days
    expect(withdrawal.body).toEqual({ lotId: LOT, bidderId: 'W1', noticeReceivedAt: NOTICE_BEFORE, beforeDeadline: true, refundDueBy, bondIds: [bonds.w1] });
    expect(await ledger.lastEvent(LOT_STREAM)).toMatchObject({ type: 'BidderWithdrew', data: withdrawal.body });
    await expectRefused(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'W1', noticeReceivedAt: NOTICE_BEFORE }, 409, 'ALREADY_WITHDRAWN', 'bidderId');

    const refundOn = plusDays(D, -4);
    const response = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn }).expect(201);
    // 50000.00 × 0.0035 × 6 days (D-10 inclusive to D-4 exclusive) / 360 = 1050 / 360 = 2.91666… → 2.92
    expect(response.body).toEqual({
      notRefunded: [],
      refunds: [
        {
          lotId: LOT,
          refundId: refundIdFor(LOT, bonds.w1, 1),
          bondId: bonds.w1,
          bidderId: 'W1',
          payTo: P1,
          principal: '50000.00',
          interest: '2.92',
          total: '50002.92',
          refundOn,
          dueBy: refundDueBy,
          late: false,
          attempt: 1,
          dayCount: 'ACT/360',
          rates: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
          postings: [dr(`virtual:${va1}`, '50000.00'), dr(INTEREST_EXPENSE, '2.92'), cr(CLEARING, '50002.92')],
        },
      ],
    });
    const settled = await ledger
      .post(`/v1/refunds/${response.body.refunds[0].refundId}/settlement`, { status: 'SETTLED', bankRef: 'BEPSOUT2026WT0001' })
      .expect(201);
    expect(settled.body).toMatchObject({ status: 'SETTLED', bondStatus: 'REFUNDED' });
  });

  it('makes a bond withdrawn after the deadline forfeitable, and forfeits it to the center’s settlement account', async () => {
    const withdrawal = await ledger.post(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'W2', noticeReceivedAt: NOTICE_AFTER }).expect(201);
    expect(withdrawal.body).toEqual({ lotId: LOT, bidderId: 'W2', noticeReceivedAt: NOTICE_AFTER, beforeDeadline: false, bondIds: [bonds.w2] });

    const forfeiture = await ledger.post(`/v1/bonds/${bonds.w2}/forfeiture`, { reason: 'withdrew after the deadline (Art. 35)', ground: 'WITHDRAWN_AFTER_DEADLINE' }).expect(201);
    expect(forfeiture.body).toEqual({
      lotId: LOT,
      bondId: bonds.w2,
      centerId: CENTER,
      reason: 'withdrew after the deadline (Art. 35)',
      ground: 'WITHDRAWN_AFTER_DEADLINE',
      amount: '50000.00',
      postings: [dr(`virtual:${va2}`, '50000.00'), cr(`center-settlement:${CENTER}`, '50000.00')],
    });
    expect(await ledger.lastEvent(LOT_STREAM)).toMatchObject({ type: 'BondForfeited', data: forfeiture.body });
    await expectRefused(`/v1/bonds/${bonds.w2}/forfeiture`, { reason: 'again', ground: 'WITHDRAWN_AFTER_DEADLINE' }, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId');
  });

  it('refuses to forfeit a protected bond with 422 FORFEITURE_NOT_ALLOWED', async () => {
    // W3 never withdrew; W1 withdrew before the deadline (and is refunded).
    await expectRefused(`/v1/bonds/${bonds.w3}/forfeiture`, { reason: 'center wants it', ground: 'WITHDRAWN_AFTER_DEADLINE' }, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId');
    await expectRefused(`/v1/bonds/${bonds.w1}/forfeiture`, { reason: 'center wants it', ground: 'WITHDRAWN_AFTER_DEADLINE' }, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId');
    await expectRefused(`/v1/bonds/${bonds.anonymous}/forfeiture`, { reason: 'center wants it', ground: 'WITHDRAWN_AFTER_DEADLINE' }, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId');
  });

  it('terminates the tender: every held bond is refundable at once, with interest, on time', async () => {
    const termination = await ledger.post(`/v1/lots/${LOT}/termination`, { reason: 'project cancelled by the owner' }).expect(201);
    // Terminated when the service's clock says.
    const terminatedAt = ledger.clock.now().toISOString();
    expect(termination.body).toEqual({ lotId: LOT, reason: 'project cancelled by the owner', terminatedAt, refundsDueBy: cstDate(terminatedAt) });
    await expectRefused(`/v1/lots/${LOT}/termination`, { reason: 'twice' }, 409, 'LOT_ALREADY_TERMINATED');

    const refundOn = cstDate(terminatedAt);
    const response = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn }).expect(201);
    // Each: 50000.00 × 0.0035 × 10 days (D-10 to D) / 360 = 1750 / 360 = 4.86111… → 4.86
    const common = { lotId: LOT, principal: '50000.00', interest: '4.86', total: '50004.86', refundOn, dueBy: refundOn, late: false, attempt: 1 };
    expect(response.body.refunds).toEqual([
      expect.objectContaining({
        ...common,
        refundId: refundIdFor(LOT, bonds.w3, 1),
        bondId: bonds.w3,
        bidderId: 'W3',
        payTo: P3,
        postings: [dr(`virtual:${lotVa}`, '50000.00'), dr(INTEREST_EXPENSE, '4.86'), cr(CLEARING, '50004.86')],
      }),
      expect.objectContaining({
        ...common,
        refundId: refundIdFor(LOT, bonds.anonymous, 1),
        bondId: bonds.anonymous,
        payTo: P4,
        postings: [dr(`virtual:${lotVa}`, '50000.00'), dr(INTEREST_EXPENSE, '4.86'), cr(CLEARING, '50004.86')],
      }),
    ]);
    expect(response.body.refunds[1]).not.toHaveProperty('bidderId');
    for (const [index, refund] of (response.body.refunds as { refundId: string }[]).entries()) {
      await ledger.post(`/v1/refunds/${refund.refundId}/settlement`, { status: 'SETTLED', bankRef: `BEPSOUT2026WT001${index + 2}` }).expect(201);
    }
  });

  it('returns credits that arrive after the termination (LOT_CLOSED) and refuses new accounts and decisions', async () => {
    const onTime = await ledger.postCredit(received('BEPS2026WT0005', P3, lotVa));
    expect(onTime.body).toEqual({ creditId: creditIdOf('BEPS2026WT0005'), bankRef: 'BEPS2026WT0005', outcome: 'RETURNED', reason: 'LOT_CLOSED', lotId: LOT, flags: [] });
    const now = await ledger.postCredit(creditsReceivedAt(cstInstant(ledger.clock.now()))('BEPS2026WT0006', P1, va1));
    expect(now.body).toMatchObject({ outcome: 'RETURNED', reason: 'LOT_CLOSED', lotId: LOT });
    expect(await ledger.lastEvent(creditStreamOf('BEPS2026WT0006'))).toMatchObject({ type: 'CreditReturned', data: { reason: 'LOT_CLOSED', returnTo: P1 } });
    // The lot records each refusal once, with no money moved.
    const refusals = (await ledger.streamEvents(LOT_STREAM)).slice(-2);
    expect(refusals.map(({ type, data }) => ({ type, data }))).toEqual(
      ['BEPS2026WT0005', 'BEPS2026WT0006'].map((bankRef) => ({
        type: 'CreditRefused',
        data: { lotId: LOT, creditId: creditIdOf(bankRef), bankRef, source: 'INBOUND', anchorRevision: 0, reason: 'LOT_CLOSED', amount: '50000.00' },
      })),
    );

    await expectRefused(`/v1/lots/${LOT}/virtual-accounts`, { masterAccountNo: MASTER }, 422, 'LOT_CLOSED', 'lotId');
    await expectRefused(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'W3', noticeReceivedAt: cstInstant(ledger.clock.now()) }, 422, 'LOT_CLOSED');
    await expectRefused(`/v1/lots/${LOT}/award`, { winnerBidderId: 'W3', contractSignedOn: D }, 422, 'LOT_CLOSED');
  });

  it('ends with the sub-accounts at zero, the forfeited bond with the center and the interest paid by the bank', async () => {
    const balances = await ledger.balances();
    // Interest: 2.92 (W1) + 4.86 (W3) + 4.86 (anonymous) = 12.64. Clearing: 4 × 50000.00 in, 150012.64 out.
    expect(Object.fromEntries(balances)).toEqual({
      [CLEARING]: '49987.36',
      [`virtual:${va1}`]: '0.00',
      [`virtual:${va2}`]: '0.00',
      [`virtual:${lotVa}`]: '0.00',
      [INTEREST_EXPENSE]: '12.64',
      [`center-settlement:${CENTER}`]: '-50000.00',
    });
    expect(sumOfBalances(balances)).toBe('0.00');
    expect(expectEveryPostingSetBalanced(await ledger.allEvents())).toBe(8); // 4 credits, 1 forfeiture, 3 refunds
  });
});
