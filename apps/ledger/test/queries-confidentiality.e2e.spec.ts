import { bondIdFor, refundIdFor } from '@app/domain';
import { ConfigError, loadLedgerConfig } from '../src/platform/config/ledger-config';
import { LedgerHarness } from './support/ledger-harness';
import { creditsReceivedAt, cstDate, cstInstant, lotTerms, payer, plusDays, withWrongCheckDigit } from './support/ledger-fixtures';

/**
 * The query routes and their confidentiality (docs/api-contract.md "Queries", docs/specification.md §1 保密): a center
 * learns nothing of who paid, how many or how much before bid opening, and only of its own lots; a
 * bidder sees its own bond; an operator's or auditor's look at sealed data is recorded as an event.
 */
describe('queries and confidentiality (e2e)', () => {
  const CENTER = 'QC-1';
  const RIVAL = 'QC-2';
  const SEALED_LOT = 'QL-SEALED';
  const OPENING_LOT = 'QL-OPENING';
  const MASTER = '6217000000000101';
  const RIVAL_MASTER = '6217000000000202';
  const ALPHA = payer('6222000033330001', 'Alpha Secret Builders');
  const BRAVO = payer('6222000033330002', 'Bravo Hidden Works');

  const t0 = Date.now();
  const TODAY = cstDate(t0);
  /** Credits valued 30 days ago: interest to today is 50,000.00 × 0.35% × 30 / 360 = 14.583… → 14.58. */
  const VALUE_DATE = plusDays(TODAY, -30);
  const OPENING = cstInstant(t0 + 6_000);

  let ledger: LedgerHarness;
  let sealedVa: string;
  let alphaSealedVa: string;
  let openingVa: string;
  const bonds = {
    alphaSealed: bondIdFor(SEALED_LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
    bravoSealed: bondIdFor(SEALED_LOT, undefined, BRAVO.bankCode, BRAVO.accountNo),
    alphaOpening: bondIdFor(OPENING_LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
    bravoOpening: bondIdFor(OPENING_LOT, undefined, BRAVO.bankCode, BRAVO.accountNo),
  };
  const views = async (lotId: string) => (await ledger.streamEvents(`sealed-data-views-${lotId}`)).map((event) => event.data);

  beforeAll(async () => {
    ledger = await LedgerHarness.start('queries', { now: t0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.registerCenterWithMasterAccount(RIVAL, RIVAL_MASTER);
    sealedVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: SEALED_LOT, centerId: CENTER, basicAccountPolicy: 'OFF' }), MASTER);
    alphaSealedVa = await ledger.issueVirtualAccount(SEALED_LOT, MASTER, 'ALPHA');
    const openingTerms = lotTerms({ lotId: OPENING_LOT, centerId: CENTER, basicAccountPolicy: 'OFF', depositDeadline: cstInstant(t0 + 5_000), bidOpeningTime: OPENING });
    openingVa = await ledger.registerLotWithVirtualAccount(openingTerms, MASTER);
    await ledger.declareBasicAccount('ALPHA', ALPHA);
    // Received on their value date (a value date may lie at most 10 days before receipt: docs/rules.md).
    const onTime = creditsReceivedAt(`${VALUE_DATE}T10:00:00+08:00`, VALUE_DATE);
    const credit = (bankRef: string, from: typeof ALPHA, to: string) => ledger.postCredit(onTime(bankRef, from, to));
    await credit('QHVPS0001', ALPHA, alphaSealedVa);
    await credit('QHVPS0002', BRAVO, sealedVa);
    await credit('QHVPS0003', ALPHA, openingVa);
    await credit('QHVPS0004', BRAVO, openingVa);
    await credit('QHVPS0005', BRAVO, withWrongCheckDigit(openingVa));
  });

  afterAll(async () => {
    await ledger.close();
  });

  describe('before bid opening', () => {
    it('shows the center its lot sealed: terms, status and virtual accounts, nothing of who paid, how many or how much', async () => {
      const response = await ledger.get(`/v1/lots/${SEALED_LOT}`, 'center', CENTER).expect(200);
      expect(response.body).toMatchObject({ lotId: SEALED_LOT, centerId: CENTER, status: 'OPEN', sealed: true, bondAmount: '50000.00' });
      expect(response.body).not.toHaveProperty('bondCount');
      expect(response.body).not.toHaveProperty('totalPrincipal');
      expect(response.body.virtualAccounts).toEqual([
        { virtualAccountNo: sealedVa, masterAccountNo: MASTER, bankCode: expect.any(String) },
        { virtualAccountNo: alphaSealedVa, masterAccountNo: MASTER, bankCode: expect.any(String) },
      ]);
      const text = JSON.stringify(response.body);
      for (const secret of ['ALPHA', ALPHA.accountNo, BRAVO.name, '100000.00']) expect(text).not.toContain(secret);
    });

    it.each([
      ['bonds of the lot', () => `/v1/lots/${SEALED_LOT}/bonds`],
      ['a bond that exists', () => `/v1/bonds/${bonds.alphaSealed}`],
      ['a bond that does not exist (existence is sealed too)', () => `/v1/bonds/${bondIdFor(SEALED_LOT, 'NOBODY', '1', '2')}`],
      ['a virtual account balance', () => `/v1/virtual-accounts/${sealedVa}/balance`],
      ['refunds of the lot', () => `/v1/refunds?lotId=${SEALED_LOT}`],
    ])('refuses the center %s with 403 SEALED_UNTIL_BID_OPENING, recording nothing', async (_what, path) => {
      const before = await ledger.eventCount();
      const response = await ledger.get(path(), 'center', CENTER).expect(403);
      expect(response.body.error).toMatchObject({ code: 'SEALED_UNTIL_BID_OPENING' });
      expect(await ledger.eventCount()).toBe(before);
    });

    it('gives the center no part of its master account that sealed lots hold: with both its lots sealed, 0.00 of the opened lots', async () => {
      // Issue #15 item 4: with one sealed lot on the account its total would be the lot's total.
      const response = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', CENTER).expect(200);
      expect(response.body).toEqual({
        accountNo: MASTER,
        bankCode: expect.any(String),
        centerId: CENTER,
        accountName: expect.any(String),
        balance: '0.00',
        balanceScope: 'OPENED_LOTS',
        virtualAccounts: [],
      });
      expect(JSON.stringify(response.body)).not.toContain('200000.00');
    });

    it('shows a bidder its own bond, with interest accrued to today, and another bidder’s bond exactly as no bond', async () => {
      const own = await ledger.get(`/v1/bonds/${bonds.alphaSealed}`, 'bidder', 'ALPHA').expect(200);
      expect(own.body).toMatchObject({ bondId: bonds.alphaSealed, bidderId: 'ALPHA', principal: '50000.00', status: 'HELD', asOf: TODAY, accruedInterest: '14.58', interestTo: TODAY });

      const rivals = await ledger.get(`/v1/bonds/${bonds.alphaSealed}`, 'bidder', 'BRAVO').expect(404);
      const missing = await ledger.get(`/v1/bonds/${bondIdFor(SEALED_LOT, 'BRAVO', '1', '2')}`, 'bidder', 'BRAVO').expect(404);
      expect(rivals.body.error.code).toBe('BOND_NOT_FOUND');
      expect(missing.body.error.code).toBe(rivals.body.error.code);
      // A bond bound to no bidder (paid from an undeclared account) is nobody's to read.
      await ledger.get(`/v1/bonds/${bonds.bravoSealed}`, 'bidder', 'BRAVO').expect(404);
    });

    it('lets an operator look, and records the look before answering', async () => {
      expect(await views(SEALED_LOT)).toEqual([]);
      const response = await ledger.get(`/v1/lots/${SEALED_LOT}/bonds`, 'operator', 'ops-li').expect(200);
      expect(response.body.bonds.map((bond: { bondId: string }) => bond.bondId).sort()).toEqual([bonds.alphaSealed, bonds.bravoSealed].sort());
      expect(await views(SEALED_LOT)).toEqual([
        { lotId: SEALED_LOT, viewer: { role: 'operator', subject: 'ops-li' }, request: `GET /v1/lots/${SEALED_LOT}/bonds`, viewedAt: expect.any(String) },
      ]);
      const [recorded] = await ledger.streamEvents(`sealed-data-views-${SEALED_LOT}`);
      expect(recorded?.type).toBe('SealedDataViewed');
      expect(recorded?.metadata.actor).toBe('operator:ops-li');
    });

    it('records an auditor’s look at a sealed balance, and each look of the master account breakdown', async () => {
      const balance = await ledger.get(`/v1/virtual-accounts/${alphaSealedVa}/balance`, 'auditor', 'kpmg-1').expect(200);
      expect(balance.body).toEqual({ virtualAccountNo: alphaSealedVa, lotId: SEALED_LOT, masterAccountNo: MASTER, bankCode: expect.any(String), bidderId: 'ALPHA', balance: '50000.00' });
      const master = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'operator', 'ops-li').expect(200);
      // The bank reconciles the whole account, its look recorded.
      expect(master.body).toMatchObject({ balance: '200000.00', balanceScope: 'WHOLE_ACCOUNT' });
      expect(master.body.virtualAccounts).toHaveLength(3);
      expect((await views(SEALED_LOT)).map((view) => view.request)).toEqual([
        `GET /v1/lots/${SEALED_LOT}/bonds`,
        `GET /v1/virtual-accounts/${alphaSealedVa}/balance`,
        `GET /v1/master-accounts/${MASTER}/balance`,
      ]);
    });

    it('keeps a center out of another center’s lots and accounts (403 FORBIDDEN_TENANT)', async () => {
      for (const path of [`/v1/lots/${SEALED_LOT}`, `/v1/lots/${SEALED_LOT}/bonds`, `/v1/master-accounts/${MASTER}/balance`, `/v1/refunds?lotId=${SEALED_LOT}`]) {
        const response = await ledger.get(path, 'center', RIVAL).expect(403);
        expect(response.body.error.code).toBe('FORBIDDEN_TENANT');
      }
    });
  });

  describe('after bid opening', () => {
    beforeAll(async () => {
      await ledger.clock.advanceTo(OPENING);
    });

    it('shows the center its opened lot in full', async () => {
      const response = await ledger.get(`/v1/lots/${OPENING_LOT}`, 'center', CENTER).expect(200);
      expect(response.body).toMatchObject({ lotId: OPENING_LOT, status: 'BIDS_OPENED', sealed: false, bondCount: 2, totalPrincipal: '100000.00' });
    });

    it('gives the center its master account as its opened lot holds it, the sealed lot’s money left out; the bank the whole', async () => {
      const center = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', CENTER).expect(200);
      expect(center.body).toMatchObject({ balance: '100000.00', balanceScope: 'OPENED_LOTS', virtualAccounts: [{ virtualAccountNo: openingVa, lotId: OPENING_LOT, balance: '100000.00' }] });
      const bank = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'operator', 'ops-li').expect(200);
      expect(bank.body).toMatchObject({ balance: '200000.00', balanceScope: 'WHOLE_ACCOUNT' });
    });

    it('shows the bonds with interest to today that agrees to the fen with a refund made today', async () => {
      const listed = await ledger.get(`/v1/lots/${OPENING_LOT}/bonds`, 'center', CENTER).expect(200);
      expect(listed.body.asOf).toBe(TODAY);
      const interest = Object.fromEntries(listed.body.bonds.map((bond: { bondId: string; accruedInterest: string }) => [bond.bondId, bond.accruedInterest]));
      expect(interest).toEqual({ [bonds.alphaOpening]: '14.58', [bonds.bravoOpening]: '14.58' });

      await ledger.post(`/v1/lots/${OPENING_LOT}/termination`, { reason: 'tender cancelled' }).expect(201);
      const run = await ledger.post(`/v1/lots/${OPENING_LOT}/refunds`, { refundOn: TODAY }).expect(201);
      const paid = Object.fromEntries(run.body.refunds.map((refund: { bondId: string; interest: string }) => [refund.bondId, refund.interest]));
      expect(paid).toEqual(interest);

      const refunds = await ledger.get(`/v1/refunds?lotId=${OPENING_LOT}&status=INSTRUCTED`, 'center', CENTER).expect(200);
      expect(refunds.body.refunds).toHaveLength(2);
      // `overdue` (issue #14 item 7) is not filtered by `status`: nothing is overdue here.
      expect((await ledger.get(`/v1/refunds?status=SETTLED`, 'center', CENTER).expect(200)).body).toEqual({ refunds: [], overdue: [] });
      // Without a lot id, the center's list holds its opened lots' refunds only.
      expect((await ledger.get('/v1/refunds', 'center', CENTER).expect(200)).body.refunds.map((refund: { lotId: string }) => refund.lotId)).toEqual([OPENING_LOT, OPENING_LOT]);
    });

    it('shows the center its opened lot’s balances, and its master account broken down by opened lots only', async () => {
      const va = await ledger.get(`/v1/virtual-accounts/${openingVa}/balance`, 'center', CENTER).expect(200);
      expect(va.body.balance).toBe('0.00'); // refunded to the payers above
      const master = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', CENTER).expect(200);
      // The sealed lot's 100000.00 is still in the account, and still not the center's to see.
      expect(master.body).toMatchObject({ balance: '0.00', balanceScope: 'OPENED_LOTS' });
      expect(master.body.virtualAccounts).toEqual([{ virtualAccountNo: openingVa, lotId: OPENING_LOT, balance: '0.00' }]);
    });

    it('records no look at data that is no longer sealed', async () => {
      // Only the master-account look made while the lot was still sealed is on record.
      expect((await views(OPENING_LOT)).map((view) => view.request)).toEqual([`GET /v1/master-accounts/${MASTER}/balance`]);
      await ledger.get(`/v1/lots/${OPENING_LOT}/bonds`, 'operator', 'ops-li').expect(200);
      await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'auditor').expect(200);
      expect(await views(OPENING_LOT)).toHaveLength(1);
      // The account still holds a sealed lot: the whole account's look is recorded for that one.
      expect((await views(SEALED_LOT)).map((view) => view.request).slice(-1)).toEqual([`GET /v1/master-accounts/${MASTER}/balance`]);
    });
  });

  describe('suspense, raw events and query parameters', () => {
    it('lists suspense to operators, with each bank’s suspense balance', async () => {
      const response = await ledger.get('/v1/suspense?status=SUSPENDED', 'operator').expect(200);
      expect(response.body.items).toEqual([expect.objectContaining({ bankRef: 'QHVPS0005', reason: 'BAD_CHECK_DIGIT', amount: '50000.00' })]);
      expect(Object.values(response.body.balances)).toEqual(['50000.00']);
    });

    it('pages a stream and the whole log for auditors, with metadata', async () => {
      const page = await ledger.get(`/v1/streams/lot-${SEALED_LOT}?maxCount=2`, 'auditor').expect(200);
      expect(page.body.events.map((event: { revision: string }) => event.revision)).toEqual(['0', '1']);
      expect(page.body.nextRevision).toBe('2');
      expect(page.body.events[0]).toMatchObject({ type: 'LotRegistered', streamName: `lot-${SEALED_LOT}`, metadata: { actor: 'operator:operator-1' } });
      const next = await ledger.get(`/v1/streams/lot-${SEALED_LOT}?fromRevision=2&maxCount=1000`, 'auditor').expect(200);
      expect(next.body.events[0].revision).toBe('2');
      expect(next.body).not.toHaveProperty('nextRevision');

      const all = await ledger.get('/v1/events?fromPosition=0&maxCount=3', 'auditor').expect(200);
      expect(all.body.events).toHaveLength(3);
      // Counted first: the page shows a sealed lot's data, so the look is recorded (event-log-seal.e2e.spec.ts).
      const total = await ledger.eventCount();
      const rest = await ledger.get(`/v1/events?fromPosition=${all.body.nextPosition}&maxCount=1000`, 'auditor').expect(200);
      expect(all.body.events.length + rest.body.events.length).toBe(total);
      await ledger.get('/v1/streams/no-such-stream', 'auditor').expect(404);
    });

    it.each([
      ['/v1/refunds?status=PAID', 'status'],
      ['/v1/refunds?lotId=bad%20id', 'lotId'],
      ['/v1/suspense?status=LOST', 'status'],
      ['/v1/events?fromPosition=-1', 'fromPosition'],
      ['/v1/events?maxCount=100000', 'maxCount'],
      ['/v1/streams/lot-x?fromRevision=abc', 'fromRevision'],
    ])('answers %s with 400 INVALID_QUERY naming %s', async (path, field) => {
      const role = path.startsWith('/v1/refunds') || path.startsWith('/v1/suspense') ? 'operator' : 'auditor';
      const response = await ledger.get(path, role).expect(400);
      expect(response.body).toEqual({ error: { code: 'INVALID_QUERY', message: expect.any(String), field } });
    });

    it('answers unknown ids with 404 and a code', async () => {
      expect((await ledger.get('/v1/lots/NOPE', 'operator').expect(404)).body.error.code).toBe('LOT_NOT_FOUND');
      expect((await ledger.get('/v1/virtual-accounts/9558800000000000000/balance', 'operator').expect(404)).body.error.code).toBe('VIRTUAL_ACCOUNT_NOT_FOUND');
      expect((await ledger.get('/v1/master-accounts/NOPE/balance', 'auditor').expect(404)).body.error.code).toBe('MASTER_ACCOUNT_NOT_FOUND');
      expect((await ledger.get('/v1/bonds/B-0000000000000000-NOPE', 'operator').expect(404)).body.error.code).toBe('BOND_NOT_FOUND');
    });
  });

  describe('a sealed lot’s status (issue #15 item 2)', () => {
    const THIRD = 'QC-3';
    const THIRD_MASTER = '6217000000000303';
    const LOT = 'QL-STATUS';
    const alphaBond = bondIdFor(LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo);
    const bravoBond = bondIdFor(LOT, undefined, BRAVO.bankCode, BRAVO.accountNo);
    const today = () => cstDate(ledger.clock.now());
    /** The status GET /v1/lots/{lotId} shows the lot's center, an operator and an auditor. */
    const shownStatuses = async () => {
      const callers: [Parameters<LedgerHarness['get']>[1], string | undefined][] = [['center', THIRD], ['operator', 'ops-li'], ['auditor', 'kpmg-1']];
      const bodies = await Promise.all(callers.map(async ([role, subject]) => (await ledger.get(`/v1/lots/${LOT}`, role, subject).expect(200)).body));
      for (const body of bodies) {
        expect(body.sealed).toBe(true);
        expect(body).not.toHaveProperty('bondCount');
      }
      return bodies.map((body) => body.status as string);
    };

    beforeAll(async () => {
      await ledger.registerCenterWithMasterAccount(THIRD, THIRD_MASTER);
      const lotVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LOT, centerId: THIRD, basicAccountPolicy: 'OFF' }), THIRD_MASTER);
      const alphaVa = await ledger.issueVirtualAccount(LOT, THIRD_MASTER, 'ALPHA');
      const onTime = creditsReceivedAt(`${VALUE_DATE}T10:00:00+08:00`, VALUE_DATE);
      await ledger.postCredit(onTime('QHVPS0011', ALPHA, alphaVa));
      await ledger.postCredit(onTime('QHVPS0012', BRAVO, lotVa));
    });

    it('stays OPEN for everyone when a bidder withdraws before opening and is refunded', async () => {
      await ledger.post(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'ALPHA', noticeReceivedAt: cstInstant(ledger.clock.now()) }).expect(201);
      await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: today() }).expect(201);
      expect(await shownStatuses()).toEqual(['OPEN', 'OPEN', 'OPEN']);
      await ledger.post(`/v1/refunds/${refundIdFor(LOT, alphaBond, 1)}/settlement`, { status: 'SETTLED', bankRef: 'QOUT0011' }).expect(201);
      expect(await shownStatuses()).toEqual(['OPEN', 'OPEN', 'OPEN']);
    });

    it('shows a lot terminated before opening as TERMINATED while its refunds run and once they settle, never REFUNDING or SETTLED', async () => {
      await ledger.post(`/v1/lots/${LOT}/termination`, { reason: 'tender cancelled before opening' }).expect(201);
      expect(await shownStatuses()).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED']);
      await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: today() }).expect(201);
      // The lot's own status is REFUNDING now: a refund after the termination, a bond still owed.
      const refunds = await ledger.get(`/v1/refunds?lotId=${LOT}&status=INSTRUCTED`, 'operator', 'ops-li').expect(200);
      expect(refunds.body.refunds.map((refund: { bondId: string }) => refund.bondId)).toEqual([bravoBond]);
      expect(await shownStatuses()).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED']);
      await ledger.post(`/v1/refunds/${refundIdFor(LOT, bravoBond, 1)}/settlement`, { status: 'SETTLED', bankRef: 'QOUT0012' }).expect(201);
      expect(await shownStatuses()).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED']);
    });
  });
});

/** Issue #15 item 4's switch: the old answer, which discloses the sealed lots' total to the center. */
describe('CENTER_MASTER_BALANCE=whole-account (e2e)', () => {
  const CENTER = 'QW-1';
  const MASTER = '6217000000000404';
  const LOT = 'QW-SEALED';
  const t0 = Date.now();
  let ledger: LedgerHarness;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('queries-whole-account', { now: t0, env: { CENTER_MASTER_BALANCE: 'whole-account' } });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    const va = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LOT, centerId: CENTER, basicAccountPolicy: 'OFF' }), MASTER);
    await ledger.postCredit(creditsReceivedAt(cstInstant(t0))('QWHVPS0001', payer('6222000033330009', 'Sealed Payer Ltd'), va));
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('gives the center the whole account, its sealed lot’s money in it, and says so', async () => {
    const response = await ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', CENTER).expect(200);
    expect(response.body).toMatchObject({ accountNo: MASTER, balance: '50000.00', balanceScope: 'WHOLE_ACCOUNT', virtualAccounts: [] });
  });

  it('takes opened-lots or whole-account only', () => {
    expect(loadLedgerConfig({}).centerMasterBalance).toBe('opened-lots');
    expect(() => loadLedgerConfig({ CENTER_MASTER_BALANCE: 'everything' })).toThrow(ConfigError);
  });
});
