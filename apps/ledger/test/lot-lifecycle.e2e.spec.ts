import { bondIdFor, classifyVirtualAccountNo, refundIdFor } from '@app/domain';
import {
  BANK,
  CLEARING,
  INTEREST_EXPENSE,
  OTHER_PAYER_BANK,
  PREFIX,
  SUSPENSE,
  UNISSUED_VIRTUAL_ACCOUNT,
  cr,
  creditsReceivedAt,
  cstDate,
  cstInstant,
  dr,
  inboundCredit,
  lotTerms,
  payer,
  plusDays,
  withWrongCheckDigit,
} from './support/ledger-fixtures';
import { LedgerHarness, expectEveryPostingSetBalanced, sumOfBalances } from './support/ledger-harness';

const HASH = expect.stringMatching(/^[0-9a-f]{64}$/);
const PBOC_RATES = [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }];

/**
 * The whole life of one ENFORCE lot over HTTP: set-up, credits of every outcome, suspense, a reversal,
 * the clock opening the bids, award, refunds with interest, settlement (one failing and retried), and
 * the ledger back at zero everywhere but the bank's interest.
 */
describe('lot life cycle: set-up → credits → suspense → award → refunds → settlement (e2e)', () => {
  const CENTER = 'SZ-PRC';
  const MASTER = '44201500000000000001';
  const LOT = 'SZ-2026-RR3-L1';
  const LOT_STREAM = `lot-${LOT}`;

  const ALPHA = payer('6222000011110001', 'Alpha Construction Co');
  const BRAVO = payer('6222000011110002', 'Bravo Engineering Ltd');
  const CHARLIE = payer('6222000011110003', 'Charlie Bridge Works', OTHER_PAYER_BANK);
  const DELTA = payer('6222000011110004', 'Delta Roads Ltd');
  const SHARED = payer('6222000011110005', 'Echo-Foxtrot joint account');
  const STRANGER = payer('6222000099990009', 'Unrelated Trading Co');

  // The test clock starts at t0, two seconds before a midnight in China Standard Time (the last one before
  // the wall time), a whole second as instants on the wire are. Deadline and opening a few seconds later,
  // just after midnight: credits are accepted before, then the test moves the clock past them.
  const t0 = Date.parse(`${cstDate(Date.now())}T00:00:00+08:00`) - 2_000;
  const DEADLINE = cstInstant(t0 + 3_000);
  const OPENING = cstInstant(t0 + 4_000);
  const ON_TIME = cstInstant(t0);
  /** Midnight: the first instant of the day after D, before the deadline. */
  const NEXT_DAY = cstInstant(t0 + 2_000);
  const LATE = cstInstant(t0 + 4_000); // a second after the deadline
  /** Value date of the credits (the day they arrive); one top-up, received after midnight, is valued the next day. */
  const D = cstDate(t0);
  /** Credits received on time, valued on D, of the bond amount unless said otherwise. */
  const onTime = creditsReceivedAt(ON_TIME, D);
  const CONTRACT_SIGNED_ON = plusDays(D, 2);
  const REFUNDS_DUE_BY = plusDays(D, 7);
  const FIRST_REFUND_ON = plusDays(D, 27);
  const SECOND_REFUND_ON = plusDays(D, 30);

  let ledger: LedgerHarness;
  let lotVa: string;
  let alphaVa: string;
  const bond = {
    alpha: bondIdFor(LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
    bravo: bondIdFor(LOT, 'BRAVO', BRAVO.bankCode, BRAVO.accountNo),
    charlie: bondIdFor(LOT, 'CHARLIE', CHARLIE.bankCode, CHARLIE.accountNo),
    delta: bondIdFor(LOT, 'DELTA', DELTA.bankCode, DELTA.accountNo),
  };
  let refunds: Record<'alpha' | 'bravo' | 'charlie', Record<string, unknown>>;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('lifecycle', { now: t0 });
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('registers the tender center and opens its master account', async () => {
    const center = await ledger.post('/v1/tender-centers', { centerId: CENTER, name: '深圳市公共资源交易中心' }).expect(201);
    expect(center.body).toEqual({ centerId: CENTER, name: '深圳市公共资源交易中心' });
    expect(await ledger.streamTypes(`tender-center-${CENTER}`)).toEqual(['TenderCenterRegistered']);

    const master = await ledger
      .post(`/v1/tender-centers/${CENTER}/master-accounts`, { bankCode: BANK, accountNo: MASTER, accountName: '保证金专户' })
      .expect(201);
    expect(master.body).toEqual({ centerId: CENTER, bankCode: BANK, accountNo: MASTER, accountName: '保证金专户', virtualAccountPrefix: PREFIX });
    expect(await ledger.streamTypes(`master-account-${BANK}-${MASTER}`)).toEqual(['MasterAccountOpened']);
  });

  it('registers the lot (ENFORCE) and answers its terms', async () => {
    const terms = lotTerms({ lotId: LOT, centerId: CENTER, depositDeadline: DEADLINE, bidOpeningTime: OPENING });
    const response = await ledger.post('/v1/lots', terms).expect(201);
    expect(response.body).toEqual(terms);
    const [registered] = await ledger.streamEvents(LOT_STREAM);
    expect(registered).toMatchObject({ type: 'LotRegistered', revision: 0n, data: terms });
    expect(registered?.data).not.toHaveProperty('postings');
  });

  it('issues a lot-level and a per-bidder virtual account with valid check digits', async () => {
    const lotLevel = await ledger.post(`/v1/lots/${LOT}/virtual-accounts`, { masterAccountNo: MASTER }).expect(201);
    lotVa = lotLevel.body.virtualAccountNo;
    expect(lotLevel.body).toEqual({ virtualAccountNo: expect.stringMatching(/^955880\d{13}$/), lotId: LOT, masterAccountNo: MASTER });

    const perBidder = await ledger.post(`/v1/lots/${LOT}/virtual-accounts`, { masterAccountNo: MASTER, bidderId: 'ALPHA' }).expect(201);
    alphaVa = perBidder.body.virtualAccountNo;
    expect(perBidder.body).toEqual({ virtualAccountNo: expect.stringMatching(/^955880\d{13}$/), lotId: LOT, masterAccountNo: MASTER, bidderId: 'ALPHA' });

    expect(alphaVa).not.toBe(lotVa);
    for (const number of [lotVa, alphaVa]) expect(classifyVirtualAccountNo(number, [PREFIX]).kind).toBe('VIRTUAL');
    const issued = await ledger.streamEvents(`virtual-accounts-${PREFIX}`);
    expect(issued.map((event) => event.data)).toEqual([
      { virtualAccountNo: lotVa, sequence: '1', lotId: LOT, centerId: CENTER, masterAccountNo: MASTER, bankCode: BANK },
      { virtualAccountNo: alphaVa, sequence: '2', lotId: LOT, centerId: CENTER, masterAccountNo: MASTER, bankCode: BANK, bidderId: 'ALPHA' },
    ]);
  });

  it('records the bidders’ basic accounts, one of them declared by two bidders', async () => {
    const first = await ledger
      .post('/v1/bidders/ALPHA/basic-account', { accountNo: ALPHA.accountNo, accountName: ALPHA.name, bankCode: ALPHA.bankCode })
      .expect(201);
    expect(first.body).toEqual({ bidderId: 'ALPHA', accountNo: ALPHA.accountNo, accountName: ALPHA.name, bankCode: ALPHA.bankCode });
    await ledger.declareBasicAccount('BRAVO', BRAVO);
    await ledger.declareBasicAccount('CHARLIE', CHARLIE);
    await ledger.declareBasicAccount('DELTA', DELTA);
    await ledger.declareBasicAccount('ECHO', SHARED);
    await ledger.declareBasicAccount('FOXTROT', SHARED);
    expect((await ledger.streamEvents(`basic-account-${SHARED.accountNo}`)).map((event) => event.data.bidderId)).toEqual(['ECHO', 'FOXTROT']);
  });

  it('classifies a credit from the declared basic account to the per-bidder account', async () => {
    const credit = inboundCredit({
      bankRef: 'HVPS2026LC0001',
      receivedAt: ON_TIME,
      valueDate: D,
      amount: '50000.00',
      payer: ALPHA,
      payeeAccountNo: alphaVa,
      remittanceInfo: 'bid bond SZ-2026-RR3-L1',
    });
    const response = await ledger.postCredit(credit);
    expect(response.body).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0001',
      bankRef: 'HVPS2026LC0001',
      outcome: 'CLASSIFIED',
      lotId: LOT,
      bidderId: 'ALPHA',
      bondId: bond.alpha,
      flags: [],
    });

    const credited = await ledger.lastEvent(LOT_STREAM);
    expect(credited.type).toBe('BondCredited');
    expect(credited.data).toEqual({
      lotId: LOT,
      bondId: bond.alpha,
      creditId: 'C-102100099996-HVPS2026LC0001',
      bankRef: 'HVPS2026LC0001',
      requestHash: HASH,
      source: 'INBOUND',
      bidderId: 'ALPHA',
      payer: ALPHA,
      virtualAccountNo: alphaVa,
      bankCode: BANK,
      amount: '50000.00',
      valueDate: D,
      receivedAt: ON_TIME,
      principalAfter: '50000.00',
      flags: [],
      // The lot's decision on the credit's receipt, the anchor's first event.
      anchorRevision: 0,
      postings: [dr(CLEARING, '50000.00'), cr(`virtual:${alphaVa}`, '50000.00')],
    });
    const anchor = await ledger.streamEvents('inbound-credit-102100099996-HVPS2026LC0001');
    expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditClassified']);
    // The receipt: the request, the receiving bank, and the lot and virtual account the payee number routes to.
    expect(anchor[0]?.data).toEqual({
      ...credit,
      creditId: 'C-102100099996-HVPS2026LC0001',
      requestHash: HASH,
      bankCode: BANK,
      route: { lotId: LOT, virtualAccountNo: alphaVa, bidderId: 'ALPHA' },
    });
    expect(anchor[1]?.data).toEqual({ creditId: 'C-102100099996-HVPS2026LC0001', lotId: LOT, bondId: bond.alpha, bidderId: 'ALPHA', virtualAccountNo: alphaVa, flags: [] });
  });

  it('flags a credit below the bond amount and adds a second credit to the same bond', async () => {
    const first = await ledger.postCredit(onTime('HVPS2026LC0002', BRAVO, lotVa, { amount: '30000.00' }));
    expect(first.body).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0002',
      bankRef: 'HVPS2026LC0002',
      outcome: 'CLASSIFIED',
      lotId: LOT,
      bidderId: 'BRAVO',
      bondId: bond.bravo,
      flags: ['AMOUNT_BELOW_BOND'],
    });

    // Received after midnight, still before the deadline: valued the next day, so this tranche earns one day less.
    await ledger.clock.advanceTo(NEXT_DAY);
    const topUp = await ledger.postCredit(onTime('BEPS2026LC0003', BRAVO, lotVa, { channel: 'BEPS', receivedAt: NEXT_DAY, valueDate: plusDays(D, 1), amount: '20000.00' }));
    expect(topUp.body).toEqual({
      creditId: 'C-102100099996-BEPS2026LC0003',
      bankRef: 'BEPS2026LC0003',
      outcome: 'CLASSIFIED',
      lotId: LOT,
      bidderId: 'BRAVO',
      bondId: bond.bravo,
      flags: [],
    });
    const credited = await ledger.lastEvent(LOT_STREAM);
    expect(credited.data).toMatchObject({
      bondId: bond.bravo,
      amount: '20000.00',
      principalAfter: '50000.00',
      flags: [],
      anchorRevision: 0,
      postings: [dr(CLEARING, '20000.00'), cr(`virtual:${lotVa}`, '20000.00')],
    });
    // A lot-level account: the route names no bidder.
    const [received] = await ledger.streamEvents('inbound-credit-102100099996-BEPS2026LC0003');
    expect(received?.data.route).toEqual({ lotId: LOT, virtualAccountNo: lotVa });
  });

  it('suspends a credit to a number whose check digit fails', async () => {
    const response = await ledger.postCredit(onTime('HVPS2026LC0004', CHARLIE, withWrongCheckDigit(lotVa), { amount: '60000.00' }));
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0004', bankRef: 'HVPS2026LC0004', outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT', flags: [] });
    const anchor = await ledger.streamEvents('inbound-credit-102100099996-HVPS2026LC0004');
    expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditSuspended']);
    // Addressed to no account of the bank: no route, and nothing in any lot.
    expect(anchor[0]?.data).not.toHaveProperty('route');
    expect(anchor[0]?.data.bankCode).toBe(BANK);
    expect(anchor[1]?.data).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0004',
      reason: 'BAD_CHECK_DIGIT',
      bankCode: BANK,
      amount: '60000.00',
      postings: [dr(CLEARING, '60000.00'), cr(SUSPENSE, '60000.00')],
    });
  });

  it('suspends a credit to a well-formed virtual number that was never issued', async () => {
    expect(classifyVirtualAccountNo(UNISSUED_VIRTUAL_ACCOUNT, [PREFIX]).kind).toBe('VIRTUAL');
    const response = await ledger.postCredit(onTime('HVPS2026LC0005', STRANGER, UNISSUED_VIRTUAL_ACCOUNT, { amount: '12345.67' }));
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0005', bankRef: 'HVPS2026LC0005', outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', flags: [] });
    expect((await ledger.lastEvent('inbound-credit-102100099996-HVPS2026LC0005')).data).toMatchObject({
      reason: 'UNKNOWN_VIRTUAL_ACCOUNT',
      postings: [dr(CLEARING, '12345.67'), cr(SUSPENSE, '12345.67')],
    });
  });

  it('suspends a credit to the lot-level account from an account two bidders declared', async () => {
    const lotRevisionBefore = (await ledger.streamEvents(LOT_STREAM)).length;
    const response = await ledger.postCredit(onTime('HVPS2026LC0006', SHARED, lotVa));
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0006', bankRef: 'HVPS2026LC0006', outcome: 'SUSPENDED', reason: 'AMBIGUOUS_PAYER', flags: [] });
    // The lot records its refusal (no money moves); the money is in suspense.
    expect((await ledger.streamEvents(LOT_STREAM)).slice(lotRevisionBefore).map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'CreditRefused',
        data: { lotId: LOT, creditId: 'C-102100099996-HVPS2026LC0006', bankRef: 'HVPS2026LC0006', source: 'INBOUND', anchorRevision: 0, reason: 'AMBIGUOUS_PAYER', amount: '50000.00' },
      },
    ]);
    const anchor = await ledger.streamEvents('inbound-credit-102100099996-HVPS2026LC0006');
    expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditSuspended']);
    expect(anchor[0]?.data.route).toEqual({ lotId: LOT, virtualAccountNo: lotVa });
    expect(anchor[1]?.data).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0006',
      reason: 'AMBIGUOUS_PAYER',
      bankCode: BANK,
      amount: '50000.00',
      postings: [dr(CLEARING, '50000.00'), cr(SUSPENSE, '50000.00')],
    });
  });

  it.each([
    ['after the deadline', 'HVPS2026LC0007', { receivedAt: LATE, payer: DELTA }, 'AFTER_DEADLINE', true],
    ['from an account nobody declared (ENFORCE)', 'HVPS2026LC0008', { payer: STRANGER }, 'NOT_BASIC_ACCOUNT', true],
    ['to a per-bidder account from another bidder’s basic account', 'HVPS2026LC0009', { payer: BRAVO, perBidder: true }, 'NOT_BASIC_ACCOUNT', true],
    ['in another currency', 'HVPS2026LC0010', { payer: DELTA, currency: 'USD' }, 'CURRENCY_NOT_SUPPORTED', false],
  ] as const)('returns a credit %s', async (_case, bankRef, variant, reason, namesLot) => {
    const { perBidder, ...fields } = { perBidder: false, ...variant };
    const credit = onTime(bankRef, fields.payer, perBidder ? alphaVa : lotVa, fields);
    const lotRevisionBefore = (await ledger.streamEvents(LOT_STREAM)).length;
    const response = await ledger.postCredit(credit);
    expect(response.body).toEqual({ creditId: `C-${BANK}-${bankRef}`, bankRef, outcome: 'RETURNED', reason, ...(namesLot ? { lotId: LOT } : {}), flags: [] });

    const anchor = await ledger.streamEvents(`inbound-credit-${BANK}-${bankRef}`);
    expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditReturned']);
    // Returned at the door: no postings anywhere; a lot the credit was addressed to records its refusal, no other lot anything.
    expect(anchor[1]?.data).toEqual({ creditId: `C-${BANK}-${bankRef}`, reason, ...(namesLot ? { lotId: LOT } : {}), returnTo: credit.payer, amount: '50000.00' });
    const lotEvents = await ledger.streamEvents(LOT_STREAM);
    expect(lotEvents.slice(lotRevisionBefore).map(({ type, data }) => ({ type, data }))).toEqual(
      namesLot
        ? [{ type: 'CreditRefused', data: { lotId: LOT, creditId: `C-${BANK}-${bankRef}`, bankRef, source: 'INBOUND', anchorRevision: 0, reason, amount: '50000.00' } }]
        : [],
    );
    if (!namesLot) expect(anchor[0]?.data).not.toHaveProperty('route');
  });

  it('classifies DELTA’s credit (reversed later)', async () => {
    const response = await ledger.postCredit(onTime('HVPS2026LC0011', DELTA, lotVa));
    expect(response.body).toMatchObject({ outcome: 'CLASSIFIED', bidderId: 'DELTA', bondId: bond.delta, flags: [] });
  });


  it('balances after the credits: sub-accounts and suspense hold what came in through clearing', async () => {
    expect(Object.fromEntries(await ledger.balances())).toEqual({
      // in: ALPHA 50000 + BRAVO 30000 + 20000 + suspended 60000 + 12345.67 + 50000 + DELTA 50000
      [CLEARING]: '272345.67',
      [`virtual:${alphaVa}`]: '-50000.00',
      [`virtual:${lotVa}`]: '-100000.00', // BRAVO 50000 + DELTA 50000
      [SUSPENSE]: '-122345.67', // 60000 + 12345.67 + 50000
    });
  });

  it('matches the BAD_CHECK_DIGIT credit from suspense to the lot-level account, once', async () => {
    const response = await ledger.post('/v1/suspense/C-102100099996-HVPS2026LC0004/resolution', { action: 'MATCH', virtualAccountNo: lotVa }).expect(201);
    expect(response.body).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0004',
      action: 'MATCH',
      status: 'MATCHED',
      lotId: LOT,
      bondId: bond.charlie,
      bidderId: 'CHARLIE',
      virtualAccountNo: lotVa,
      flags: ['AMOUNT_ABOVE_BOND'],
    });
    const credited = await ledger.lastEvent(LOT_STREAM);
    expect(credited).toMatchObject({
      type: 'BondCredited',
      data: {
        bondId: bond.charlie,
        creditId: 'C-102100099996-HVPS2026LC0004',
        source: 'SUSPENSE',
        // The lot's decision on the match's request: the anchor's third event.
        anchorRevision: 2,
        bidderId: 'CHARLIE',
        payer: CHARLIE,
        amount: '60000.00',
        principalAfter: '60000.00',
        receivedAt: ON_TIME,
        flags: ['AMOUNT_ABOVE_BOND'],
        postings: [dr(SUSPENSE, '60000.00'), cr(`virtual:${lotVa}`, '60000.00')],
      },
    });
    const anchor = await ledger.streamEvents('inbound-credit-102100099996-HVPS2026LC0004');
    expect(anchor.map((event) => event.type)).toEqual(['InboundCreditReceived', 'CreditSuspended', 'SuspenseMatchRequested', 'SuspenseMatched']);
    expect(anchor[2]?.data).toEqual({ creditId: 'C-102100099996-HVPS2026LC0004', lotId: LOT, virtualAccountNo: lotVa });
    expect(anchor[3]?.data).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0004',
      lotId: LOT,
      bondId: bond.charlie,
      bidderId: 'CHARLIE',
      virtualAccountNo: lotVa,
      flags: ['AMOUNT_ABOVE_BOND'],
    });

    const count = await ledger.eventCount();
    const again = await ledger.post('/v1/suspense/C-102100099996-HVPS2026LC0004/resolution', { action: 'RETURN' }).expect(409);
    expect(again.body).toEqual({ error: { code: 'NOT_IN_SUSPENSE', message: expect.any(String), field: 'creditId' } });
    expect(await ledger.eventCount()).toBe(count);
  });

  it('returns the UNKNOWN_VIRTUAL_ACCOUNT credit from suspense to its payer', async () => {
    const response = await ledger.post('/v1/suspense/C-102100099996-HVPS2026LC0005/resolution', { action: 'RETURN' }).expect(201);
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0005', action: 'RETURN', status: 'RETURNED' });
    expect(await ledger.lastEvent('inbound-credit-102100099996-HVPS2026LC0005')).toMatchObject({
      type: 'SuspenseReturned',
      data: { creditId: 'C-102100099996-HVPS2026LC0005', bankCode: BANK, returnTo: STRANGER, amount: '12345.67', postings: [dr(SUSPENSE, '12345.67'), cr(CLEARING, '12345.67')] },
    });
  });

  it('reverses a classified credit the bank reports as not settled, through the lot, once', async () => {
    const report = { status: 'REVERSED', bankRef: 'HVPS2026LC0011', reason: 'HVPS returned the payment: beneficiary bank timeout' };
    const response = await ledger.post('/v1/inbound-credits/C-102100099996-HVPS2026LC0011/status', report).expect(201);
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0011', bankRef: 'HVPS2026LC0011', status: 'REVERSED' });

    expect(await ledger.lastEvent(LOT_STREAM)).toMatchObject({
      type: 'CreditReversed',
      data: {
        lotId: LOT,
        bondId: bond.delta,
        creditId: 'C-102100099996-HVPS2026LC0011',
        amount: '50000.00',
        principalAfter: '0.00',
        postings: [dr(`virtual:${lotVa}`, '50000.00'), cr(CLEARING, '50000.00')],
      },
    });
    const anchor = await ledger.streamEvents('inbound-credit-102100099996-HVPS2026LC0011');
    expect(anchor.at(-1)).toMatchObject({ type: 'InboundCreditReversed', data: { creditId: 'C-102100099996-HVPS2026LC0011', lotId: LOT } });
    expect(anchor.at(-1)?.data).not.toHaveProperty('postings');

    const count = await ledger.eventCount();
    await ledger.post('/v1/inbound-credits/C-102100099996-HVPS2026LC0011/status', report).expect(200, response.body);
    expect(await ledger.eventCount()).toBe(count);
  });

  it('reverses the AMBIGUOUS_PAYER credit while it is still in suspense', async () => {
    const response = await ledger
      .post('/v1/inbound-credits/C-102100099996-HVPS2026LC0006/status', { status: 'REVERSED', bankRef: 'HVPS2026LC0006', reason: 'recalled by the payer bank' })
      .expect(201);
    expect(response.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0006', bankRef: 'HVPS2026LC0006', status: 'REVERSED' });
    const reversed = await ledger.lastEvent('inbound-credit-102100099996-HVPS2026LC0006');
    expect(reversed.type).toBe('InboundCreditReversed');
    expect(reversed.data).toEqual({
      creditId: 'C-102100099996-HVPS2026LC0006',
      bankRef: 'HVPS2026LC0006',
      reason: 'recalled by the payer bank',
      postings: [dr(SUSPENSE, '50000.00'), cr(CLEARING, '50000.00')],
    });
    expect((await ledger.balances()).get(SUSPENSE)).toBe('0.00');
  });

  it('records the deadline and the opening as the clock passes them, not before, then awards the lot', async () => {
    const recordedByClock = async () =>
      (await ledger.streamEvents(LOT_STREAM))
        .filter((event) => event.metadata.actor === 'system:lot-clock')
        .map(({ type, data }) => ({ type, data }));
    const closed = { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: DEADLINE } };
    const opened = { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: OPENING } };

    await ledger.clock.advanceTo(Date.parse(DEADLINE) - 1);
    expect(await recordedByClock()).toEqual([]);
    await ledger.clock.advanceTo(DEADLINE);
    expect(await recordedByClock()).toEqual([closed]);
    await ledger.clock.advanceTo(Date.parse(OPENING) - 1);
    expect(await recordedByClock()).toEqual([closed]);
    await ledger.clock.advanceTo(OPENING);
    expect(await recordedByClock()).toEqual([closed, opened]);

    // The contract is signed two days after D: the center reports it that day, not before (DATE_IN_FUTURE).
    await ledger.clock.advanceTo(`${CONTRACT_SIGNED_ON}T10:00:00+08:00`);
    expect(await recordedByClock()).toEqual([closed, opened]);
    const award = await ledger.post(`/v1/lots/${LOT}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: CONTRACT_SIGNED_ON }).expect(201);
    expect(award.body).toEqual({ lotId: LOT, winnerBidderId: 'ALPHA', contractSignedOn: CONTRACT_SIGNED_ON, refundsDueBy: REFUNDS_DUE_BY });
    expect(await ledger.lastEvent(LOT_STREAM)).toMatchObject({ type: 'LotAwarded', data: award.body });
  });

  it('refunds every bond with principal, principal plus interest to the payer account, marked late', async () => {
    // The run is made on its refundOn (never before it: DATE_IN_FUTURE). The refunds were due by REFUNDS_DUE_BY:
    // as the clock passes that day, it records each owed one overdue (Art. 57); DELTA's empty bond owes nothing.
    const lotRevisionBefore = (await ledger.streamEvents(LOT_STREAM)).length;
    await ledger.clock.advanceTo(`${FIRST_REFUND_ON}T10:00:00+08:00`);
    expect((await ledger.streamEvents(LOT_STREAM)).slice(lotRevisionBefore).map(({ type, data }) => ({ type, data }))).toEqual(
      (['alpha', 'bravo', 'charlie'] as const).map((name) => ({
        type: 'RefundOverdue',
        data: expect.objectContaining({ lotId: LOT, bondId: bond[name], bidderId: name.toUpperCase(), refundDueBy: REFUNDS_DUE_BY, instructionPending: false }),
      })),
    );
    const response = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: FIRST_REFUND_ON }).expect(201);
    // Interest, ACT/360 at 0.35 %, from the value date inclusive to refundOn exclusive, rounded half up once:
    //  ALPHA   50000.00 × 0.0035 × 27 / 360 = 4725 / 360 = 13.125            → 13.13 (half-even would give 13.12)
    //  BRAVO  (30000.00 × 0.0035 × 27 + 20000.00 × 0.0035 × 26) / 360
    //        = (2835 + 1820) / 360 = 4655 / 360 = 12.93055…                → 12.93 (rounding per tranche: 7.88 + 5.06 = 12.94)
    //  CHARLIE 60000.00 × 0.0035 × 27 / 360 = 5670 / 360 = 15.75             → 15.75
    //  DELTA   principal 0.00 after the reversal: no refund.
    const common = { lotId: LOT, refundOn: FIRST_REFUND_ON, dueBy: REFUNDS_DUE_BY, late: true, attempt: 1, dayCount: 'ACT/360', rates: PBOC_RATES };
    expect(response.body).toEqual({
      notRefunded: [],
      refunds: [
        {
          ...common,
          refundId: refundIdFor(LOT, bond.alpha, 1),
          bondId: bond.alpha,
          bidderId: 'ALPHA',
          payTo: ALPHA,
          principal: '50000.00',
          interest: '13.13',
          total: '50013.13',
          postings: [dr(`virtual:${alphaVa}`, '50000.00'), dr(INTEREST_EXPENSE, '13.13'), cr(CLEARING, '50013.13')],
        },
        {
          ...common,
          refundId: refundIdFor(LOT, bond.bravo, 1),
          bondId: bond.bravo,
          bidderId: 'BRAVO',
          payTo: BRAVO,
          principal: '50000.00',
          interest: '12.93',
          total: '50012.93',
          postings: [dr(`virtual:${lotVa}`, '50000.00'), dr(INTEREST_EXPENSE, '12.93'), cr(CLEARING, '50012.93')],
        },
        {
          ...common,
          refundId: refundIdFor(LOT, bond.charlie, 1),
          bondId: bond.charlie,
          bidderId: 'CHARLIE',
          payTo: CHARLIE,
          principal: '60000.00',
          interest: '15.75',
          total: '60015.75',
          postings: [dr(`virtual:${lotVa}`, '60000.00'), dr(INTEREST_EXPENSE, '15.75'), cr(CLEARING, '60015.75')],
        },
      ],
    });
    const [alpha, bravo, charlie] = response.body.refunds;
    refunds = { alpha, bravo, charlie };
    const instructed = (await ledger.streamEvents(LOT_STREAM)).filter((event) => event.type === 'RefundInstructed');
    expect(instructed.map((event) => event.data)).toEqual(response.body.refunds);
    expect(new Set(instructed.map((event) => event.revision)).size).toBe(3);
  });

  it('returns a credit once refunds have started, and refuses to reverse a credit already paid out', async () => {
    const late = await ledger.postCredit(onTime('HVPS2026LC0012', DELTA, lotVa));
    expect(late.body).toEqual({ creditId: 'C-102100099996-HVPS2026LC0012', bankRef: 'HVPS2026LC0012', outcome: 'RETURNED', reason: 'LOT_CLOSED', lotId: LOT, flags: [] });
    expect(await ledger.lastEvent(LOT_STREAM)).toMatchObject({ type: 'CreditRefused', data: { creditId: 'C-102100099996-HVPS2026LC0012', reason: 'LOT_CLOSED', amount: '50000.00' } });
    expect((await ledger.lastEvent(LOT_STREAM)).data).not.toHaveProperty('postings');

    const count = await ledger.eventCount();
    const reversal = await ledger
      .post('/v1/inbound-credits/C-102100099996-HVPS2026LC0001/status', { status: 'REVERSED', bankRef: 'HVPS2026LC0001', reason: 'too late' })
      .expect(422);
    expect(reversal.body).toEqual({ error: { code: 'CREDIT_ALREADY_PAID_OUT', message: expect.any(String), field: 'creditId' } });
    expect(await ledger.eventCount()).toBe(count);
  });

  it('settles ALPHA’s and CHARLIE’s refunds; a repeat answers 200, a contradiction 409', async () => {
    const settled = await ledger
      .post(`/v1/refunds/${refunds.alpha.refundId}/settlement`, { status: 'SETTLED', bankRef: 'HVPSOUT2026LC0001' })
      .expect(201);
    expect(settled.body).toEqual({ refundId: refunds.alpha.refundId, bondId: bond.alpha, status: 'SETTLED', bankRef: 'HVPSOUT2026LC0001', bondStatus: 'REFUNDED' });
    const event = await ledger.lastEvent(LOT_STREAM);
    expect(event.type).toBe('RefundSettled');
    expect(event.data).toEqual({ lotId: LOT, refundId: refunds.alpha.refundId, bondId: bond.alpha, bankRef: 'HVPSOUT2026LC0001' });

    const count = await ledger.eventCount();
    await ledger.post(`/v1/refunds/${refunds.alpha.refundId}/settlement`, { status: 'SETTLED', bankRef: 'HVPSOUT2026LC0001' }).expect(200, settled.body);
    const contradiction = await ledger
      .post(`/v1/refunds/${refunds.alpha.refundId}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026LC0001', reason: 'oops' })
      .expect(409);
    expect(contradiction.body.error).toMatchObject({ code: 'REFUND_ALREADY_SETTLED', field: 'status' });
    expect(await ledger.eventCount()).toBe(count);

    await ledger.post(`/v1/refunds/${refunds.charlie.refundId}/settlement`, { status: 'SETTLED', bankRef: 'HVPSOUT2026LC0003' }).expect(201);
  });

  it('puts a FAILED refund’s money back in the bond, then refunds it again under a new id', async () => {
    const failed = await ledger
      .post(`/v1/refunds/${refunds.bravo.refundId}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026LC0002', reason: 'payee account closed' })
      .expect(201);
    expect(failed.body).toEqual({ refundId: refunds.bravo.refundId, bondId: bond.bravo, status: 'FAILED', bankRef: 'HVPSOUT2026LC0002', bondStatus: 'REFUND_DUE' });
    const event = await ledger.lastEvent(LOT_STREAM);
    expect(event.type).toBe('RefundFailed');
    expect(event.data).toEqual({
      lotId: LOT,
      refundId: refunds.bravo.refundId,
      bondId: bond.bravo,
      bankRef: 'HVPSOUT2026LC0002',
      reason: 'payee account closed',
      // Reported on the day the clock stands at: the bond is refundable again from then on.
      failedOn: FIRST_REFUND_ON,
      postings: [cr(`virtual:${lotVa}`, '50000.00'), cr(INTEREST_EXPENSE, '12.93'), dr(CLEARING, '50012.93')],
    });
    const afterFailure = await ledger.balances();
    expect(afterFailure.get(`virtual:${lotVa}`)).toBe('-50000.00');
    expect(afterFailure.get(INTEREST_EXPENSE)).toBe('28.88'); // 13.13 + 15.75

    // BRAVO's refund is owed again, but was already recorded overdue for its due date: the clock records nothing new.
    const lotRevisionBefore = (await ledger.streamEvents(LOT_STREAM)).length;
    await ledger.clock.advanceTo(`${SECOND_REFUND_ON}T10:00:00+08:00`);
    expect(await ledger.streamEvents(LOT_STREAM)).toHaveLength(lotRevisionBefore);
    const retry = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: SECOND_REFUND_ON }).expect(201);
    // BRAVO again, to the new refundOn: (30000.00 × 0.0035 × 30 + 20000.00 × 0.0035 × 29) / 360
    //                                  = (3150 + 2030) / 360 = 5180 / 360 = 14.3888… → 14.39
    expect(retry.body).toEqual({
      notRefunded: [],
      refunds: [
        {
          lotId: LOT,
          refundId: refundIdFor(LOT, bond.bravo, 2),
          bondId: bond.bravo,
          bidderId: 'BRAVO',
          payTo: BRAVO,
          principal: '50000.00',
          interest: '14.39',
          total: '50014.39',
          refundOn: SECOND_REFUND_ON,
          dueBy: REFUNDS_DUE_BY,
          late: true,
          attempt: 2,
          dayCount: 'ACT/360',
          rates: PBOC_RATES,
          postings: [dr(`virtual:${lotVa}`, '50000.00'), dr(INTEREST_EXPENSE, '14.39'), cr(CLEARING, '50014.39')],
        },
      ],
    });
    expect(retry.body.refunds[0].refundId).not.toBe(refunds.bravo.refundId);

    const settled = await ledger
      .post(`/v1/refunds/${retry.body.refunds[0].refundId}/settlement`, { status: 'SETTLED', bankRef: 'HVPSOUT2026LC0004' })
      .expect(201);
    expect(settled.body).toMatchObject({ status: 'SETTLED', bondStatus: 'REFUNDED' });

    const count = await ledger.eventCount();
    const nothing = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: SECOND_REFUND_ON }).expect(422);
    expect(nothing.body.error.code).toBe('NOTHING_TO_REFUND');
    expect(await ledger.eventCount()).toBe(count);
  });

  it('ends with every sub-account and suspense at zero, and the bank out exactly the interest it paid', async () => {
    const balances = await ledger.balances();
    // Interest paid: ALPHA 13.13 + CHARLIE 15.75 + BRAVO (second attempt) 14.39 = 43.27.
    expect(Object.fromEntries(balances)).toEqual({
      [CLEARING]: '-43.27',
      [`virtual:${alphaVa}`]: '0.00',
      [`virtual:${lotVa}`]: '0.00',
      [SUSPENSE]: '0.00',
      [INTEREST_EXPENSE]: '43.27',
    });
    for (const [account, balance] of balances) {
      if (account.startsWith('virtual:') || account.startsWith('suspense:')) expect(balance).toBe('0.00');
    }
    expect(sumOfBalances(balances)).toBe('0.00');

    const events = await ledger.allEvents();
    const checked = expectEveryPostingSetBalanced(events);
    const moneyEvents = events.filter((event) => Array.isArray(event.data.postings) && (event.data.postings as unknown[]).length > 0);
    expect(checked).toBeGreaterThanOrEqual(moneyEvents.length);
    expect(moneyEvents.map((event) => event.type).sort()).toEqual(
      [
        ...Array(5).fill('BondCredited'), // ALPHA, BRAVO ×2, DELTA, CHARLIE (SUSPENSE)
        ...Array(3).fill('CreditSuspended'),
        'SuspenseReturned',
        'CreditReversed',
        'InboundCreditReversed', // the one from suspense; the classified one has no postings of its own
        ...Array(4).fill('RefundInstructed'),
        'RefundFailed',
      ].sort(),
    );
  });
});
