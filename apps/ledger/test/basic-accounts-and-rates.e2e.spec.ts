import { replayLedger } from '@app/audit';
import { bidderStream } from '@app/domain';
import { bearer } from './support/access-tokens';
import { creditsReceivedAt, lotTerms, payer } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * Issue #14 items 5 and 6 over HTTP (docs/rules.md "Basic accounts", "Rate changes"): a center's
 * declarations decide its own lots only, one basic account per bidder and scope, a change needs its
 * evidence; an operator adds a rate from a day not in the past, and a bond held across it earns both.
 */
describe('basic accounts and rate changes (e2e)', () => {
  // 2026-03-10 10:00 in Asia/Shanghai.
  const T0 = Date.parse('2026-03-10T02:00:00Z');
  const MASTER_1 = '44201500000000000031';
  const MASTER_2 = '44201500000000000032';
  const REAL = payer('6222000055550001', 'Real Works Ltd');
  const SHELL = payer('6222000055559999', 'Shell Trading Ltd');
  const credit = creditsReceivedAt('2026-03-10T10:05:00+08:00', '2026-03-10', '20000.00');

  let ledger: LedgerHarness;

  type Conflict = { kind: string; accountNo?: string; bidderId?: string; declarations: Array<{ centerId?: string; bidderId: string }> };
  const conflicts = async (): Promise<Conflict[]> => (await ledger.get('/v1/basic-account-conflicts', 'operator').expect(200)).body.conflicts;

  /** POST as a center (the harness posts set-up routes as an operator). */
  const asCenter = (centerId: string, path: string, body: object) => ledger.post(path, body, bearer('center', centerId));

  async function expectRefused(post: () => Promise<{ status: number; body: unknown }>, status: number, code: string, field?: string) {
    const before = await ledger.eventCount();
    const response = await post();
    expect({ status: response.status, body: response.body }).toEqual({ status, body: { error: { code, message: expect.any(String), ...(field === undefined ? {} : { field }) } } });
    expect(await ledger.eventCount()).toBe(before);
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('basic-accounts-and-rates', { now: T0 });
    await ledger.registerCenterWithMasterAccount('C1', MASTER_1);
    await ledger.registerCenterWithMasterAccount('C2', MASTER_2);
  });

  afterAll(async () => {
    await ledger.close();
  });

  describe('item 5: the basic-account registry is per center, one account per bidder', () => {
    const LOT = 'C1-2026-BA-L1';
    let lotVa: string;
    let b1Va: string;

    beforeAll(async () => {
      lotVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: LOT, centerId: 'C1', bondAmount: '20000.00', basicAccountPolicy: 'ENFORCE' }), MASTER_1);
      b1Va = await ledger.issueVirtualAccount(LOT, MASTER_1, 'B1');
    });

    it("C1 declares B1's account; C2 declares the same account for its own B2: C1's ENFORCE lot still takes B1's payment (not AMBIGUOUS_PAYER)", async () => {
      const c1 = await asCenter('C1', '/v1/bidders/B1/basic-account', { accountNo: REAL.accountNo, accountName: REAL.name, bankCode: REAL.bankCode }).expect(201);
      expect(c1.body).toEqual({ bidderId: 'B1', accountNo: REAL.accountNo, accountName: REAL.name, bankCode: REAL.bankCode, centerId: 'C1' });
      expect(await ledger.lastEvent(`basic-account-${REAL.accountNo}`)).toMatchObject({ type: 'BasicAccountDeclared', data: { centerId: 'C1', declaredOn: '2026-03-10' } });
      await asCenter('C2', '/v1/bidders/B2/basic-account', { accountNo: REAL.accountNo, accountName: 'B2 says so', bankCode: REAL.bankCode }).expect(201);

      const response = await ledger.postCredit(credit('HVPS2026BA0001', REAL, lotVa));
      expect(response.body).toMatchObject({ outcome: 'CLASSIFIED', lotId: LOT, bidderId: 'B1' });

      // The conflict between the centers is the operators' to settle.
      expect((await conflicts()).map((conflict) => [conflict.kind, conflict.accountNo, conflict.declarations.map((held) => [held.centerId, held.bidderId])])).toEqual([
        ['ACCOUNT_SHARED', REAL.accountNo, [['C1', 'B1'], ['C2', 'B2']]],
      ]);
      await ledger.get('/v1/basic-account-conflicts', 'center', 'C1').expect(403);
    });

    it('a shell account declared as a second basic account is refused without evidence, and does not pass ENFORCE', async () => {
      await expectRefused(
        () => asCenter('C1', '/v1/bidders/B1/basic-account', { accountNo: SHELL.accountNo, accountName: SHELL.name, bankCode: SHELL.bankCode }),
        422,
        'EVIDENCE_REQUIRED',
        'evidenceRef',
      );
      // Another center's declaration of it for B1 counts for that center only.
      await asCenter('C2', '/v1/bidders/B1/basic-account', { accountNo: SHELL.accountNo, accountName: SHELL.name, bankCode: SHELL.bankCode }).expect(201);

      const response = await ledger.postCredit(credit('HVPS2026BA0002', SHELL, b1Va));
      expect(response.body).toMatchObject({ outcome: 'RETURNED', reason: 'NOT_BASIC_ACCOUNT', lotId: LOT });
      expect((await conflicts()).map((conflict) => [conflict.kind, conflict.bidderId ?? conflict.accountNo])).toEqual([
        ['ACCOUNT_SHARED', REAL.accountNo],
        ['BIDDER_ACCOUNTS_DIFFER', 'B1'],
      ]);
    });

    it('a change with evidence replaces the account, dated: the old one no longer passes ENFORCE', async () => {
      await ledger.clock.advanceTo('2026-03-12T02:00:00Z');
      const change = await asCenter('C1', '/v1/bidders/B1/basic-account', {
        accountNo: SHELL.accountNo,
        accountName: SHELL.name,
        bankCode: SHELL.bankCode,
        evidenceRef: 'opening permit J5840012345',
      }).expect(201);
      expect(change.body).toEqual({
        bidderId: 'B1',
        accountNo: SHELL.accountNo,
        accountName: SHELL.name,
        bankCode: SHELL.bankCode,
        centerId: 'C1',
        evidenceRef: 'opening permit J5840012345',
        replaces: { accountNo: REAL.accountNo, bankCode: REAL.bankCode },
      });
      expect(await ledger.lastEvent(bidderStream('B1'))).toMatchObject({ data: { declaredOn: '2026-03-12', evidenceRef: 'opening permit J5840012345' } });
      expect(await ledger.streamTypes(`basic-account-${REAL.accountNo}`)).toEqual(['BasicAccountDeclared', 'BasicAccountDeclared', 'BasicAccountReplaced']);
      expect(await ledger.streamTypes(bidderStream('B1'))).toEqual(['BidderBasicAccountSet', 'BidderBasicAccountSet', 'BidderBasicAccountSet']);

      expect((await ledger.postCredit(credit('HVPS2026BA0003', REAL, b1Va))).body).toMatchObject({ outcome: 'RETURNED', reason: 'NOT_BASIC_ACCOUNT' });
      expect((await ledger.postCredit(credit('HVPS2026BA0004', SHELL, b1Va))).body).toMatchObject({ outcome: 'CLASSIFIED', bidderId: 'B1' });
      // B1's account is SHELL for both centers now, and REAL only B2's (for C2): nothing left to settle.
      expect(await conflicts()).toEqual([]);
    });

    it('a center declares for itself only; the contract body from an operator is the bank’s declaration', async () => {
      await expectRefused(
        () => asCenter('C2', '/v1/bidders/B7/basic-account', { accountNo: '6222000055550007', accountName: 'B7', bankCode: REAL.bankCode, centerId: 'C1' }),
        403,
        'FORBIDDEN_TENANT',
        'centerId',
      );
      const bank = await ledger.post('/v1/bidders/B7/basic-account', { accountNo: '6222000055550007', accountName: 'B7 Ltd', bankCode: REAL.bankCode }).expect(201);
      expect(bank.body).toEqual({ bidderId: 'B7', accountNo: '6222000055550007', accountName: 'B7 Ltd', bankCode: REAL.bankCode });
      await expectRefused(
        () => asCenter('C1', '/v1/bidders/B7/basic-account', { accountNo: '6222000055550077', accountName: 'B7 other', bankCode: REAL.bankCode }),
        409,
        'BASIC_ACCOUNT_CONFIRMED',
        'accountNo',
      );
    });
  });

  describe('item 6: an operator adds a rate, never retroactive', () => {
    const LOT = 'C1-2026-RT-L1';

    it('refuses an entry before today (2026-03-12, Asia/Shanghai), on an unknown schedule, or from a center, changing nothing', async () => {
      await ledger.post('/v1/interest-rate-schedules', { scheduleId: 'C1-DEMAND', dayCount: 'ACT/360', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] }).expect(201);
      await expectRefused(() => ledger.post('/v1/interest-rate-schedules/C1-DEMAND/entries', { effectiveFrom: '2026-03-11', annualRate: '0.002' }), 422, 'EFFECTIVE_DATE_IN_PAST', 'effectiveFrom');
      await expectRefused(() => ledger.post('/v1/interest-rate-schedules/NO-SUCH/entries', { effectiveFrom: '2026-05-20', annualRate: '0.002' }), 404, 'RATE_SCHEDULE_NOT_FOUND', 'scheduleId');
      await expectRefused(
        () => ledger.post('/v1/interest-rate-schedules/C1-DEMAND/entries', { effectiveFrom: '2026-05-20', annualRate: '0.002' }, bearer('center', 'C1')),
        403,
        'FORBIDDEN_ROLE',
        'authorization',
      );
    });

    it('prices a bond held across the change with both rates, to the fen', async () => {
      const added = await ledger.post('/v1/interest-rate-schedules/C1-DEMAND/entries', { effectiveFrom: '2026-05-20', annualRate: '0.002' }).expect(201);
      expect(added.body).toEqual({ scheduleId: 'C1-DEMAND', effectiveFrom: '2026-05-20', annualRate: '0.002', addedOn: '2026-03-12' });
      expect(await ledger.lastEvent('rate-schedule-C1-DEMAND')).toMatchObject({ type: 'RateScheduleEntryAdded', data: added.body });

      const va = await ledger.registerLotWithVirtualAccount(
        lotTerms({ lotId: LOT, centerId: 'C1', bondAmount: '20000.00', basicAccountPolicy: 'FLAG', rateScheduleId: 'C1-DEMAND', depositDeadline: '2026-03-20T09:00:00+08:00', bidOpeningTime: '2026-03-20T09:30:00+08:00' }),
        MASTER_1,
      );
      await ledger.postCredit(creditsReceivedAt('2026-03-12T10:05:00+08:00', '2026-03-10', '20000.00')('HVPS2026RT0001', payer('6222000066660001', 'Held Across Ltd'), va));
      await ledger.clock.advanceTo('2026-06-15T02:00:00Z');
      await ledger.post(`/v1/lots/${LOT}/termination`, { reason: 'project cancelled' }).expect(201);
      const refunds = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: '2026-06-15' }).expect(201);
      // By hand, ACT/360, the refund day not counted:
      //   0.35 %: 2026-03-10 .. 2026-05-19 = 22 + 30 + 19 = 71 days: 20000 × 0.0035 × 71 / 360 = 4970 / 360
      //   0.20 %: 2026-05-20 .. 2026-06-14 = 12 + 14      = 26 days: 20000 × 0.002  × 26 / 360 = 1040 / 360
      //   (4970 + 1040) / 360 = 16.69444… → 16.69
      expect(refunds.body.refunds).toEqual([
        expect.objectContaining({
          principal: '20000.00',
          interest: '16.69',
          total: '20016.69',
          rates: [
            { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
            { effectiveFrom: '2026-05-20', annualRate: '0.002' },
          ],
        }),
      ]);
    });
  });

  describe('the audit, after all the above', () => {
    it('replays the log without findings: the new events, declarations per center, the schedule with its added rate', async () => {
      const replay = await replayLedger(ledger.store);
      expect(replay.events).toBeGreaterThan(20);
      expect(replay.findings.map((finding) => `${finding.code}: ${finding.message}`)).toEqual([]);
    });
  });
});
