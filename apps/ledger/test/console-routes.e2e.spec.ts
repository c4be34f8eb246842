import { bondIdFor } from '@app/domain';
import type { Response } from 'supertest';
import { DEVELOPMENT_JWT_SECRET } from '../src/platform/auth/auth-config';
import { AccessTokenVerifier } from '../src/platform/auth/access-token';
import { bearer } from './support/access-tokens';
import { creditIdOf, cstDate, cstInstant, creditsReceivedAt, lotTerms, payer, plusDays } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';
import { pdfText } from './support/pdf-text';

/**
 * Issue #16's server side: the routes the console reads (docs/api.md, "Routes for the console") and the
 * development sign-in. One lot goes through credits, a reversal, a late withdrawal and its forfeiture, the
 * award and a refund run of which one payment bounces; its statement's totals are held to the ledger's
 * balances at each step, its documents to their formats, and every route to the seal.
 */
describe('routes for the console (e2e)', () => {
  const CENTER = 'CR-C1';
  const RIVAL = 'CR-C2';
  const MASTER = '6217000000016001';
  const RIVAL_MASTER = '6217000000016002';
  const LOT = 'CR-L1';
  /** Sealed for ever: its bids open in 2099. */
  const SEALED_LOT = 'CR-L2';
  const ALPHA = payer('6222000016160001', 'Alpha 建设集团');
  const BRAVO = payer('6222000016160002', 'Bravo Works, "East" Ltd');
  const CHARLIE = payer('6222000016160003', 'Charlie Roads');
  const DELTA = payer('6222000016160004', 'Delta Bridges');

  const t0 = Math.floor(Date.now() / 1_000) * 1_000;
  const D = cstDate(t0);
  const credit = creditsReceivedAt(cstInstant(t0), D);
  const bond = {
    alpha: bondIdFor(LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
    bravo: bondIdFor(LOT, 'BRAVO', BRAVO.bankCode, BRAVO.accountNo),
    charlie: bondIdFor(LOT, 'CHARLIE', CHARLIE.bankCode, CHARLIE.accountNo),
    delta: bondIdFor(LOT, 'DELTA', DELTA.bankCode, DELTA.accountNo),
    sealedAlpha: bondIdFor(SEALED_LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
  };
  let ledger: LedgerHarness;
  let lotVa = '';
  let sealedVa = '';

  const center = (centerId = CENTER) => bearer('center', centerId);
  const get = (path: string, headers: Record<string, string>) => ledger.http().get(path).set(headers);
  /** The binary body of a download. */
  const download = (path: string, headers: Record<string, string>) =>
    get(path, headers)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
  const looksAt = async (lotId: string) => (await ledger.streamEvents(`sealed-data-views-${lotId}`)).map((event) => (event.data as { request: string }).request);

  /** What the ledger holds in these virtual accounts, by GET /v1/virtual-accounts/{no}/balance. */
  async function ledgerBalances(accounts: readonly string[], headers: Record<string, string>): Promise<string[]> {
    const balances: string[] = [];
    for (const account of accounts) balances.push((await get(`/v1/virtual-accounts/${account}/balance`, headers).expect(200)).body.balance as string);
    return balances;
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('console-routes', { now: t0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.registerCenterWithMasterAccount(RIVAL, RIVAL_MASTER);
    await ledger.declareBasicAccounts({ ALPHA, BRAVO, CHARLIE, DELTA });
    lotVa = await ledger.registerLotWithVirtualAccount(
      lotTerms({ lotId: LOT, centerId: CENTER, depositDeadline: cstInstant(t0 + 3_000), bidOpeningTime: cstInstant(t0 + 4_000) }),
      MASTER,
    );
    sealedVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: SEALED_LOT, centerId: CENTER }), MASTER);
    await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: 'CR-R1', centerId: RIVAL }), RIVAL_MASTER);
    for (const [ref, from] of [['CRA1', ALPHA], ['CRB1', BRAVO], ['CRC1', CHARLIE], ['CRD1', DELTA]] as const) await ledger.postCredit(credit(ref, from, lotVa));
    await ledger.postCredit(credit('CRB2', BRAVO, lotVa, { amount: '10000.00' }));
    await ledger.post(`/v1/inbound-credits/${creditIdOf('CRB2')}/status`, { status: 'REVERSED', bankRef: 'CRB2', reason: 'not settled' }).expect(201);
    await ledger.postCredit(credit('CRS1', ALPHA, sealedVa));
  });

  afterAll(async () => {
    await ledger.close();
  });

  describe('while the lot is sealed', () => {
    it('refuses the center its statement, refund list, refund preview and certificates in every format (403 SEALED_UNTIL_BID_OPENING), and another center with 403 FORBIDDEN_TENANT', async () => {
      for (const path of [
        `/v1/lots/${LOT}/statement`,
        `/v1/lots/${LOT}/statement?format=csv`,
        `/v1/lots/${LOT}/statement?format=pdf`,
        `/v1/lots/${LOT}/refund-list?format=pdf`,
        `/v1/lots/${LOT}/refund-preview`,
        `/v1/bonds/${bond.alpha}/certificate`,
        `/v1/bonds/${bondIdFor(LOT, 'ECHO', ALPHA.bankCode, '6222000016169999')}/certificate`,
      ]) {
        const refused = await get(path, center()).expect(403);
        expect({ path, code: refused.body.error.code, type: refused.headers['content-type'] }).toEqual({ path, code: 'SEALED_UNTIL_BID_OPENING', type: expect.stringMatching(/^application\/json/) });
        expect((await get(path, center(RIVAL)).expect(403)).body.error.code).toBe('FORBIDDEN_TENANT');
      }
    });

    it('gives an operator the statement with who paid, PDF included, each look recorded first', async () => {
      const json = await get(`/v1/lots/${LOT}/statement`, bearer('operator', 'ops-1')).expect(200);
      expect(json.body.lines.map((line: { kind: string }) => line.kind)).toEqual(['CREDIT', 'CREDIT', 'CREDIT', 'CREDIT', 'CREDIT', 'REVERSAL']);
      const pdf = await download(`/v1/lots/${LOT}/statement?format=pdf`, bearer('auditor', 'audit-1')).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toBe(`attachment; filename="statement-${LOT}-${D}.pdf"`);
      const body = pdf.body as Buffer;
      expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(body);
      expect(text).toContain('保证金专户对账单');
      expect(text).toContain(ALPHA.name);
      expect(text).toContain('200,000.00');
      expect(await looksAt(LOT)).toEqual(expect.arrayContaining([`GET /v1/lots/${LOT}/statement`, `GET /v1/lots/${LOT}/statement?format=pdf`]));
    });

    it('gives a bidder its own bond’s certificate whatever the phase, another bidder’s as no bond (404)', async () => {
      const own = await download(`/v1/bonds/${bond.sealedAlpha}/certificate`, bearer('bidder', 'ALPHA')).expect(200);
      expect(own.headers['content-disposition']).toBe(`attachment; filename="certificate-${bond.sealedAlpha}.pdf"`);
      const text = pdfText(own.body as Buffer);
      expect(text).toContain('投标保证金缴纳凭证');
      expect(text).toContain(ALPHA.name);
      expect(text).toContain('人民币伍万元整');
      const rival = await get(`/v1/bonds/${bond.sealedAlpha}/certificate`, bearer('bidder', 'BRAVO')).expect(404);
      const nothing = await get(`/v1/bonds/${bondIdFor(SEALED_LOT, 'BRAVO', BRAVO.bankCode, BRAVO.accountNo)}/certificate`, bearer('bidder', 'BRAVO')).expect(404);
      expect(rival.body.error.code).toBe('BOND_NOT_FOUND');
      expect(nothing.body.error.code).toBe('BOND_NOT_FOUND');
    });

    it('lists the center its own lots, newest opening first, a sealed one in its sealed view', async () => {
      const lots = (await get('/v1/lots', center()).expect(200)).body.lots as Array<Record<string, unknown>>;
      expect(lots.map((lot) => lot.lotId)).toEqual([SEALED_LOT, LOT]);
      for (const lot of lots) {
        expect(lot).toEqual((await get(`/v1/lots/${lot.lotId as string}`, center()).expect(200)).body);
        expect(lot).not.toHaveProperty('bondCount');
      }
      expect((await get(`/v1/lots?centerId=${RIVAL}`, center()).expect(403)).body.error.code).toBe('FORBIDDEN_TENANT');
      expect((await get(`/v1/lots?centerId=${CENTER}`, center()).expect(200)).body.lots).toHaveLength(2);
      const all = (await get('/v1/lots', bearer('operator')).expect(200)).body.lots as Array<{ lotId: string }>;
      expect(all.map((lot) => lot.lotId).sort()).toEqual(['CR-L1', 'CR-L2', 'CR-R1']);
      expect((await get(`/v1/lots?centerId=${RIVAL}`, bearer('auditor')).expect(200)).body.lots.map((lot: { lotId: string }) => lot.lotId)).toEqual(['CR-R1']);
      expect((await get('/v1/lots?centerId=a%20b', bearer('auditor')).expect(400)).body.error.code).toBe('INVALID_QUERY');
    });

    it('lists a bidder its own bonds, an operator any bidder’s (recorded), and refuses a bidder another’s whatever it paid', async () => {
      const own = await get('/v1/bidders/ALPHA/bonds', bearer('bidder', 'ALPHA')).expect(200);
      expect(own.body.bonds.map((item: { bondId: string }) => item.bondId)).toEqual([bond.sealedAlpha, bond.alpha]);
      expect(own.body.bonds[1]).toEqual((await get(`/v1/bonds/${bond.alpha}`, bearer('bidder', 'ALPHA')).expect(200)).body);
      for (const other of ['BRAVO', 'NOBODY']) expect((await get(`/v1/bidders/${other}/bonds`, bearer('bidder', 'ALPHA')).expect(403)).body.error.code).toBe('FORBIDDEN_TENANT');
      const before = (await looksAt(SEALED_LOT)).length;
      expect((await get('/v1/bidders/ALPHA/bonds', bearer('operator')).expect(200)).body.bonds).toHaveLength(2);
      expect((await looksAt(SEALED_LOT)).slice(before)).toEqual(['GET /v1/bidders/ALPHA/bonds']);
      expect((await get('/v1/bidders/ALPHA/bonds', center()).expect(403)).body.error.code).toBe('FORBIDDEN_ROLE');
    });

    it('lists master accounts as the single route answers each: a center its own (sealed lots left out), an operator all', async () => {
      for (const [headers, expected] of [
        [center(), [MASTER]],
        [bearer('operator'), [MASTER, RIVAL_MASTER]],
      ] as const) {
        const listed = (await get('/v1/master-accounts', headers).expect(200)).body.masterAccounts as Array<{ accountNo: string }>;
        expect(listed.map((master) => master.accountNo)).toEqual(expected);
        for (const master of listed) expect(master).toEqual((await get(`/v1/master-accounts/${master.accountNo}/balance`, headers).expect(200)).body);
      }
      expect((await get('/v1/master-accounts', center()).expect(200)).body.masterAccounts[0]).toMatchObject({ balance: '0.00', balanceScope: 'OPENED_LOTS', virtualAccounts: [] });
    });

    it('lists the rate schedules to every role but the ESB', async () => {
      const schedules = (await get('/v1/interest-rate-schedules', bearer('bidder', 'ALPHA')).expect(200)).body.schedules as Array<{ scheduleId: string; dayCount: string; entries: unknown[] }>;
      expect(schedules.find((schedule) => schedule.scheduleId === 'PBOC-DEMAND')).toMatchObject({ dayCount: expect.stringMatching(/^ACT\/36[05]$/), entries: expect.arrayContaining([expect.objectContaining({ effectiveFrom: expect.any(String) })]) });
      expect((await get('/v1/interest-rate-schedules', bearer('esb')).expect(403)).body.error.code).toBe('FORBIDDEN_ROLE');
    });
  });

  describe('after bid opening', () => {
    let refunded: Response;

    beforeAll(async () => {
      await ledger.clock.advanceTo(t0 + 5_000);
      // DELTA withdraws after the deadline: its bond is forfeited (Art. 35).
      await ledger.post(`/v1/lots/${LOT}/withdrawals`, { bidderId: 'DELTA', noticeReceivedAt: cstInstant(t0 + 5_000) }).expect(201);
      await ledger.post(`/v1/bonds/${bond.delta}/forfeiture`, { reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' }).expect(201);
      await ledger.post(`/v1/lots/${LOT}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: D }).expect(201);
      await ledger.clock.advanceTo(Date.parse(`${plusDays(D, 3)}T10:00:00+08:00`));
    });

    it('previews the refund run with the run’s own interest, recording nothing; the run then instructs exactly that', async () => {
      const refundOn = plusDays(D, 3);
      const before = await ledger.eventCount();
      const preview = await get(`/v1/lots/${LOT}/refund-preview?refundOn=${refundOn}`, center()).expect(200);
      expect(await ledger.eventCount()).toBe(before);
      expect(preview.body).toMatchObject({ lotId: LOT, refundOn, notRefunded: [] });
      const previewed = preview.body.refunds as Array<{ bondId: string; principal: string; interest: string; total: string; dayCount: string; rates: unknown[]; payTo: unknown }>;
      expect(previewed.map((item) => item.bondId).sort()).toEqual([bond.alpha, bond.bravo, bond.charlie].sort());
      expect(previewed.every((item) => item.interest !== '0.00')).toBe(true);
      expect((await get(`/v1/lots/${LOT}/refund-preview`, center()).expect(200)).body.refundOn).toBe(refundOn);
      expect((await get(`/v1/lots/${LOT}/refund-preview?refundOn=${plusDays(D, 4)}`, center()).expect(422)).body.error.code).toBe('DATE_IN_FUTURE');
      expect((await get(`/v1/lots/${LOT}/refund-preview?refundOn=tomorrow`, center()).expect(400)).body.error.code).toBe('INVALID_QUERY');

      refunded = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn }).expect(201);
      const instructed = refunded.body.refunds as Array<{ bondId: string; principal: string; interest: string; total: string; dayCount: string; rates: unknown[]; payTo: unknown }>;
      expect(instructed.map(({ bondId, principal, interest, total, dayCount, rates, payTo }) => ({ bondId, principal, interest, total, dayCount, rates, payTo }))).toEqual(
        previewed.map(({ bondId, principal, interest, total, dayCount, rates, payTo }) => ({ bondId, principal, interest, total, dayCount, rates, payTo })),
      );
    });

    it('keeps the statement’s held equal to the lot’s virtual accounts after credits, a reversal, a forfeiture, refunds and a failed refund', async () => {
      const refunds = refunded.body.refunds as Array<{ refundId: string; bondId: string; interest: string }>;
      const of = (bondId: string) => refunds.find((refund) => refund.bondId === bondId)!;
      await ledger.post(`/v1/refunds/${of(bond.alpha).refundId}/settlement`, { status: 'SETTLED', bankRef: 'CROUT1' }).expect(201);
      await ledger.post(`/v1/refunds/${of(bond.charlie).refundId}/settlement`, { status: 'SETTLED', bankRef: 'CROUT3' }).expect(201);
      await ledger.post(`/v1/refunds/${of(bond.bravo).refundId}/settlement`, { status: 'FAILED', bankRef: 'CROUT2', reason: 'account closed' }).expect(201);

      const statement = (await get(`/v1/lots/${LOT}/statement`, center()).expect(200)).body;
      expect(statement.lines.map((line: { kind: string }) => line.kind)).toEqual(['CREDIT', 'CREDIT', 'CREDIT', 'CREDIT', 'CREDIT', 'REVERSAL', 'FORFEITURE', 'REFUND', 'REFUND', 'REFUND', 'REFUND_FAILED']);
      expect(statement.totals).toEqual({
        credited: '210000.00',
        reversed: '10000.00',
        refundedPrincipal: '100000.00',
        interestPaid: sumOfTwo(of(bond.alpha).interest, of(bond.charlie).interest),
        forfeited: '50000.00',
        held: '50000.00',
      });
      expect(await ledgerBalances([lotVa], center())).toEqual([statement.totals.held]);
      expect(statement.receivedByDay).toEqual([{ date: D, amount: '210000.00' }]);
      expect(statement.lines.find((line: { kind: string }) => line.kind === 'REFUND_FAILED')).toMatchObject({ bondId: bond.bravo, bidderId: 'BRAVO', amount: '50000.00', interest: of(bond.bravo).interest, bankRef: 'CROUT2', counterparty: { accountNo: BRAVO.accountNo, name: BRAVO.name } });
      expect(statement.lines.find((line: { refundId?: string; kind: string }) => line.kind === 'REFUND' && line.refundId === of(bond.alpha).refundId)).toMatchObject({ bankRef: 'CROUT1', valueDate: plusDays(D, 3) });
      expect(statement.lines.find((line: { kind: string }) => line.kind === 'REVERSAL')).toMatchObject({ bondId: bond.bravo, amount: '10000.00', bankRef: 'CRB2' });
    });

    it('writes the statement as CSV: BOM, CRLF, RFC 4180 quoting, one row per line, then the totals', async () => {
      const csv = await download(`/v1/lots/${LOT}/statement?format=csv`, center()).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="statement-${LOT}-${plusDays(D, 3)}.csv"`);
      const text = (csv.body as Buffer).toString('utf8');
      expect(text.startsWith('\uFEFFat,kind,bondId,')).toBe(true);
      const rows = text.slice(1).split('\r\n');
      expect(rows.pop()).toBe('');
      expect(rows).toHaveLength(1 + 11 + 6);
      expect(text).toContain('"Bravo Works, ""East"" Ltd"');
      expect(text).toContain(ALPHA.name);
      expect(rows.slice(-6).map((row) => row.split(',').filter((cell) => cell !== ''))).toEqual([
        [plusDays(D, 3), 'TOTAL_CREDITED', '210000.00'],
        [plusDays(D, 3), 'TOTAL_REVERSED', '10000.00'],
        [plusDays(D, 3), 'TOTAL_REFUNDED_PRINCIPAL', '100000.00'],
        [plusDays(D, 3), 'TOTAL_INTEREST_PAID', expect.stringMatching(/^\d+\.\d\d$/)],
        [plusDays(D, 3), 'TOTAL_FORFEITED', '50000.00'],
        [plusDays(D, 3), 'TOTAL_HELD', '50000.00'],
      ]);
    });

    it('writes the statement as a PDF for the center, its totals in it', async () => {
      const pdf = await download(`/v1/lots/${LOT}/statement?format=pdf`, center()).expect(200);
      const text = pdfText(pdf.body as Buffer);
      expect(text).toContain('保证金专户对账单');
      expect(text).toContain('¥210,000.00');
      expect(text).toContain('¥50,000.00');
      expect(text).toContain(BRAVO.name);
      // The same request at the same instant: the same bytes.
      expect((await download(`/v1/lots/${LOT}/statement?format=pdf`, center()).expect(200)).body).toEqual(pdf.body);
    });

    it('lists the refunds as instructed, with day count and rates, in JSON, CSV and PDF', async () => {
      const list = (await get(`/v1/lots/${LOT}/refund-list`, center()).expect(200)).body;
      const queue = (await get(`/v1/refunds?lotId=${LOT}`, center()).expect(200)).body.refunds as Array<Record<string, unknown>>;
      const instructed = refunded.body.refunds as Array<{ dayCount: string; rates: unknown[] }>;
      expect(list.refunds).toEqual(queue.map((item) => ({ ...item, dayCount: instructed[0]!.dayCount, rates: instructed[0]!.rates })));
      expect(list.totals.principal).toBe('100000.00');
      const csv = (await download(`/v1/lots/${LOT}/refund-list?format=csv`, bearer('auditor')).expect(200)).body.toString('utf8') as string;
      expect(csv.startsWith('\uFEFFrefundId,bondId,')).toBe(true);
      expect(csv).toContain('account closed');
      expect(csv).toMatch(/\r\nTOTAL,,,,,,100000\.00,/);
      const pdf = await download(`/v1/lots/${LOT}/refund-list?format=pdf`, center()).expect(200);
      expect(pdf.headers['content-disposition']).toBe(`attachment; filename="refund-list-${LOT}-${plusDays(D, 3)}.pdf"`);
      const text = pdfText(pdf.body as Buffer);
      expect(text).toContain('保证金退款清单');
      expect(text).toContain(instructed[0]!.dayCount);
    });

    it('gives the center the certificate of any bond of its opened lot', async () => {
      const pdf = await download(`/v1/bonds/${bond.charlie}/certificate`, center()).expect(200);
      expect(pdfText(pdf.body as Buffer)).toContain(CHARLIE.name);
      expect((await get(`/v1/bonds/${bondIdFor(LOT, 'ECHO', '1', '2')}/certificate`, center()).expect(404)).body.error.code).toBe('BOND_NOT_FOUND');
    });

    it('refuses unknown formats and lots', async () => {
      expect((await get(`/v1/lots/${LOT}/statement?format=xlsx`, center()).expect(400)).body.error.code).toBe('INVALID_QUERY');
      expect((await get('/v1/lots/CR-NONE/statement', bearer('operator')).expect(404)).body.error.code).toBe('LOT_NOT_FOUND');
      expect((await get('/v1/lots/CR-NONE/refund-list', bearer('operator')).expect(404)).body.error.code).toBe('LOT_NOT_FOUND');
    });
  });

  describe('the development sign-in', () => {
    it('says it is on, and mints an hour’s token for the role and subject picked, which the API takes', async () => {
      expect((await ledger.http().get('/v1/dev/sign-in').expect(200)).body).toEqual({ enabled: true });
      const before = Date.now();
      const minted = await ledger.http().post('/v1/dev/sign-in').set('Content-Type', 'application/json').send({ role: 'center', subject: CENTER }).expect(201);
      expect(minted.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
      const lifetime = Date.parse(minted.body.expiresAt as string) - before;
      expect(lifetime).toBeGreaterThan(3_590_000);
      expect(lifetime).toBeLessThanOrEqual(3_601_000);
      expect(new AccessTokenVerifier({ algorithm: 'HS256', secret: DEVELOPMENT_JWT_SECRET, developmentSecret: true }).verify(minted.body.token as string)).toEqual({ role: 'center', subject: CENTER });
      const lots = await ledger.http().get('/v1/lots').set('Authorization', `Bearer ${minted.body.token as string}`).expect(200);
      expect(lots.body.lots.map((lot: { lotId: string }) => lot.lotId)).toEqual([SEALED_LOT, LOT]);
      // A client that sends an Idempotency-Key on every POST (the console does) is not refused: the sign-in runs no command.
      await ledger.http().post('/v1/dev/sign-in').set('Content-Type', 'application/json').set('Idempotency-Key', 'k-1').send({ role: 'center', subject: CENTER }).expect(201);
    });

    it('refuses a role or subject the API does not have', async () => {
      const send = (body: unknown) => ledger.http().post('/v1/dev/sign-in').set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect((await send({ role: 'admin', subject: 'x' }).expect(400)).body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'role' });
      expect((await send({ role: 'center', subject: 'a b' }).expect(400)).body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'subject' });
      expect((await send({ role: 'center' }).expect(400)).body.error).toMatchObject({ code: 'MISSING_FIELD', field: 'subject' });
      expect((await send({ role: 'center', subject: 'x', admin: true }).expect(400)).body.error).toMatchObject({ code: 'UNKNOWN_FIELD' });
    });
  });
});

describe('routes for the console with a bank’s own secret and without the PDF font (e2e)', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('console-routes-configured', {
      env: { AUTH_JWT_SECRET: 'a-bank-secret-of-at-least-32-bytes-long!', PDF_FONT_PATH: '/nonexistent/font.ttf' },
    });
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('mints no token (403 DEV_SIGN_IN_DISABLED) and says so', async () => {
    expect((await ledger.http().get('/v1/dev/sign-in').expect(200)).body).toEqual({ enabled: false });
    const refused = await ledger.http().post('/v1/dev/sign-in').set('Content-Type', 'application/json').send({ role: 'operator', subject: 'ops' }).expect(403);
    expect(refused.body.error.code).toBe('DEV_SIGN_IN_DISABLED');
  });

  it('answers a PDF with 503 PDF_FONT_UNAVAILABLE naming the font, and the JSON and CSV as usual', async () => {
    const token = (await import('../src/platform/auth/access-token')).mintAccessToken({ role: 'operator', subject: 'ops' }, { secret: 'a-bank-secret-of-at-least-32-bytes-long!' });
    const auth = { Authorization: `Bearer ${token}` };
    await ledger.http().post('/v1/tender-centers').set(auth).send({ centerId: 'CF-C1', name: 'x' }).expect(201);
    await ledger.http().post('/v1/lots').set(auth).send(lotTerms({ lotId: 'CF-L1', centerId: 'CF-C1' })).expect(201);
    const refused = await ledger.http().get('/v1/lots/CF-L1/statement?format=pdf').set(auth).expect(503);
    expect(refused.body.error).toEqual({ code: 'PDF_FONT_UNAVAILABLE', message: expect.stringContaining('/nonexistent/font.ttf') });
    await ledger.http().get('/v1/lots/CF-L1/statement').set(auth).expect(200);
    await ledger.http().get('/v1/lots/CF-L1/statement?format=csv').set(auth).expect(200);
  });
});

/** Two amounts added, by integer fen (no float). */
function sumOfTwo(a: string, b: string): string {
  const fen = (amount: string) => BigInt(amount.replace('.', ''));
  const total = (fen(a) + fen(b)).toString().padStart(3, '0');
  return `${total.slice(0, -2)}.${total.slice(-2)}`;
}
