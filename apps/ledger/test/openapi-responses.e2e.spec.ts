import type { Response, Test } from 'supertest';
import { refundIdFor } from '@app/domain';
import { GracefulShutdown } from '../src/platform/shutdown/graceful-shutdown';
import { bearer } from './support/access-tokens';
import {
  BANK,
  UNISSUED_VIRTUAL_ACCOUNT,
  creditIdOf,
  creditsReceivedAt,
  cstDate,
  cstInstant,
  lotTerms,
  payer,
  plusDays,
  withWrongCheckDigit,
} from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';
import { ResponseContract } from './support/openapi-contract';

/**
 * Every answer of a whole life cycle over HTTP — set-up, credits of every outcome, suspense, reversals,
 * withdrawals, forfeiture, termination, refund redirection, the clock opening the bids, attribution, a
 * refusal to sign, award, refunds, settlements, every query, the probes and error answers of each kind —
 * checked against the OpenAPI document the service serves: status listed, body valid against its schema
 * (no undocumented field), error code listed. At the end every operation of the document has answered.
 */
describe('real answers against the OpenAPI document (e2e)', () => {
  const CENTER = 'OA-C1';
  const OTHER_CENTER = 'OA-C2';
  const MASTER = 'OA-M1';
  const OTHER_MASTER = 'OA-M2';
  /** Awarded once the clock has opened its bids. */
  const L1 = 'OA-L1';
  /** Sealed for ever (opening in 2099), its deposits closing with L1's: withdrawals, forfeiture, termination. */
  const L2 = 'OA-L2';
  /** Accrues on a schedule that starts in 2099: no interest can be computed for it. */
  const L3 = 'OA-L3';
  /** Paid through its lot account without basic accounts (bonds known by payer): attributed after opening; its winner refuses to sign. */
  const L4 = 'OA-L4';

  const ALPHA = payer('6222000077770001', 'Alpha Construction Co');
  const BRAVO = payer('6222000077770002', 'Bravo Engineering Ltd');
  const CHARLIE = payer('6222000077770003', 'Charlie Bridge Works');
  const DELTA = payer('6222000077770004', 'Delta Roads Ltd');
  const SHARED = payer('6222000077770005', 'Echo-Foxtrot joint account');
  const GOLF = payer('6222000077770006', 'Golf Tunnels Ltd');
  const STRANGER = payer('6222000077779999', 'Unrelated Trading Co');

  const t0 = Date.now();
  const ON_TIME = cstInstant(t0);
  const TODAY = cstDate(t0);
  /** L1's, L2's and L4's deposit deadline. */
  const DEADLINE = cstInstant(t0 + 2_000);
  /** A second after it: where the clock stands when CHARLIE withdraws late (a notice may not lie ahead of the clock). */
  const AFTER_DEADLINE = cstInstant(t0 + 3_000);
  const L1_OPENING = cstInstant(t0 + 4_000);
  /** Ten days on, at 10:00: L1's refunds are late, and the lot clock has recorded them overdue. */
  const TEN_DAYS_LATER = plusDays(TODAY, 10);

  let ledger: LedgerHarness;
  let contract: ResponseContract;
  const va = { l1: '', alpha: '', l2: '', l3: '', l4: '' };
  const bond = { l1Alpha: '', l2Bravo: '', l2Charlie: '', l2Stranger: '', l3Bravo: '', l4Golf: '' };

  /** Awaits the request, requires `status`, and checks the answer against the document. */
  async function answer(pending: Test, status: number): Promise<Response> {
    const response = await pending;
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
    contract.check(response);
    return response;
  }

  /** As `answer`, for an error whose code is known. */
  async function refused(pending: Test, status: number, code: string): Promise<void> {
    const response = await answer(pending, status);
    expect(response.body.error.code).toBe(code);
  }

  /** Reads a download (a PDF) as text, so the contract can check it against its `string` schema. */
  const asText = (res: Response, callback: (error: Error | null, body: unknown) => void) => {
    // The parser gets the raw response stream; superagent takes `text` from it.
    const stream = res as unknown as NodeJS.ReadableStream & { text?: string };
    let text = '';
    stream.setEncoding('latin1');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => {
      stream.text = text;
      callback(null, text);
    });
  };

  const center = (centerId = CENTER) => bearer('center', centerId);
  const credit = creditsReceivedAt(ON_TIME, TODAY);

  beforeAll(async () => {
    ledger = await LedgerHarness.start('openapi-responses', { now: t0 });
    contract = new ResponseContract((await ledger.http().get('/docs-json').expect(200)).body);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('set-up: centers, master accounts, rate schedules, lots, virtual accounts, basic accounts', async () => {
    const firstCenter = { centerId: CENTER, name: 'OpenAPI test center' };
    await answer(ledger.post('/v1/tender-centers', firstCenter, { 'Idempotency-Key': 'oa-center-1' }), 201);
    const replayed = await answer(ledger.post('/v1/tender-centers', firstCenter, { 'Idempotency-Key': 'oa-center-1' }), 200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    await refused(ledger.post('/v1/tender-centers', { ...firstCenter, name: 'another' }, { 'Idempotency-Key': 'oa-center-1' }), 409, 'IDEMPOTENCY_CONFLICT');
    await refused(ledger.post('/v1/tender-centers', firstCenter), 409, 'TENDER_CENTER_EXISTS');
    await answer(ledger.post('/v1/tender-centers', { centerId: OTHER_CENTER, name: 'Another center' }), 201);

    const master = (accountNo: string, bankCode = BANK) => ({ bankCode, accountNo, accountName: `custody ${accountNo}` });
    await answer(ledger.post(`/v1/tender-centers/${CENTER}/master-accounts`, master(MASTER)), 201);
    await answer(ledger.post(`/v1/tender-centers/${OTHER_CENTER}/master-accounts`, master(OTHER_MASTER)), 201);
    await refused(ledger.post('/v1/tender-centers/OA-NOWHERE/master-accounts', master('OA-M3')), 404, 'TENDER_CENTER_NOT_FOUND');
    await refused(ledger.post(`/v1/tender-centers/${CENTER}/master-accounts`, master('OA-M4', '999999999999')), 422, 'BANK_NOT_SUPPORTED');
    await refused(ledger.post(`/v1/tender-centers/${CENTER}/master-accounts`, master('OA-M5'), center(OTHER_CENTER)), 403, 'FORBIDDEN_TENANT');

    const schedule = (scheduleId: string, entries: { effectiveFrom: string; annualRate: string }[]) => ({ scheduleId, dayCount: 'ACT/365', entries });
    await answer(ledger.post('/v1/interest-rate-schedules', schedule('OA-RATES', [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }, { effectiveFrom: '2025-01-01', annualRate: '0.003' }])), 201);
    await answer(ledger.post('/v1/interest-rate-schedules', schedule('OA-FROM-2099', [{ effectiveFrom: '2099-01-01', annualRate: '0.0035' }])), 201);
    await refused(
      ledger.post('/v1/interest-rate-schedules', schedule('OA-BACKWARDS', [{ effectiveFrom: '2025-01-01', annualRate: '0.003' }, { effectiveFrom: '2015-10-24', annualRate: '0.0035' }])),
      422,
      'EFFECTIVE_DATES_NOT_INCREASING',
    );
    const rateFrom = (scheduleId: string, effectiveFrom: string) => ledger.post(`/v1/interest-rate-schedules/${scheduleId}/entries`, { effectiveFrom, annualRate: '0.003' });
    await answer(rateFrom('OA-FROM-2099', '2099-07-01'), 201);
    await refused(rateFrom('OA-RATES', plusDays(TODAY, -1)), 422, 'EFFECTIVE_DATE_IN_PAST');
    await refused(rateFrom('OA-FROM-2099', TODAY), 422, 'EFFECTIVE_DATES_NOT_INCREASING');
    await refused(rateFrom('OA-NONE', TODAY), 404, 'RATE_SCHEDULE_NOT_FOUND');

    const l1 = lotTerms({ lotId: L1, centerId: CENTER, depositDeadline: DEADLINE, bidOpeningTime: L1_OPENING });
    await answer(ledger.post('/v1/lots', l1), 201);
    await answer(ledger.post('/v1/lots', lotTerms({ lotId: L2, centerId: CENTER, basicAccountPolicy: 'FLAG', rateScheduleId: 'OA-RATES', depositDeadline: DEADLINE })), 201);
    await answer(ledger.post('/v1/lots', lotTerms({ lotId: L3, centerId: CENTER, basicAccountPolicy: 'FLAG', rateScheduleId: 'OA-FROM-2099' })), 201);
    await answer(ledger.post('/v1/lots', lotTerms({ lotId: L4, centerId: CENTER, basicAccountPolicy: 'OFF', depositDeadline: DEADLINE, bidOpeningTime: L1_OPENING })), 201);
    await refused(ledger.post('/v1/lots', l1), 409, 'LOT_EXISTS');
    await refused(ledger.post('/v1/lots', lotTerms({ lotId: 'OA-LX', centerId: CENTER, bondAmount: '100000.01' })), 422, 'BOND_EXCEEDS_LIMIT');
    await refused(ledger.post('/v1/lots', lotTerms({ lotId: 'OA-LX', centerId: CENTER, bondAmount: '1.5' })), 400, 'INVALID_AMOUNT');
    await refused(ledger.post('/v1/lots', lotTerms({ lotId: 'OA-LX', centerId: CENTER, rateScheduleId: 'OA-NONE' })), 404, 'RATE_SCHEDULE_NOT_FOUND');
    await refused(ledger.post('/v1/lots', lotTerms({ lotId: 'OA-LX', centerId: CENTER }), center(OTHER_CENTER)), 403, 'FORBIDDEN_TENANT');

    va.l1 = (await answer(ledger.post(`/v1/lots/${L1}/virtual-accounts`, { masterAccountNo: MASTER }), 201)).body.virtualAccountNo;
    va.alpha = (await answer(ledger.post(`/v1/lots/${L1}/virtual-accounts`, { masterAccountNo: MASTER, bidderId: 'ALPHA' }), 201)).body.virtualAccountNo;
    va.l2 = (await answer(ledger.post(`/v1/lots/${L2}/virtual-accounts`, { masterAccountNo: MASTER }), 201)).body.virtualAccountNo;
    va.l3 = (await answer(ledger.post(`/v1/lots/${L3}/virtual-accounts`, { masterAccountNo: MASTER }), 201)).body.virtualAccountNo;
    va.l4 = (await answer(ledger.post(`/v1/lots/${L4}/virtual-accounts`, { masterAccountNo: MASTER }), 201)).body.virtualAccountNo;
    await refused(ledger.post(`/v1/lots/${L1}/virtual-accounts`, { masterAccountNo: OTHER_MASTER }), 422, 'MASTER_ACCOUNT_OF_ANOTHER_CENTER');
    await refused(ledger.post(`/v1/lots/${L1}/virtual-accounts`, { masterAccountNo: 'OA-NONE' }), 404, 'MASTER_ACCOUNT_NOT_FOUND');
    await refused(ledger.post('/v1/lots/-bad-/virtual-accounts', { masterAccountNo: MASTER }), 400, 'INVALID_FIELD');

    const declare = (bidderId: string, account: typeof ALPHA) =>
      ledger.post(`/v1/bidders/${bidderId}/basic-account`, { accountNo: account.accountNo, accountName: account.name, bankCode: account.bankCode });
    for (const [bidderId, account] of [['ALPHA', ALPHA], ['BRAVO', BRAVO], ['CHARLIE', CHARLIE], ['DELTA', DELTA], ['ECHO', SHARED], ['FOXTROT', SHARED]] as const) {
      await answer(declare(bidderId, account), 201);
    }
    await refused(declare('ALPHA', ALPHA), 409, 'BASIC_ACCOUNT_ALREADY_DECLARED');
    // A center declares for itself only.
    const hotel = { accountNo: '6222000077770008', accountName: 'Hotel Works Ltd', bankCode: ALPHA.bankCode };
    await answer(ledger.post('/v1/bidders/HOTEL/basic-account', hotel, center()), 201);
    await refused(ledger.post('/v1/bidders/HOTEL/basic-account', { ...hotel, centerId: CENTER }, center(OTHER_CENTER)), 403, 'FORBIDDEN_TENANT');
  });

  it('credits: classified (flagged, without a known bidder), suspended, returned, repeated; malformed ones refused', async () => {
    const alpha = credit('OA-REF-01', ALPHA, va.alpha);
    bond.l1Alpha = (await answer(ledger.post('/v1/inbound-credits', alpha), 201)).body.bondId;
    await answer(ledger.post('/v1/inbound-credits', alpha), 200);
    await refused(ledger.post('/v1/inbound-credits', { ...alpha, amount: '50000.01' }), 409, 'DUPLICATE_BANK_REF');

    const outcome = async (body: object) => (await answer(ledger.post('/v1/inbound-credits', body), 201)).body;
    // The receiving bank named (payeeBankCode), as the ESB may.
    expect(await outcome({ ...credit('OA-REF-02', BRAVO, va.l1, { amount: '30000.00' }), payeeBankCode: BANK })).toMatchObject({ outcome: 'CLASSIFIED', flags: ['AMOUNT_BELOW_BOND'] });
    expect(await outcome(credit('OA-REF-03', CHARLIE, withWrongCheckDigit(va.l1), { amount: '60000.00' }))).toMatchObject({ outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT' });
    expect(await outcome(credit('OA-REF-04', STRANGER, UNISSUED_VIRTUAL_ACCOUNT))).toMatchObject({ outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT' });
    expect(await outcome(credit('OA-REF-05', SHARED, va.l1))).toMatchObject({ outcome: 'SUSPENDED', reason: 'AMBIGUOUS_PAYER' });
    expect(await outcome(credit('OA-REF-06', STRANGER, va.l1))).toMatchObject({ outcome: 'RETURNED', reason: 'NOT_BASIC_ACCOUNT' });
    expect(await outcome({ ...credit('OA-REF-07', DELTA, va.l1), currency: 'USD' })).toMatchObject({ outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' });
    // Received a second after L1's deadline.
    expect(await outcome(credit('OA-REF-08', DELTA, va.l1, { receivedAt: AFTER_DEADLINE }))).toMatchObject({ outcome: 'RETURNED', reason: 'AFTER_DEADLINE' });
    expect(await outcome(credit('OA-REF-09', DELTA, va.l1))).toMatchObject({ outcome: 'CLASSIFIED', bidderId: 'DELTA' });

    bond.l2Bravo = (await outcome(credit('OA-REF-10', BRAVO, va.l2))).bondId;
    bond.l2Charlie = (await outcome(credit('OA-REF-11', CHARLIE, va.l2))).bondId;
    const stranger = await outcome(credit('OA-REF-12', STRANGER, va.l2, { amount: '40000.00' }));
    expect(stranger).toEqual(expect.not.objectContaining({ bidderId: expect.anything() }));
    expect(stranger.flags).toEqual(['NOT_BASIC_ACCOUNT', 'AMOUNT_BELOW_BOND']);
    bond.l2Stranger = stranger.bondId;
    // Valued yesterday: a day of interest, on a schedule with no rate before 2099.
    bond.l3Bravo = (await outcome(credit('OA-REF-13', BRAVO, va.l3, { valueDate: plusDays(TODAY, -1) }))).bondId;
    const golf = await outcome(credit('OA-REF-16', GOLF, va.l4));
    expect(golf).toEqual(expect.not.objectContaining({ bidderId: expect.anything() }));
    bond.l4Golf = golf.bondId;
    // Before opening, attributing a bond answers as for a bond that does not exist.
    await refused(ledger.post(`/v1/bonds/${bond.l4Golf}/attribution`, { bidderId: 'GOLF' }), 404, 'BOND_NOT_FOUND');

    // A package: a new credit, one repeated, one malformed; then the package again under its Idempotency-Key.
    const pkg = { credits: [credit('OA-REF-17', BRAVO, va.l3), alpha, { ...credit('OA-REF-18', BRAVO, va.l3), amount: '1' }] };
    const key = { 'Idempotency-Key': 'oa-package-1' };
    const packaged = (await answer(ledger.post('/v1/inbound-credit-batches', pkg, key), 201)).body.results as Array<{ status: number }>;
    expect(packaged.map(({ status }) => status)).toEqual([201, 200, 400]);
    await answer(ledger.post('/v1/inbound-credit-batches', pkg, key), 200);
    await refused(ledger.post('/v1/inbound-credit-batches', { credits: [] }), 400, 'INVALID_FIELD');

    await refused(ledger.post('/v1/inbound-credits', { ...credit('OA-REF-14', BRAVO, va.l1), amount: '50000' }), 400, 'INVALID_AMOUNT');
    await refused(ledger.post('/v1/inbound-credits', { ...credit('OA-REF-14', BRAVO, va.l1), note: 'x' }), 400, 'UNKNOWN_FIELD');
    const { payer: _payer, ...withoutPayer } = credit('OA-REF-14', BRAVO, va.l1);
    await refused(ledger.post('/v1/inbound-credits', withoutPayer), 400, 'MISSING_FIELD');
    await refused(ledger.post('/v1/inbound-credits', { ...credit('OA-REF-14', BRAVO, va.l1), channel: 'SWIFT' }), 400, 'INVALID_FIELD');
    await refused(ledger.post('/v1/inbound-credits', '{"bankRef":'), 400, 'MALFORMED_JSON');
    await refused(ledger.post('/v1/inbound-credits', '[]'), 400, 'MALFORMED_BODY');
    await refused(ledger.http().post('/v1/inbound-credits').set(bearer('esb')).set('Content-Type', 'text/plain').send('hello'), 400, 'UNSUPPORTED_CONTENT_TYPE');
    await refused(ledger.post('/v1/inbound-credits', credit('OA-REF-14', BRAVO, va.l1), { 'Idempotency-Key': 'two words' }), 400, 'INVALID_IDEMPOTENCY_KEY');
    await refused(ledger.post('/v1/inbound-credits', JSON.stringify({ remittanceInfo: 'x'.repeat(70_000) })), 413, 'PAYLOAD_TOO_LARGE');
    // Money said to have reached a bank this ledger does not serve.
    await refused(ledger.post('/v1/inbound-credits', { ...credit('OA-REF-14', BRAVO, va.l1), payeeBankCode: '999999999999' }), 422, 'BANK_NOT_SUPPORTED');
  });

  it('reversals and suspense resolutions', async () => {
    const reversal = { status: 'REVERSED', bankRef: 'OA-REF-09', reason: 'HVPS returned the payment' };
    await answer(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-REF-09')}/status`, reversal), 201);
    await answer(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-REF-09')}/status`, reversal), 200);
    await refused(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-REF-09')}/status`, { ...reversal, bankRef: 'OA-REF-01' }), 422, 'BANK_REF_MISMATCH');
    await refused(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-NONE')}/status`, { ...reversal, bankRef: 'OA-NONE' }), 404, 'CREDIT_NOT_FOUND');
    // Still in suspense: the money goes back from there.
    await answer(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-REF-05')}/status`, { ...reversal, bankRef: 'OA-REF-05' }), 201);

    const matched = await answer(ledger.post(`/v1/suspense/${creditIdOf('OA-REF-03')}/resolution`, { action: 'MATCH', virtualAccountNo: va.l1 }), 201);
    expect(matched.body).toMatchObject({ status: 'MATCHED', bidderId: 'CHARLIE', flags: ['AMOUNT_ABOVE_BOND'] });
    await refused(ledger.post(`/v1/suspense/${creditIdOf('OA-REF-04')}/resolution`, { action: 'MATCH', virtualAccountNo: UNISSUED_VIRTUAL_ACCOUNT }), 404, 'VIRTUAL_ACCOUNT_NOT_FOUND');
    await refused(ledger.post(`/v1/suspense/${creditIdOf('OA-REF-04')}/resolution`, { action: 'MATCH', virtualAccountNo: withWrongCheckDigit(va.l1) }), 422, 'BAD_CHECK_DIGIT');
    await answer(ledger.post(`/v1/suspense/${creditIdOf('OA-REF-04')}/resolution`, { action: 'RETURN' }), 201);
    await refused(ledger.post(`/v1/suspense/${creditIdOf('OA-REF-04')}/resolution`, { action: 'RETURN' }), 409, 'NOT_IN_SUSPENSE');
    await refused(ledger.post(`/v1/inbound-credits/${creditIdOf('OA-REF-04')}/status`, { ...reversal, bankRef: 'OA-REF-04' }), 422, 'CREDIT_ALREADY_PAID_OUT');
  });

  it('withdrawals, forfeiture, refunds, a failed settlement and termination on a sealed lot', async () => {
    await refused(ledger.post(`/v1/lots/${L2}/award`, { winnerBidderId: 'BRAVO', contractSignedOn: TODAY }), 422, 'BIDS_NOT_OPENED');
    await refused(ledger.post(`/v1/lots/${L2}/signing-refusals`, { bidderId: 'BRAVO', refusedOn: TODAY, reason: 'too early' }), 422, 'BIDS_NOT_OPENED');
    const before = await answer(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'BRAVO', noticeReceivedAt: ON_TIME }), 201);
    expect(before.body).toMatchObject({ beforeDeadline: true, refundDueBy: plusDays(TODAY, 5) });
    await refused(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'BRAVO', noticeReceivedAt: ON_TIME }), 409, 'ALREADY_WITHDRAWN');
    // A notice dated ahead of the ledger's clock (beyond its skew) has not been received.
    await refused(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'CHARLIE', noticeReceivedAt: '2099-07-01T10:00:00+08:00' }), 422, 'INSTANT_IN_FUTURE');
    await ledger.clock.advanceTo(AFTER_DEADLINE);
    const after = await answer(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'CHARLIE', noticeReceivedAt: AFTER_DEADLINE }), 201);
    expect(after.body.beforeDeadline).toBe(false);
    // Sealed, a bidder that paid nothing withdraws like one that paid, and no answer names bonds (docs/security.md).
    const nobody = await answer(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'NOBODY', noticeReceivedAt: ON_TIME }), 201);
    expect(nobody.body).not.toHaveProperty('bondIds');
    await refused(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'ALPHA', noticeReceivedAt: ON_TIME }, center(OTHER_CENTER)), 403, 'FORBIDDEN_TENANT');

    // Sealed, no bond is forfeited, on a recorded ground or not (the ask is recorded).
    await refused(ledger.post(`/v1/bonds/${bond.l2Charlie}/forfeiture`, { reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' }), 422, 'FORFEITURE_NOT_ALLOWED');
    await refused(ledger.post(`/v1/bonds/${bond.l2Bravo}/forfeiture`, { reason: 'not allowed' }), 422, 'FORFEITURE_NOT_ALLOWED');
    await refused(ledger.post('/v1/bonds/nonsense/forfeiture', { reason: 'unknown' }, center()), 404, 'BOND_NOT_FOUND');

    // BRAVO's bond became refundable today, with its withdrawal.
    // Sealed, a run answers alike whatever it instructed; the refunds are read from the lot, as the ESB's topic carries them.
    const instructed = async () => (await ledger.streamEvents(`lot-${L2}`)).flatMap((event) => (event.type === 'RefundInstructed' ? [(event.data as { refundId: string }).refundId] : []));
    expect((await answer(ledger.post(`/v1/lots/${L2}/refunds`, { refundOn: plusDays(TODAY, -1) }), 201)).body).toEqual({ lotId: L2, refundOn: plusDays(TODAY, -1), sealed: true });
    expect(await instructed()).toEqual([]);
    await refused(ledger.post(`/v1/lots/${L2}/refunds`, { refundOn: plusDays(TODAY, 1) }), 422, 'DATE_IN_FUTURE');
    await answer(ledger.post(`/v1/lots/${L2}/refunds`, { refundOn: TODAY }), 201);
    const bravo = { refundId: refundIdFor(L2, bond.l2Bravo, 1) };
    expect(await instructed()).toEqual([bravo.refundId]);
    const failure = { status: 'FAILED', bankRef: 'OA-OUT-01', reason: 'payee account closed' };
    expect((await answer(ledger.post(`/v1/refunds/${bravo.refundId}/settlement`, failure), 201)).body.bondStatus).toBe('REFUND_DUE');
    await answer(ledger.post(`/v1/refunds/${bravo.refundId}/settlement`, failure), 200);
    // BRAVO's other account, on its proof documents.
    const redirection = { accountNo: '6222000077770022', bankCode: BRAVO.bankCode, evidenceRef: 'OA-EVID-01', reason: 'payee account closed' };
    await refused(ledger.post(`/v1/refunds/${bravo.refundId}/redirection`, { ...redirection, accountNo: BRAVO.accountNo }), 422, 'SAME_ACCOUNT');
    await refused(ledger.post('/v1/refunds/nonsense/redirection', redirection), 404, 'REFUND_NOT_FOUND');
    await answer(ledger.post(`/v1/refunds/${bravo.refundId}/redirection`, redirection), 201);
    await answer(ledger.post(`/v1/refunds/${bravo.refundId}/redirection`, redirection), 200);

    await answer(ledger.post(`/v1/lots/${L2}/termination`, { reason: 'tender cancelled' }), 201);
    await refused(ledger.post(`/v1/lots/${L2}/termination`, { reason: 'again' }), 409, 'LOT_ALREADY_TERMINATED');
    await refused(ledger.post(`/v1/lots/${L2}/withdrawals`, { bidderId: 'BRAVO', noticeReceivedAt: ON_TIME }), 422, 'LOT_CLOSED');
    expect((await answer(ledger.post('/v1/inbound-credits', credit('OA-REF-15', DELTA, va.l2)), 201)).body).toMatchObject({ outcome: 'RETURNED', reason: 'LOT_CLOSED' });
    const earlier = (await instructed()).length;
    await answer(ledger.post(`/v1/lots/${L2}/refunds`, { refundOn: TODAY }), 201);
    const retry = (await instructed()).slice(earlier);
    // BRAVO's second attempt (to its other account), CHARLIE's bond (withdrawn late, unforfeited) and the stranger's bond.
    expect(retry).toHaveLength(3);
    for (const [index, refundId] of retry.entries()) {
      await answer(ledger.post(`/v1/refunds/${refundId}/settlement`, { status: 'SETTLED', bankRef: `OA-OUT-1${index}` }), 201);
    }

    await answer(ledger.post(`/v1/lots/${L3}/termination`, { reason: 'no rate' }), 201);
    expect((await answer(ledger.post(`/v1/lots/${L3}/refunds`, { refundOn: TODAY }), 201)).body).toEqual({ lotId: L3, refundOn: TODAY, sealed: true });
  });

  it('attribution, a refusal to sign and its forfeiture once the clock has opened the bids', async () => {
    await ledger.clock.advanceTo(L1_OPENING);
    const attribute = (bidderId: string) => ledger.post(`/v1/bonds/${bond.l4Golf}/attribution`, { bidderId });
    expect((await answer(attribute('GOLF'), 201)).body).toEqual({ lotId: L4, bondId: bond.l4Golf, bidderId: 'GOLF' });
    await answer(attribute('GOLF'), 200);
    await refused(attribute('INDIA'), 409, 'BOND_ALREADY_ATTRIBUTED');

    const refusal = { bidderId: 'GOLF', refusedOn: TODAY, reason: 'declined the contract' };
    await refused(ledger.post(`/v1/lots/${L4}/signing-refusals`, { ...refusal, refusedOn: plusDays(TODAY, 1) }), 422, 'DATE_IN_FUTURE');
    await refused(ledger.post(`/v1/lots/${L4}/signing-refusals`, { ...refusal, bidderId: 'NOBODY' }), 422, 'NO_BOND_FOR_BIDDER');
    expect((await answer(ledger.post(`/v1/lots/${L4}/signing-refusals`, refusal), 201)).body).toMatchObject({ bidderId: 'GOLF', bondIds: [bond.l4Golf] });
    await refused(ledger.post(`/v1/lots/${L4}/signing-refusals`, refusal), 409, 'ALREADY_REFUSED_TO_SIGN');
    await refused(ledger.post(`/v1/lots/${L2}/signing-refusals`, refusal), 422, 'LOT_CLOSED');
    await refused(ledger.post(`/v1/lots/${L4}/award`, { winnerBidderId: 'GOLF', contractSignedOn: TODAY }), 422, 'WINNER_REFUSED_TO_SIGN');
    // The contract's body, {reason}: the ground is the one the lot records (Art. 74).
    expect((await answer(ledger.post(`/v1/bonds/${bond.l4Golf}/forfeiture`, { reason: 'refused to sign' }), 201)).body).toMatchObject({ ground: 'REFUSED_TO_SIGN' });
  });

  it('award, refunds and settlements once the clock has opened the bids', async () => {
    await refused(ledger.post(`/v1/lots/${L1}/award`, { winnerBidderId: 'NOBODY', contractSignedOn: TODAY }), 422, 'NO_BOND_FOR_BIDDER');
    await refused(ledger.post('/v1/lots/OA-NONE/award', { winnerBidderId: 'ALPHA', contractSignedOn: TODAY }, center()), 404, 'LOT_NOT_FOUND');
    await refused(ledger.post(`/v1/lots/${L1}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: plusDays(TODAY, -1) }), 422, 'CONTRACT_BEFORE_BID_OPENING');
    await refused(ledger.post(`/v1/lots/${L1}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: plusDays(TODAY, 1) }), 422, 'DATE_IN_FUTURE');
    await answer(ledger.post(`/v1/lots/${L1}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: TODAY }), 201);
    await refused(ledger.post(`/v1/lots/${L1}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: TODAY }), 409, 'LOT_ALREADY_AWARDED');
    await refused(ledger.post(`/v1/lots/${L1}/termination`, { reason: 'too late' }), 422, 'LOT_ALREADY_AWARDED');

    // Ten days on, past the refunds' limit (contract + 5 days): refunds priced to that day, late.
    await ledger.clock.advanceTo(`${TEN_DAYS_LATER}T10:00:00+08:00`);
    const run = (await answer(ledger.post(`/v1/lots/${L1}/refunds`, { refundOn: TEN_DAYS_LATER }), 201)).body;
    expect(run.notRefunded).toEqual([]);
    const refunds = run.refunds as [{ refundId: string; late: boolean }, { refundId: string }, { refundId: string }];
    expect(refunds[0].late).toBe(true);
    expect(refunds).toHaveLength(3); // ALPHA, BRAVO, CHARLIE from suspense; DELTA's was reversed
    const settlement = { status: 'SETTLED', bankRef: 'OA-OUT-20' };
    await answer(ledger.post(`/v1/refunds/${refunds[0].refundId}/settlement`, settlement), 201);
    await answer(ledger.post(`/v1/refunds/${refunds[0].refundId}/settlement`, settlement), 200);
    await refused(ledger.post(`/v1/refunds/${refunds[0].refundId}/settlement`, { ...settlement, status: 'FAILED' }), 409, 'REFUND_ALREADY_SETTLED');
    await refused(ledger.post('/v1/refunds/nonsense/settlement', settlement), 404, 'REFUND_NOT_FOUND');
    await answer(ledger.post(`/v1/refunds/${refunds[1].refundId}/settlement`, { status: 'SETTLED', bankRef: 'OA-OUT-21' }), 201);
    await refused(ledger.post(`/v1/lots/${L1}/virtual-accounts`, { masterAccountNo: MASTER }), 422, 'LOT_CLOSED');
  });

  it('lots and bonds, sealed and opened', async () => {
    expect((await answer(ledger.get(`/v1/lots/${L1}`, 'center', CENTER), 200)).body).toMatchObject({ sealed: false, bondCount: 3 });
    // Sealed: what its refunds did to the status is withheld (issue #15 item 2).
    expect((await answer(ledger.get(`/v1/lots/${L2}`, 'center', CENTER), 200)).body).toMatchObject({ sealed: true, status: 'TERMINATED' });
    await refused(ledger.get(`/v1/lots/${L1}`, 'center', OTHER_CENTER), 403, 'FORBIDDEN_TENANT');
    await refused(ledger.get('/v1/lots/OA-NONE', 'operator'), 404, 'LOT_NOT_FOUND');
    await refused(ledger.get('/v1/lots/-bad-', 'operator'), 400, 'INVALID_FIELD');

    await answer(ledger.get(`/v1/lots/${L1}/bonds`, 'center', CENTER), 200);
    await answer(ledger.get(`/v1/lots/${L2}/bonds`, 'operator'), 200);
    await refused(ledger.get(`/v1/lots/${L2}/bonds`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    const [noRate] = (await answer(ledger.get(`/v1/lots/${L3}/bonds`, 'auditor'), 200)).body.bonds;
    expect(noRate.interestError).toMatchObject({ reason: 'NO_RATE_FOR_DATE' });
    expect(noRate.refundBlocked).toMatchObject({ reason: 'NO_RATE_FOR_DATE' });

    await answer(ledger.get(`/v1/bonds/${bond.l1Alpha}`, 'bidder', 'ALPHA'), 200);
    await refused(ledger.get(`/v1/bonds/${bond.l1Alpha}`, 'bidder', 'BRAVO'), 404, 'BOND_NOT_FOUND');
    await answer(ledger.get(`/v1/bonds/${bond.l1Alpha}`, 'center', CENTER), 200);
    // Withdrawn after the deadline, but no bond is forfeited while sealed: the termination refunded it.
    expect((await answer(ledger.get(`/v1/bonds/${bond.l2Charlie}`, 'operator'), 200)).body).toMatchObject({ status: 'REFUNDED', forfeitable: true });
    await answer(ledger.get(`/v1/bonds/${bond.l2Stranger}`, 'auditor'), 200);
    // Attributed after opening, the bidder sees it.
    expect((await answer(ledger.get(`/v1/bonds/${bond.l4Golf}`, 'bidder', 'GOLF'), 200)).body).toMatchObject({ status: 'FORFEITED', forfeitureGround: 'REFUSED_TO_SIGN' });
    await refused(ledger.get(`/v1/bonds/${bond.l2Bravo}`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get(`/v1/bonds/${bond.l3Bravo}`, 'center', OTHER_CENTER), 403, 'FORBIDDEN_TENANT');
  });

  it('balances, suspense and refunds', async () => {
    await answer(ledger.get(`/v1/virtual-accounts/${va.l1}/balance`, 'center', CENTER), 200);
    expect((await answer(ledger.get(`/v1/virtual-accounts/${va.alpha}/balance`, 'auditor'), 200)).body.bidderId).toBe('ALPHA');
    await refused(ledger.get(`/v1/virtual-accounts/${va.l2}/balance`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get(`/v1/virtual-accounts/${UNISSUED_VIRTUAL_ACCOUNT}/balance`, 'operator'), 404, 'VIRTUAL_ACCOUNT_NOT_FOUND');
    await refused(ledger.get('/v1/virtual-accounts/-bad-/balance', 'operator'), 400, 'INVALID_FIELD');

    await answer(ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', CENTER), 200);
    await answer(ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'operator'), 200);
    await refused(ledger.get(`/v1/master-accounts/${MASTER}/balance`, 'center', OTHER_CENTER), 403, 'FORBIDDEN_TENANT');
    await refused(ledger.get('/v1/master-accounts/OA-NONE/balance', 'operator'), 404, 'MASTER_ACCOUNT_NOT_FOUND');
    await refused(ledger.get('/v1/master-accounts/-bad-/balance', 'operator'), 400, 'INVALID_FIELD');

    const suspense = (await answer(ledger.get('/v1/suspense', 'operator'), 200)).body;
    expect(suspense.items.map((item: { status: string }) => item.status).sort()).toEqual(['MATCHED', 'RETURNED', 'REVERSED']);
    await answer(ledger.get(`/v1/suspense?status=MATCHED&bankCode=${BANK}`, 'auditor'), 200);
    await refused(ledger.get('/v1/suspense?status=LOST', 'operator'), 400, 'INVALID_QUERY');
    await refused(ledger.get('/v1/suspense', 'center', CENTER), 403, 'FORBIDDEN_ROLE');

    // ECHO and FOXTROT both declared one account.
    const { conflicts } = (await answer(ledger.get('/v1/basic-account-conflicts', 'operator'), 200)).body;
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'ACCOUNT_SHARED', accountNo: SHARED.accountNo })]);
    await answer(ledger.get('/v1/basic-account-conflicts', 'auditor'), 200);
    await refused(ledger.get('/v1/basic-account-conflicts', 'center', CENTER), 403, 'FORBIDDEN_ROLE');

    // The center's overdue refunds: its opened lot's (L1's third refund is still unsettled), not its sealed lots'.
    const forCenter = (await answer(ledger.get('/v1/refunds', 'center', CENTER), 200)).body.overdue as { lotId: string }[];
    expect(forCenter.length).toBeGreaterThan(0);
    expect(new Set(forCenter.map((item) => item.lotId))).toEqual(new Set([L1]));
    // L3's bond, due since its termination and never refundable (no rate), is overdue.
    const overdue = (await answer(ledger.get(`/v1/refunds?lotId=${L3}`, 'operator'), 200)).body.overdue;
    expect(overdue).toEqual([expect.objectContaining({ bondId: bond.l3Bravo, bondStatus: 'REFUND_DUE', open: true })]);
    expect((await answer(ledger.get(`/v1/refunds?lotId=${L2}&status=FAILED`, 'operator'), 200)).body.refunds[0]).toMatchObject({ failureReason: 'payee account closed' });
    await refused(ledger.get(`/v1/refunds?lotId=${L2}`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get('/v1/refunds?lotId=OA-NONE', 'operator'), 404, 'LOT_NOT_FOUND');
    await refused(ledger.get('/v1/refunds?status=LOST', 'operator'), 400, 'INVALID_QUERY');
  });

  it("the console's lists, documents and refund preview (issue #16)", async () => {
    expect((await answer(ledger.get('/v1/lots', 'center', CENTER), 200)).body.lots.length).toBeGreaterThan(1);
    await answer(ledger.get(`/v1/lots?centerId=${OTHER_CENTER}`, 'operator'), 200);
    await refused(ledger.get(`/v1/lots?centerId=${OTHER_CENTER}`, 'center', CENTER), 403, 'FORBIDDEN_TENANT');
    await refused(ledger.get('/v1/lots?centerId=-bad-', 'operator'), 400, 'INVALID_QUERY');
    await answer(ledger.get('/v1/bidders/ALPHA/bonds', 'bidder', 'ALPHA'), 200);
    await answer(ledger.get('/v1/bidders/BRAVO/bonds', 'operator'), 200);
    await refused(ledger.get('/v1/bidders/BRAVO/bonds', 'bidder', 'ALPHA'), 403, 'FORBIDDEN_TENANT');
    await refused(ledger.get('/v1/bidders/-bad-/bonds', 'operator'), 400, 'INVALID_FIELD');
    await answer(ledger.get('/v1/master-accounts', 'center', CENTER), 200);
    await answer(ledger.get('/v1/master-accounts', 'auditor'), 200);
    await answer(ledger.get('/v1/interest-rate-schedules', 'bidder', 'ALPHA'), 200);

    const statement = (await answer(ledger.get(`/v1/lots/${L1}/statement`, 'center', CENTER), 200)).body;
    expect(statement.totals.credited).not.toBe('0.00');
    await answer(ledger.get(`/v1/lots/${L1}/statement?format=csv`, 'center', CENTER), 200);
    await answer(ledger.get(`/v1/lots/${L2}/statement?format=pdf`, 'operator').parse(asText), 200);
    await refused(ledger.get(`/v1/lots/${L2}/statement`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get(`/v1/lots/${L1}/statement?format=doc`, 'center', CENTER), 400, 'INVALID_QUERY');
    await refused(ledger.get('/v1/lots/-bad-/statement', 'operator'), 400, 'INVALID_FIELD');
    await refused(ledger.get('/v1/lots/OA-NONE/statement', 'operator'), 404, 'LOT_NOT_FOUND');

    await answer(ledger.get(`/v1/bonds/${bond.l1Alpha}/certificate`, 'bidder', 'ALPHA').parse(asText), 200);
    await refused(ledger.get(`/v1/bonds/${bond.l1Alpha}/certificate`, 'bidder', 'BRAVO'), 404, 'BOND_NOT_FOUND');
    await refused(ledger.get(`/v1/bonds/${bond.l2Bravo}/certificate`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get(`/v1/bonds/${bond.l3Bravo}/certificate`, 'center', OTHER_CENTER), 403, 'FORBIDDEN_TENANT');

    await answer(ledger.get(`/v1/lots/${L1}/refund-preview`, 'center', CENTER), 200);
    await answer(ledger.get(`/v1/lots/${L3}/refund-preview?refundOn=${TEN_DAYS_LATER}`, 'operator'), 200);
    await refused(ledger.get(`/v1/lots/${L1}/refund-preview?refundOn=${plusDays(TEN_DAYS_LATER, 2)}`, 'center', CENTER), 422, 'DATE_IN_FUTURE');
    await refused(ledger.get(`/v1/lots/${L1}/refund-preview?refundOn=soon`, 'center', CENTER), 400, 'INVALID_QUERY');
    await refused(ledger.get(`/v1/lots/${L2}/refund-preview`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
    await refused(ledger.get('/v1/lots/OA-NONE/refund-preview', 'operator'), 404, 'LOT_NOT_FOUND');

    expect((await answer(ledger.get(`/v1/lots/${L1}/refund-list`, 'center', CENTER), 200)).body.refunds.length).toBeGreaterThan(0);
    await answer(ledger.get(`/v1/lots/${L2}/refund-list?format=csv`, 'auditor'), 200);
    await answer(ledger.get(`/v1/lots/${L1}/refund-list?format=pdf`, 'center', CENTER).parse(asText), 200);
    await refused(ledger.get(`/v1/lots/${L2}/refund-list`, 'center', CENTER), 403, 'SEALED_UNTIL_BID_OPENING');
  });

  it('the raw event log, every event of it', async () => {
    expect((await answer(ledger.get(`/v1/streams/lot-${L1}?maxCount=2`, 'auditor'), 200)).body.nextRevision).toBe('2');
    await answer(ledger.get(`/v1/streams/lot-${L1}?fromRevision=2`, 'auditor'), 200);
    await refused(ledger.get('/v1/streams/lot-OA-NONE', 'auditor'), 404, 'STREAM_NOT_FOUND');
    await refused(ledger.get('/v1/streams/-bad-', 'auditor'), 400, 'INVALID_FIELD');
    await refused(ledger.get(`/v1/streams/lot-${L1}?maxCount=0`, 'auditor'), 400, 'INVALID_QUERY');

    let from: string | undefined = '0';
    let pages = 0;
    while (from !== undefined) {
      const page: Response = await answer(ledger.get(`/v1/events?fromPosition=${from}&maxCount=25`, 'auditor'), 200);
      from = page.body.nextPosition;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    await refused(ledger.get('/v1/events?fromPosition=first', 'auditor'), 400, 'INVALID_QUERY');
  });

  it('refuses callers without a valid token or role', async () => {
    await refused(ledger.http().get('/v1/refunds'), 401, 'UNAUTHENTICATED');
    await refused(ledger.http().get('/v1/refunds').set('Authorization', 'Bearer not.a.token'), 401, 'INVALID_TOKEN');
    await refused(ledger.get(`/v1/lots/${L1}`, 'bidder', 'ALPHA'), 403, 'FORBIDDEN_ROLE');
    await refused(ledger.post('/v1/tender-centers', { centerId: 'OA-C9', name: 'x' }, bearer('esb')), 403, 'FORBIDDEN_ROLE');
  });

  it('probes, with the store answering and not (metrics have a listener of their own, outside the API)', async () => {
    await answer(ledger.http().get('/health'), 200);
    await answer(ledger.http().get('/health/live'), 200);
    await answer(ledger.http().get('/health/ready'), 200);

    jest.spyOn(ledger.store, 'ping').mockRejectedValue(new Error('store unreachable'));
    try {
      await answer(ledger.http().get('/health'), 503);
      await answer(ledger.http().get('/health/ready'), 503);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('answers 503 SHUTTING_DOWN once the instance stops', async () => {
    await ledger.app.get(GracefulShutdown).onModuleDestroy();
    await refused(ledger.http().get('/health/ready'), 503, 'SHUTTING_DOWN');
    await refused(ledger.get('/v1/suspense', 'operator'), 503, 'SHUTTING_DOWN');
    await refused(ledger.post(`/v1/lots/${L1}/refunds`, { refundOn: TODAY }), 503, 'SHUTTING_DOWN');
  });

  it('has heard every operation of the document answer', () => {
    expect(contract.unanswered()).toEqual([]);
  });
});
