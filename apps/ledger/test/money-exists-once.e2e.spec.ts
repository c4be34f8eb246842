import { replayLedger } from '@app/audit';
import Big from 'big.js';
import { BANK, type InboundCredit, UNISSUED_VIRTUAL_ACCOUNT, creditIdOf, creditsReceivedAt, cstDate, cstInstant, lotTerms, payer } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * The seven ways concurrent or odd requests created money or told untruths on 904d42e (issue "money
 * exists once"), each replayed over HTTP against the real service: the answers must be true and the
 * auditors' replay clean afterwards.
 */
describe('money exists once: the reproductions (e2e)', () => {
  const BANK2 = '105100000017';
  const CENTER = 'ME-C1';
  const MASTER = '6217000099998888';
  const NOW = Date.now();
  const RECEIVED = cstInstant(NOW);
  const TODAY = cstDate(NOW);
  const PAYER = payer('6222000077770001', 'Once Only Builders');

  let ledger: LedgerHarness;
  let vaA: string;
  let vaB: string;
  let vaBank2: string;

  const received = creditsReceivedAt(RECEIVED, TODAY);
  const creditTo = (bankRef: string, payeeAccountNo: string, amount: string, more: Partial<InboundCredit> = {}) => received(bankRef, PAYER, payeeAccountNo, { amount, ...more });

  /** A virtual account under the master account at bank 1 (the center holds the number at both banks). */
  async function issue(lotId: string): Promise<string> {
    return (await ledger.post(`/v1/lots/${lotId}/virtual-accounts`, { masterAccountNo: MASTER, bankCode: BANK }).expect(201)).body.virtualAccountNo;
  }

  async function auditFindings(): Promise<string[]> {
    return (await replayLedger(ledger.store)).findings.map((finding) => `${finding.code}: ${finding.message}`);
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('money-once', { env: { VIRTUAL_ACCOUNT_PREFIXES: `${BANK}=955880,${BANK2}=622601` }, now: NOW });
    await ledger.registerCenter(CENTER);
    for (const bankCode of [BANK, BANK2]) {
      // 4. The same master account number at a second bank is another account, not a conflict.
      await ledger.post(`/v1/tender-centers/${CENTER}/master-accounts`, { bankCode, accountNo: MASTER, accountName: 'Bid bonds' }).expect(201);
    }
    await ledger.registerLot(lotTerms({ lotId: 'ME-LA', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    await ledger.registerLot(lotTerms({ lotId: 'ME-LB', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    await ledger.registerLot(lotTerms({ lotId: 'ME-LT', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    vaA = await issue('ME-LA');
    vaB = await issue('ME-LB');
    vaBank2 = (await ledger.post('/v1/lots/ME-LA/virtual-accounts', { masterAccountNo: MASTER, bankCode: BANK2 }).expect(201)).body.virtualAccountNo;
  });

  afterAll(() => ledger.close());

  it('1. one bankRef, two bodies at once (two lots, or a lot and an unknown account): the money of the answered one only', async () => {
    let acknowledged = new Big(0);
    for (let round = 1; round <= 6; round += 1) {
      const other = round % 2 === 0 ? vaB : UNISSUED_VIRTUAL_ACCOUNT;
      const answers = await Promise.all([
        ledger.post('/v1/inbound-credits', creditTo(`ME1-${round}`, vaA, '1000.00')),
        ledger.post('/v1/inbound-credits', creditTo(`ME1-${round}`, other, '2000.00')),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const won = answers.find((answer) => answer.status === 201)!;
      const lost = answers.find((answer) => answer.status === 409)!;
      expect(lost.body.error.code).toBe('DUPLICATE_BANK_REF');
      acknowledged = acknowledged.plus(won === answers[0] ? '1000.00' : '2000.00');
    }
    const balances = await ledger.balances();
    const held = [`virtual:${vaA}`, `virtual:${vaB}`, `suspense:${BANK}`].reduce((sum, account) => sum.plus(balances.get(account) ?? '0'), new Big(0));
    expect(held.times(-1).toFixed(2)).toBe(acknowledged.toFixed(2));
    expect(await auditFindings()).toEqual([]);
  });

  it('2. a suspense MATCH racing the ESB’s REVERSED: both may succeed only in that order, and reversed money is nowhere', async () => {
    for (let round = 1; round <= 8; round += 1) {
      const suspended = await ledger.post('/v1/inbound-credits', creditTo(`ME2-${round}`, UNISSUED_VIRTUAL_ACCOUNT, '300.00')).expect(201);
      const creditId = suspended.body.creditId as string;
      const [match, reversal] = await Promise.all([
        ledger.post(`/v1/suspense/${creditId}/resolution`, { action: 'MATCH', virtualAccountNo: vaA }),
        ledger.post(`/v1/inbound-credits/${creditId}/status`, { status: 'REVERSED', bankRef: `ME2-${round}`, reason: 'not settled' }),
      ]);
      expect(reversal.status).toBe(201);
      expect([201, 409]).toContain(match.status);
      const lot = await ledger.streamEvents('lot-ME-LA');
      const taken = lot.filter((event) => event.type === 'BondCredited' && event.data.creditId === creditId);
      const reversedOut = lot.filter((event) => event.type === 'CreditReversed' && event.data.creditId === creditId);
      // Matched first: the reversal took it back out of the lot. Reversed first: the match found nothing in suspense.
      expect(taken).toHaveLength(match.status === 201 ? 1 : 0);
      expect(reversedOut).toHaveLength(taken.length);
      // Reporting it again repairs nothing because nothing needs repair: 200, nothing appended.
      const count = await ledger.eventCount();
      await ledger.post(`/v1/inbound-credits/${creditId}/status`, { status: 'REVERSED', bankRef: `ME2-${round}`, reason: 'not settled' }).expect(200);
      expect(await ledger.eventCount()).toBe(count);
    }
    expect(await auditFindings()).toEqual([]);
  });

  it('3. one Idempotency-Key on concurrent requests: the command runs once, every caller gets the first answer', async () => {
    const before = (await ledger.streamEvents('virtual-accounts-955880')).length;
    const issued = await Promise.all(
      Array.from({ length: 15 }, () => ledger.post('/v1/lots/ME-LB/virtual-accounts', { masterAccountNo: MASTER, bankCode: BANK }, { 'Idempotency-Key': 'me3-issue' })),
    );
    expect((await ledger.streamEvents('virtual-accounts-955880')).length).toBe(before + 1);
    expect(new Set(issued.map((answer) => answer.body.virtualAccountNo)).size).toBe(1);
    expect(issued.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(issued.filter((answer) => answer.status === 200 && answer.headers['idempotent-replayed'] === 'true')).toHaveLength(14);

    // A refund run sent six times under one key: one run, six equal answers.
    await ledger.post('/v1/inbound-credits', creditTo('ME3-T1', await issue('ME-LT'), '500.00')).expect(201);
    await ledger.post('/v1/lots/ME-LT/termination', { reason: 'cancelled' }).expect(201);
    const runs = await Promise.all(Array.from({ length: 6 }, () => ledger.post('/v1/lots/ME-LT/refunds', { refundOn: TODAY }, { 'Idempotency-Key': 'me3-refund' })));
    expect(runs.map((run) => run.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    for (const run of runs) expect(run.body).toEqual(runs[0]?.body);
    expect((await ledger.streamTypes('lot-ME-LT')).filter((type) => type === 'RefundInstructed')).toHaveLength(1);
  });

  it('4. uniqueness per bank: a bank reference seen at one bank is recorded again at another', async () => {
    await ledger.post('/v1/inbound-credits', creditTo('ME4-SHARED', vaA, '100.00')).expect(201);
    const atBank2 = await ledger.post('/v1/inbound-credits', creditTo('ME4-SHARED', vaBank2, '100.00', { payeeBankCode: BANK2 })).expect(201);
    expect(atBank2.body).toMatchObject({ creditId: creditIdOf('ME4-SHARED', BANK2), outcome: 'CLASSIFIED', lotId: 'ME-LA' });
    // Unnamed, the bank is the payee number's: bank 2's prefix.
    const byPrefix = await ledger.post('/v1/inbound-credits', creditTo('ME4-PREFIX', vaBank2, '100.00')).expect(201);
    expect(byPrefix.body.creditId).toBe(creditIdOf('ME4-PREFIX', BANK2));
    expect((await ledger.balances()).get(`virtual:${vaBank2}`)).toBe('-200.00');
  });

  it('5. tranches past the amount limit are suspended at intake; the lot still refunds', async () => {
    await ledger.registerLot(lotTerms({ lotId: 'ME-LM', centerId: CENTER, basicAccountPolicy: 'OFF' }));
    const va = await issue('ME-LM');
    const answers = [];
    for (let tranche = 1; tranche <= 3; tranche += 1) {
      answers.push((await ledger.post('/v1/inbound-credits', creditTo(`ME5-${tranche}`, va, '999999999999999.99')).expect(201)).body);
    }
    expect(answers.map((answer) => [answer.outcome, answer.reason])).toEqual([
      ['CLASSIFIED', undefined],
      ['SUSPENDED', 'AMOUNT_LIMIT'],
      ['SUSPENDED', 'AMOUNT_LIMIT'],
    ]);
    await ledger.post('/v1/lots/ME-LM/termination', { reason: 'cancelled' }).expect(201);
    // The bond at the limit is refunded (its interest to today is zero).
    // Sealed (terminated before opening): the answer withholds the refunds, the lot records them (docs/security.md).
    const run = await ledger.post('/v1/lots/ME-LM/refunds', { refundOn: TODAY }).expect(201);
    expect(run.body).toEqual({ lotId: 'ME-LM', refundOn: TODAY, sealed: true });
    expect((await ledger.streamTypes('lot-ME-LM')).filter((type) => type === 'RefundInstructed')).toHaveLength(1);
    expect(await auditFindings()).toEqual([]);
  });

  it('6. a body naming a member twice is refused, whichever value a parser would take', async () => {
    const count = await ledger.eventCount();
    const body = JSON.stringify(creditTo('ME6-1', vaA, '1.00')).replace('"amount":"1.00"', '"amount":"1.00","amount":"900000.00"');
    const answer = await ledger.post('/v1/inbound-credits', body).expect(400);
    expect(answer.body.error).toMatchObject({ code: 'DUPLICATE_KEY', field: 'amount' });
    expect(await ledger.eventCount()).toBe(count);
  });

  it('7. an Idempotency-Key names the route, not the path as sent: a trailing slash or another letter case is the same request', async () => {
    const first = await ledger.post('/v1/lots/ME-LA/virtual-accounts', { masterAccountNo: MASTER, bankCode: BANK }, { 'Idempotency-Key': 'me7' }).expect(201);
    const slash = await ledger.post('/v1/lots/ME-LA/virtual-accounts/', { bankCode: BANK, masterAccountNo: MASTER }, { 'Idempotency-Key': 'me7' }).expect(200);
    const upper = await ledger.post('/V1/LOTS/ME-LA/VIRTUAL-ACCOUNTS', { masterAccountNo: MASTER, bankCode: BANK }, { 'Idempotency-Key': 'me7' }).expect(200);
    expect(slash.body).toEqual(first.body);
    expect(upper.body).toEqual(first.body);
    // Another lot is another request.
    await ledger.post('/v1/lots/ME-LB/virtual-accounts', { masterAccountNo: MASTER, bankCode: BANK }, { 'Idempotency-Key': 'me7' }).expect(409);
  });
});
