import { bondIdFor, refundIdFor } from '@app/domain';
import {
  BANK,
  UNISSUED_VIRTUAL_ACCOUNT,
  creditIdOf,
  creditsReceivedAt,
  cstDate,
  deadlineAndOpeningOn,
  lotTerms,
  payer,
  plusDays,
  withWrongCheckDigit,
} from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * Every command route refuses bad input with the documented status and `{error: {code, message, field}}`,
 * and a refused request never changes the store: the number of events read back from `readAll()` is the
 * same before and after. Each case is one defect in an otherwise valid body; the last test posts those
 * valid bodies and sees them accepted, so every refusal is due to its defect alone.
 */
describe('bad input never changes state (e2e)', () => {
  const CENTER = 'BI-PRC';
  const OTHER_CENTER = 'BI-OTHER';
  const MASTER = '44201500000000000004';
  const OTHER_MASTER = '44201500000000000005';
  const FUTURE = 'BI-FUTURE'; // deadline and opening far ahead
  const OPENED = 'BI-OPENED'; // deadline and opening past; awarded; its refund failed
  const NO_SUCH_LOT = 'BI-NO-SUCH-LOT';
  const B1 = payer('6222000044440001', 'Bad Input Builders');
  const D = cstDate(Date.now());
  /** The test clock starts at noon of D, after every instant of D the bodies name. */
  const T0 = Date.parse(`${D}T12:00:00+08:00`);
  const OPENED_VALUE_DATE = plusDays(D, -5);

  const bondOnFuture = bondIdFor(FUTURE, 'B1', B1.bankCode, B1.accountNo);
  const bondOnOpened = bondIdFor(OPENED, 'B1', B1.bankCode, B1.accountNo);
  const failedRefund = refundIdFor(OPENED, bondOnOpened, 1);

  let ledger: LedgerHarness;
  const va = { future: '', opened: '', otherCenter: '' };

  beforeAll(async () => {
    ledger = await LedgerHarness.start('bad-input', { now: T0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.registerCenterWithMasterAccount(OTHER_CENTER, OTHER_MASTER);
    await ledger.declareBasicAccount('B1', B1);

    va.future = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: FUTURE, centerId: CENTER }), MASTER);
    const early = creditsReceivedAt(`${D}T08:00:00+08:00`);
    await ledger.postCredit(early('HVPSBI0001', B1, va.future)).then((response) => expect(response.body).toMatchObject({ outcome: 'CLASSIFIED', bondId: bondOnFuture }));
    await ledger.postCredit(early('HVPSBI0002', B1, UNISSUED_VIRTUAL_ACCOUNT, { amount: '10.00' })).then((response) => expect(response.body).toMatchObject({ outcome: 'SUSPENDED' }));

    va.opened = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: OPENED, centerId: CENTER, ...deadlineAndOpeningOn(plusDays(D, -3)) }), MASTER);
    await ledger.postCredit(creditsReceivedAt(`${OPENED_VALUE_DATE}T10:00:00+08:00`)('HVPSBI0003', B1, va.opened));
    await ledger.clock.advanceBy(1_000); // the lot clock's next tick records the past deadline and opening
    await ledger.post(`/v1/lots/${OPENED}/award`, { winnerBidderId: 'B1', contractSignedOn: plusDays(D, -2) }).expect(201);
    const run = await ledger.post(`/v1/lots/${OPENED}/refunds`, { refundOn: D }).expect(201);
    expect(run.body.refunds[0].refundId).toBe(failedRefund);
    await ledger.post(`/v1/refunds/${failedRefund}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUTBI0001', reason: 'account closed' }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  const without = <T extends object>(body: T, field: keyof T) => {
    const copy: Partial<T> = { ...body };
    delete copy[field];
    return copy;
  };

  // Valid bodies, built when the fixture is in place.
  const valid = {
    center: () => ({ centerId: 'BI-NEW', name: 'New tender center' }),
    master: () => ({ bankCode: BANK, accountNo: '44201500000000000099', accountName: 'New custody account' }),
    schedule: () => ({ scheduleId: 'BI-SCHEDULE', dayCount: 'ACT/365', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] }),
    lot: () => lotTerms({ lotId: 'BI-NEW-LOT', centerId: CENTER }),
    virtualAccount: () => ({ masterAccountNo: MASTER, bidderId: 'B2', bankCode: BANK }),
    basicAccount: () => ({ accountNo: '6222000044440002', accountName: 'Second Bidder Ltd', bankCode: B1.bankCode }),
    credit: () => creditsReceivedAt(`${D}T09:00:00+08:00`)('HVPSBI0099', B1, va.future, { payeeBankCode: BANK }),
    creditStatus: () => ({ status: 'REVERSED', bankRef: 'HVPSBI0001', reason: 'not settled' }),
    resolution: () => ({ action: 'RETURN' }),
    withdrawal: () => ({ bidderId: 'B1', noticeReceivedAt: `${D}T09:00:00+08:00` }),
    award: () => ({ winnerBidderId: 'B1', contractSignedOn: D }),
    reason: () => ({ reason: 'project cancelled' }),
    forfeiture: () => ({ reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' }),
    refundRun: () => ({ refundOn: D }),
    settlement: () => ({ status: 'SETTLED', bankRef: 'HVPSOUTBI0002' }),
  };

  type Case = [name: string, path: string, body: () => object | string, status: number, code: string, field?: string | undefined];
  const MALFORMED = () => '{"reason": "unterminated",';
  /**
   * `body` as JSON text in which `member` (`"name":value`, as JSON.stringify writes it) is followed by
   * `again`, a member of the same name: JSON.parse would keep the last value, a bank's parser the first.
   */
  const twice = (body: object, member: string, again: string) => {
    const text = JSON.stringify(body);
    if (!text.includes(member)) throw new Error(`${member} is not in ${text}`);
    return text.replace(member, `${member},${again}`);
  };

  const cases: Record<string, Case[]> = {
    'POST /v1/tender-centers': [
      ['malformed JSON', '/v1/tender-centers', MALFORMED, 400, 'MALFORMED_JSON'],
      ['a member named twice', '/v1/tender-centers', () => twice(valid.center(), '"centerId":"BI-NEW"', '"centerId":"BI-NEW-2"'), 400, 'DUPLICATE_KEY', 'centerId'],
      ['an array body', '/v1/tender-centers', () => [valid.center()], 400, 'MALFORMED_BODY'],
      ['name as a number', '/v1/tender-centers', () => ({ ...valid.center(), name: 42 }), 400, 'INVALID_FIELD', 'name'],
      ['an empty name', '/v1/tender-centers', () => ({ ...valid.center(), name: '' }), 400, 'INVALID_FIELD', 'name'],
      ['centerId not an identifier', '/v1/tender-centers', () => ({ ...valid.center(), centerId: 'BI NEW' }), 400, 'INVALID_FIELD', 'centerId'],
      ['an unknown field', '/v1/tender-centers', () => ({ ...valid.center(), city: 'Shenzhen' }), 400, 'UNKNOWN_FIELD', 'city'],
      ['no centerId', '/v1/tender-centers', () => without(valid.center(), 'centerId'), 400, 'MISSING_FIELD', 'centerId'],
      ['an existing center', '/v1/tender-centers', () => ({ ...valid.center(), centerId: CENTER }), 409, 'TENDER_CENTER_EXISTS', 'centerId'],
    ],
    'POST /v1/tender-centers/{centerId}/master-accounts': [
      ['malformed JSON', `/v1/tender-centers/${CENTER}/master-accounts`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['accountNo as a number', `/v1/tender-centers/${CENTER}/master-accounts`, () => ({ ...valid.master(), accountNo: 442015 }), 400, 'INVALID_FIELD', 'accountNo'],
      ['an unknown field', `/v1/tender-centers/${CENTER}/master-accounts`, () => ({ ...valid.master(), iban: 'CN00' }), 400, 'UNKNOWN_FIELD', 'iban'],
      ['no accountName', `/v1/tender-centers/${CENTER}/master-accounts`, () => without(valid.master(), 'accountName'), 400, 'MISSING_FIELD', 'accountName'],
      ['a bad centerId in the path', '/v1/tender-centers/%20bad/master-accounts', valid.master, 400, 'INVALID_FIELD', 'centerId'],
      ['an unknown center', '/v1/tender-centers/BI-NOBODY/master-accounts', valid.master, 404, 'TENDER_CENTER_NOT_FOUND', 'centerId'],
      ['an account already opened', `/v1/tender-centers/${CENTER}/master-accounts`, () => ({ ...valid.master(), accountNo: OTHER_MASTER }), 409, 'MASTER_ACCOUNT_EXISTS', 'accountNo'],
      ['a bank this ledger does not serve', `/v1/tender-centers/${CENTER}/master-accounts`, () => ({ ...valid.master(), bankCode: '999999999999' }), 422, 'BANK_NOT_SUPPORTED', 'bankCode'],
    ],
    'POST /v1/interest-rate-schedules': [
      ['malformed JSON', '/v1/interest-rate-schedules', MALFORMED, 400, 'MALFORMED_JSON'],
      [
        'a rate named twice in the second entry',
        '/v1/interest-rate-schedules',
        () =>
          twice(
            { ...valid.schedule(), entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }, { effectiveFrom: '2026-06-01', annualRate: '0.0030' }] },
            '"annualRate":"0.0030"',
            '"annualRate":"0.0300"',
          ),
        400,
        'DUPLICATE_KEY',
        'entries[1].annualRate',
      ],
      ['an unknown day count', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), dayCount: '30/360' }), 400, 'INVALID_FIELD', 'dayCount'],
      ['no entries', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: [] }), 400, 'INVALID_FIELD', 'entries'],
      ['entries as an object', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: valid.schedule().entries[0] }), 400, 'INVALID_FIELD', 'entries'],
      ['a rate as a number', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: [{ effectiveFrom: '2026-01-01', annualRate: 0.0035 }] }), 400, 'INVALID_FIELD', 'entries[0].annualRate'],
      ['a rate in percent', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.35%' }] }), 400, 'INVALID_FIELD', 'entries[0].annualRate'],
      ['a date that does not exist', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: [{ effectiveFrom: '2026-02-30', annualRate: '0.0035' }] }), 400, 'INVALID_FIELD', 'entries[0].effectiveFrom'],
      ['an unknown entry field', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035', note: 'x' }] }), 400, 'UNKNOWN_FIELD', 'entries[0].note'],
      ['no scheduleId', '/v1/interest-rate-schedules', () => without(valid.schedule(), 'scheduleId'), 400, 'MISSING_FIELD', 'scheduleId'],
      [
        'dates not increasing',
        '/v1/interest-rate-schedules',
        () => ({ ...valid.schedule(), entries: [{ effectiveFrom: '2026-06-01', annualRate: '0.0035' }, { effectiveFrom: '2026-01-01', annualRate: '0.002' }] }),
        422,
        'EFFECTIVE_DATES_NOT_INCREASING',
        'entries[1].effectiveFrom',
      ],
      ['the built-in schedule again', '/v1/interest-rate-schedules', () => ({ ...valid.schedule(), scheduleId: 'PBOC-DEMAND' }), 409, 'RATE_SCHEDULE_EXISTS', 'scheduleId'],
    ],
    'POST /v1/lots': [
      ['malformed JSON', '/v1/lots', MALFORMED, 400, 'MALFORMED_JSON'],
      ['a negative estimatedPrice', '/v1/lots', () => ({ ...valid.lot(), estimatedPrice: '-5000000.00' }), 400, 'INVALID_AMOUNT', 'estimatedPrice'],
      ['a zero bondAmount', '/v1/lots', () => ({ ...valid.lot(), bondAmount: '0.00' }), 400, 'INVALID_AMOUNT', 'bondAmount'],
      ['a bondAmount with 3 decimals', '/v1/lots', () => ({ ...valid.lot(), bondAmount: '50000.005' }), 400, 'INVALID_AMOUNT', 'bondAmount'],
      ['a bondAmount as a number', '/v1/lots', () => ({ ...valid.lot(), bondAmount: 50000 }), 400, 'INVALID_AMOUNT', 'bondAmount'],
      ['a deadline without offset', '/v1/lots', () => ({ ...valid.lot(), depositDeadline: '2099-06-01T09:00:00' }), 400, 'INVALID_FIELD', 'depositDeadline'],
      ['an opening in month 13', '/v1/lots', () => ({ ...valid.lot(), bidOpeningTime: '2099-13-01T09:30:00+08:00' }), 400, 'INVALID_FIELD', 'bidOpeningTime'],
      ['an opening given as a date', '/v1/lots', () => ({ ...valid.lot(), bidOpeningTime: '2099-06-01' }), 400, 'INVALID_FIELD', 'bidOpeningTime'],
      ['an unknown policy', '/v1/lots', () => ({ ...valid.lot(), basicAccountPolicy: 'STRICT' }), 400, 'INVALID_FIELD', 'basicAccountPolicy'],
      ['an unknown field', '/v1/lots', () => ({ ...valid.lot(), currency: 'CNY' }), 400, 'UNKNOWN_FIELD', 'currency'],
      ['no rateScheduleId', '/v1/lots', () => without(valid.lot(), 'rateScheduleId'), 400, 'MISSING_FIELD', 'rateScheduleId'],
      ['an unknown center', '/v1/lots', () => ({ ...valid.lot(), centerId: 'BI-NOBODY' }), 404, 'TENDER_CENTER_NOT_FOUND', 'centerId'],
      ['an unknown rate schedule', '/v1/lots', () => ({ ...valid.lot(), rateScheduleId: 'NO-SUCH-RATES' }), 404, 'RATE_SCHEDULE_NOT_FOUND', 'rateScheduleId'],
      // 2 % of 5000000.00 is 100000.00.
      ['a bond above 2 % of the estimated price', '/v1/lots', () => ({ ...valid.lot(), bondAmount: '100000.01' }), 422, 'BOND_EXCEEDS_LIMIT', 'bondAmount'],
      ['a deadline after the opening', '/v1/lots', () => ({ ...valid.lot(), depositDeadline: '2099-06-01T09:30:01+08:00' }), 422, 'DEADLINE_AFTER_OPENING', 'depositDeadline'],
      // Same instant written in another offset: 01:30Z is 09:30+08:00, so one second later is after the opening.
      ['a deadline after the opening in another offset', '/v1/lots', () => ({ ...valid.lot(), depositDeadline: '2099-06-01T01:30:01Z' }), 422, 'DEADLINE_AFTER_OPENING', 'depositDeadline'],
      ['an existing lot', '/v1/lots', () => ({ ...valid.lot(), lotId: FUTURE }), 409, 'LOT_EXISTS', 'lotId'],
    ],
    'POST /v1/lots/{lotId}/virtual-accounts': [
      ['malformed JSON', `/v1/lots/${FUTURE}/virtual-accounts`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['masterAccountNo as a number', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ masterAccountNo: 442015 }), 400, 'INVALID_FIELD', 'masterAccountNo'],
      ['a bad bidderId', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ ...valid.virtualAccount(), bidderId: '-B2' }), 400, 'INVALID_FIELD', 'bidderId'],
      ['an unknown field', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ ...valid.virtualAccount(), prefix: '955880' }), 400, 'UNKNOWN_FIELD', 'prefix'],
      ['no masterAccountNo', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ bidderId: 'B2' }), 400, 'MISSING_FIELD', 'masterAccountNo'],
      ['a bad lotId in the path', '/v1/lots/bad%20lot/virtual-accounts', valid.virtualAccount, 400, 'INVALID_FIELD', 'lotId'],
      ['an unknown lot', `/v1/lots/${NO_SUCH_LOT}/virtual-accounts`, valid.virtualAccount, 404, 'LOT_NOT_FOUND', 'lotId'],
      ['an unknown master account', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ masterAccountNo: '44201500000000009999' }), 404, 'MASTER_ACCOUNT_NOT_FOUND', 'masterAccountNo'],
      ['another center’s master account', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ masterAccountNo: OTHER_MASTER }), 422, 'MASTER_ACCOUNT_OF_ANOTHER_CENTER', 'masterAccountNo'],
      ['bankCode not an identifier', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ ...valid.virtualAccount(), bankCode: 'BANK 1' }), 400, 'INVALID_FIELD', 'bankCode'],
      ['bankCode as a number', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ ...valid.virtualAccount(), bankCode: 102100099996 }), 400, 'INVALID_FIELD', 'bankCode'],
      ['the master account at a bank that holds none of that number', `/v1/lots/${FUTURE}/virtual-accounts`, () => ({ ...valid.virtualAccount(), bankCode: '999999999999' }), 404, 'MASTER_ACCOUNT_NOT_FOUND', 'masterAccountNo'],
    ],
    'POST /v1/bidders/{bidderId}/basic-account': [
      ['malformed JSON', '/v1/bidders/B2/basic-account', MALFORMED, 400, 'MALFORMED_JSON'],
      ['bankCode as a number', '/v1/bidders/B2/basic-account', () => ({ ...valid.basicAccount(), bankCode: 103100000026 }), 400, 'INVALID_FIELD', 'bankCode'],
      ['an unknown field', '/v1/bidders/B2/basic-account', () => ({ ...valid.basicAccount(), isBasic: true }), 400, 'UNKNOWN_FIELD', 'isBasic'],
      ['no accountName', '/v1/bidders/B2/basic-account', () => without(valid.basicAccount(), 'accountName'), 400, 'MISSING_FIELD', 'accountName'],
      ['a bad bidderId in the path', '/v1/bidders/%2Ebad/basic-account', valid.basicAccount, 400, 'INVALID_FIELD', 'bidderId'],
      ['the same declaration again', '/v1/bidders/B1/basic-account', () => ({ accountNo: B1.accountNo, accountName: B1.name, bankCode: B1.bankCode }), 409, 'BASIC_ACCOUNT_ALREADY_DECLARED', 'accountNo'],
    ],
    'POST /v1/inbound-credits': [
      ['malformed JSON', '/v1/inbound-credits', MALFORMED, 400, 'MALFORMED_JSON'],
      // The issue's body: the ledger would have booked 900000.00, a parser keeping the first value reads 1.00.
      ['an amount named twice', '/v1/inbound-credits', () => twice({ ...valid.credit(), amount: '1.00' }, '"amount":"1.00"', '"amount":"900000.00"'), 400, 'DUPLICATE_KEY', 'amount'],
      ['an amount named twice with the same value', '/v1/inbound-credits', () => twice(valid.credit(), '"amount":"50000.00"', '"amount":"50000.00"'), 400, 'DUPLICATE_KEY', 'amount'],
      ['an amount named twice, once escaped', '/v1/inbound-credits', () => twice(valid.credit(), '"amount":"50000.00"', '"am\\u006funt":"900000.00"'), 400, 'DUPLICATE_KEY', 'amount'],
      ['a payer account named twice', '/v1/inbound-credits', () => twice(valid.credit(), `"accountNo":"${B1.accountNo}"`, '"accountNo":"6222000044449999"'), 400, 'DUPLICATE_KEY', 'payer.accountNo'],
      ['a negative amount', '/v1/inbound-credits', () => ({ ...valid.credit(), amount: '-50000.00' }), 400, 'INVALID_AMOUNT', 'amount'],
      ['a zero amount', '/v1/inbound-credits', () => ({ ...valid.credit(), amount: '0.00' }), 400, 'INVALID_AMOUNT', 'amount'],
      ['an amount with 3 decimals', '/v1/inbound-credits', () => ({ ...valid.credit(), amount: '50000.005' }), 400, 'INVALID_AMOUNT', 'amount'],
      ['an amount as a number', '/v1/inbound-credits', () => ({ ...valid.credit(), amount: 50000 }), 400, 'INVALID_AMOUNT', 'amount'],
      ['an amount in exponent form', '/v1/inbound-credits', () => ({ ...valid.credit(), amount: '5e4' }), 400, 'INVALID_AMOUNT', 'amount'],
      ['receivedAt without offset', '/v1/inbound-credits', () => ({ ...valid.credit(), receivedAt: `${D}T09:00:00` }), 400, 'INVALID_FIELD', 'receivedAt'],
      ['receivedAt with an impossible offset', '/v1/inbound-credits', () => ({ ...valid.credit(), receivedAt: `${D}T09:00:00+25:00` }), 400, 'INVALID_FIELD', 'receivedAt'],
      ['a valueDate that does not exist', '/v1/inbound-credits', () => ({ ...valid.credit(), valueDate: '2026-02-30' }), 400, 'INVALID_FIELD', 'valueDate'],
      ['a valueDate without dashes', '/v1/inbound-credits', () => ({ ...valid.credit(), valueDate: D.replace(/-/g, '') }), 400, 'INVALID_FIELD', 'valueDate'],
      ['an unknown channel', '/v1/inbound-credits', () => ({ ...valid.credit(), channel: 'SWIFT' }), 400, 'INVALID_FIELD', 'channel'],
      ['a lower-case currency', '/v1/inbound-credits', () => ({ ...valid.credit(), currency: 'cny' }), 400, 'INVALID_FIELD', 'currency'],
      ['a bankRef with a space', '/v1/inbound-credits', () => ({ ...valid.credit(), bankRef: 'HVPS BI 0099' }), 400, 'INVALID_FIELD', 'bankRef'],
      ['the payee as a number', '/v1/inbound-credits', () => ({ ...valid.credit(), payeeAccountNo: 955880 }), 400, 'INVALID_FIELD', 'payeeAccountNo'],
      ['no payer', '/v1/inbound-credits', () => without(valid.credit(), 'payer'), 400, 'MISSING_FIELD', 'payer'],
      ['no payer bank', '/v1/inbound-credits', () => ({ ...valid.credit(), payer: without(B1, 'bankCode') }), 400, 'MISSING_FIELD', 'payer.bankCode'],
      ['an unknown payer field', '/v1/inbound-credits', () => ({ ...valid.credit(), payer: { ...B1, iban: 'CN00' } }), 400, 'UNKNOWN_FIELD', 'payer.iban'],
      ['an unknown field', '/v1/inbound-credits', () => ({ ...valid.credit(), fee: '1.00' }), 400, 'UNKNOWN_FIELD', 'fee'],
      ['payeeBankCode not an identifier', '/v1/inbound-credits', () => ({ ...valid.credit(), payeeBankCode: 'BANK 1' }), 400, 'INVALID_FIELD', 'payeeBankCode'],
      ['payeeBankCode as a number', '/v1/inbound-credits', () => ({ ...valid.credit(), payeeBankCode: 102100099996 }), 400, 'INVALID_FIELD', 'payeeBankCode'],
      ['a payee bank this ledger does not serve', '/v1/inbound-credits', () => ({ ...valid.credit(), payeeBankCode: '999999999999' }), 422, 'BANK_NOT_SUPPORTED', 'payeeBankCode'],
      ['a known bankRef with another body', '/v1/inbound-credits', () => ({ ...valid.credit(), bankRef: 'HVPSBI0001' }), 409, 'DUPLICATE_BANK_REF', 'bankRef'],
    ],
    'POST /v1/inbound-credits/{creditId}/status': [
      ['malformed JSON', `/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['a status other than REVERSED', `/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, () => ({ ...valid.creditStatus(), status: 'SETTLED' }), 400, 'INVALID_FIELD', 'status'],
      ['no reason', `/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, () => without(valid.creditStatus(), 'reason'), 400, 'MISSING_FIELD', 'reason'],
      ['an unknown field', `/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, () => ({ ...valid.creditStatus(), amount: '1.00' }), 400, 'UNKNOWN_FIELD', 'amount'],
      ['an unknown credit', `/v1/inbound-credits/${creditIdOf('HVPSNOSUCH')}/status`, () => ({ ...valid.creditStatus(), bankRef: 'HVPSNOSUCH' }), 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['an id this ledger cannot have made', '/v1/inbound-credits/HVPSBI0001/status', valid.creditStatus, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['an id without its bank (C-{bankRef})', '/v1/inbound-credits/C-HVPSBI0001/status', valid.creditStatus, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['the bank reference at a bank this ledger does not serve', `/v1/inbound-credits/${creditIdOf('HVPSBI0001', '999999999999')}/status`, valid.creditStatus, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['another bank reference', `/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, () => ({ ...valid.creditStatus(), bankRef: 'HVPSBI0002' }), 422, 'BANK_REF_MISMATCH', 'bankRef'],
    ],
    'POST /v1/suspense/{creditId}/resolution': [
      ['malformed JSON', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['an unknown action', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'DELETE' }), 400, 'INVALID_FIELD', 'action'],
      ['MATCH without an account', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'MATCH' }), 400, 'MISSING_FIELD', 'virtualAccountNo'],
      ['RETURN with an account', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'RETURN', virtualAccountNo: va.future }), 400, 'INVALID_FIELD', 'virtualAccountNo'],
      ['MATCH to a short number', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'MATCH', virtualAccountNo: '955880' }), 400, 'INVALID_FIELD', 'virtualAccountNo'],
      ['an unknown field', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'RETURN', note: 'x' }), 400, 'UNKNOWN_FIELD', 'note'],
      ['an unknown credit', `/v1/suspense/${creditIdOf('HVPSNOSUCH')}/resolution`, valid.resolution, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['an id without its bank (C-{bankRef})', '/v1/suspense/C-HVPSBI0002/resolution', valid.resolution, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['the bank reference at a bank this ledger does not serve', `/v1/suspense/${creditIdOf('HVPSBI0002', '999999999999')}/resolution`, valid.resolution, 404, 'CREDIT_NOT_FOUND', 'creditId'],
      ['a classified credit', `/v1/suspense/${creditIdOf('HVPSBI0001')}/resolution`, valid.resolution, 409, 'NOT_IN_SUSPENSE', 'creditId'],
      ['MATCH to a number never issued', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'MATCH', virtualAccountNo: UNISSUED_VIRTUAL_ACCOUNT }), 404, 'VIRTUAL_ACCOUNT_NOT_FOUND', 'virtualAccountNo'],
      ['MATCH to a number failing its check digit', `/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, () => ({ action: 'MATCH', virtualAccountNo: withWrongCheckDigit(va.future) }), 422, 'BAD_CHECK_DIGIT', 'virtualAccountNo'],
    ],
    'POST /v1/lots/{lotId}/withdrawals': [
      ['malformed JSON', `/v1/lots/${FUTURE}/withdrawals`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['a notice given as a date', `/v1/lots/${FUTURE}/withdrawals`, () => ({ ...valid.withdrawal(), noticeReceivedAt: D }), 400, 'INVALID_FIELD', 'noticeReceivedAt'],
      ['a notice at 25 o’clock', `/v1/lots/${FUTURE}/withdrawals`, () => ({ ...valid.withdrawal(), noticeReceivedAt: `${D}T25:00:00+08:00` }), 400, 'INVALID_FIELD', 'noticeReceivedAt'],
      ['bidderId as a number', `/v1/lots/${FUTURE}/withdrawals`, () => ({ ...valid.withdrawal(), bidderId: 1 }), 400, 'INVALID_FIELD', 'bidderId'],
      ['no bidderId', `/v1/lots/${FUTURE}/withdrawals`, () => without(valid.withdrawal(), 'bidderId'), 400, 'MISSING_FIELD', 'bidderId'],
      ['an unknown field', `/v1/lots/${FUTURE}/withdrawals`, () => ({ ...valid.withdrawal(), bondId: bondOnFuture }), 400, 'UNKNOWN_FIELD', 'bondId'],
      ['an unknown lot', `/v1/lots/${NO_SUCH_LOT}/withdrawals`, valid.withdrawal, 404, 'LOT_NOT_FOUND', 'lotId'],
    ],
    'POST /v1/lots/{lotId}/award': [
      ['malformed JSON', `/v1/lots/${OPENED}/award`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['a contract date with slashes', `/v1/lots/${OPENED}/award`, () => ({ ...valid.award(), contractSignedOn: D.replace(/-/g, '/') }), 400, 'INVALID_FIELD', 'contractSignedOn'],
      ['a contract date given as an instant', `/v1/lots/${OPENED}/award`, () => ({ ...valid.award(), contractSignedOn: `${D}T10:00:00+08:00` }), 400, 'INVALID_FIELD', 'contractSignedOn'],
      ['no winner', `/v1/lots/${OPENED}/award`, () => without(valid.award(), 'winnerBidderId'), 400, 'MISSING_FIELD', 'winnerBidderId'],
      ['an unknown field', `/v1/lots/${OPENED}/award`, () => ({ ...valid.award(), price: '1.00' }), 400, 'UNKNOWN_FIELD', 'price'],
      ['an unknown lot', `/v1/lots/${NO_SUCH_LOT}/award`, valid.award, 404, 'LOT_NOT_FOUND', 'lotId'],
      ['a lot already awarded', `/v1/lots/${OPENED}/award`, valid.award, 409, 'LOT_ALREADY_AWARDED'],
    ],
    'POST /v1/lots/{lotId}/termination': [
      ['malformed JSON', `/v1/lots/${FUTURE}/termination`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['an empty reason', `/v1/lots/${FUTURE}/termination`, () => ({ reason: '' }), 400, 'INVALID_FIELD', 'reason'],
      ['a reason as a number', `/v1/lots/${FUTURE}/termination`, () => ({ reason: 7 }), 400, 'INVALID_FIELD', 'reason'],
      ['no reason', `/v1/lots/${FUTURE}/termination`, () => ({}), 400, 'MISSING_FIELD', 'reason'],
      ['a null body', `/v1/lots/${FUTURE}/termination`, () => 'null', 400, 'MALFORMED_BODY'],
      ['an unknown field', `/v1/lots/${FUTURE}/termination`, () => ({ ...valid.reason(), terminatedAt: `${D}T09:00:00+08:00` }), 400, 'UNKNOWN_FIELD', 'terminatedAt'],
      ['an unknown lot', `/v1/lots/${NO_SUCH_LOT}/termination`, valid.reason, 404, 'LOT_NOT_FOUND', 'lotId'],
      ['an awarded lot', `/v1/lots/${OPENED}/termination`, valid.reason, 422, 'LOT_ALREADY_AWARDED'],
    ],
    'POST /v1/bonds/{bondId}/forfeiture': [
      ['malformed JSON', `/v1/bonds/${bondOnFuture}/forfeiture`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['no reason', `/v1/bonds/${bondOnFuture}/forfeiture`, () => ({ ground: 'WITHDRAWN_AFTER_DEADLINE' }), 400, 'MISSING_FIELD', 'reason'],
      ['an unknown ground', `/v1/bonds/${bondOnFuture}/forfeiture`, () => ({ reason: 'x', ground: 'CENTER_WISHES' }), 400, 'INVALID_FIELD', 'ground'],
      ['an unknown field', `/v1/bonds/${bondOnFuture}/forfeiture`, () => ({ ...valid.forfeiture(), amount: '1.00' }), 400, 'UNKNOWN_FIELD', 'amount'],
      ['an id this ledger cannot have made', '/v1/bonds/not-a-bond/forfeiture', valid.forfeiture, 404, 'BOND_NOT_FOUND', 'bondId'],
      ['an unknown bond of an opened lot', `/v1/bonds/B-0000000000000000-${OPENED}/forfeiture`, valid.forfeiture, 404, 'BOND_NOT_FOUND', 'bondId'],
      ['a bond id naming a lot that does not exist', `/v1/bonds/B-0000000000000000-${NO_SUCH_LOT}/forfeiture`, valid.forfeiture, 404, 'BOND_NOT_FOUND', 'bondId'],
      ['a bond with no ground recorded', `/v1/bonds/${bondOnOpened}/forfeiture`, valid.forfeiture, 422, 'FORFEITURE_NOT_ALLOWED', 'bondId'],
    ],
    'POST /v1/lots/{lotId}/refunds': [
      ['malformed JSON', `/v1/lots/${OPENED}/refunds`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['a refundOn that does not exist', `/v1/lots/${OPENED}/refunds`, () => ({ refundOn: '2026-02-30' }), 400, 'INVALID_FIELD', 'refundOn'],
      ['a refundOn given as an instant', `/v1/lots/${OPENED}/refunds`, () => ({ refundOn: `${D}T10:00:00+08:00` }), 400, 'INVALID_FIELD', 'refundOn'],
      ['no refundOn', `/v1/lots/${OPENED}/refunds`, () => ({}), 400, 'MISSING_FIELD', 'refundOn'],
      ['an unknown field', `/v1/lots/${OPENED}/refunds`, () => ({ ...valid.refundRun(), interest: '0.00' }), 400, 'UNKNOWN_FIELD', 'interest'],
      ['an unknown lot', `/v1/lots/${NO_SUCH_LOT}/refunds`, valid.refundRun, 404, 'LOT_NOT_FOUND', 'lotId'],
      // Before a value date, and so before the award made the bonds refundable: the earlier rule answers (refund-rules.ts).
      ['a refundOn before a value date', `/v1/lots/${OPENED}/refunds`, () => ({ refundOn: plusDays(OPENED_VALUE_DATE, -1) }), 422, 'REFUND_BEFORE_REFUNDABLE', 'refundOn'],
    ],
    'POST /v1/refunds/{refundId}/settlement': [
      ['malformed JSON', `/v1/refunds/${failedRefund}/settlement`, MALFORMED, 400, 'MALFORMED_JSON'],
      ['an unknown status', `/v1/refunds/${failedRefund}/settlement`, () => ({ ...valid.settlement(), status: 'DONE' }), 400, 'INVALID_FIELD', 'status'],
      ['no bankRef', `/v1/refunds/${failedRefund}/settlement`, () => without(valid.settlement(), 'bankRef'), 400, 'MISSING_FIELD', 'bankRef'],
      ['an unknown field', `/v1/refunds/${failedRefund}/settlement`, () => ({ ...valid.settlement(), amount: '1.00' }), 400, 'UNKNOWN_FIELD', 'amount'],
      ['an id this ledger cannot have made', '/v1/refunds/R-nope/settlement', valid.settlement, 404, 'REFUND_NOT_FOUND', 'refundId'],
      ['an unknown refund of a known lot', `/v1/refunds/R-0000000000000000-${OPENED}/settlement`, valid.settlement, 404, 'REFUND_NOT_FOUND', 'refundId'],
      ['a refund id naming a lot that does not exist', `/v1/refunds/R-0000000000000000-${NO_SUCH_LOT}/settlement`, valid.settlement, 404, 'REFUND_NOT_FOUND', 'refundId'],
      ['a report contradicting the first', `/v1/refunds/${failedRefund}/settlement`, valid.settlement, 409, 'REFUND_ALREADY_SETTLED', 'status'],
    ],
  };

  describe.each(Object.entries(cases))('%s', (_route, table) => {
    // Every row with 6 entries: jest-each passes `done` in place of a missing last argument.
    const rows = table.map(([name, path, body, status, code, field]): Case => [name, path, body, status, code, field]);
    it.each(rows)('refuses %s', async (_name, path, body, status, code, field) => {
      const count = await ledger.eventCount();
      const response = await ledger.post(path, body());
      expect({ status: response.status, body: response.body }).toEqual({
        status,
        body: { error: { code, message: expect.any(String), ...(field === undefined ? {} : { field }) } },
      });
      expect(response.body.error.message).not.toBe('');
      expect(await ledger.eventCount()).toBe(count);
    });
  });

  /**
   * Well-formed asks about a sealed lot that the seal answers alike whether anyone paid (docs/security.md):
   * they change nothing but record the ask (SealedLotAsked), so a center's probing leaves a trail.
   */
  it.each([
    ['a bidder without a bond withdraws (recorded like one with a bond)', `/v1/lots/${FUTURE}/withdrawals`, () => ({ ...valid.withdrawal(), bidderId: 'B9' }), 201, 'BidderWithdrew'],
    ['an award before the bids are opened', `/v1/lots/${FUTURE}/award`, valid.award, 422, 'SealedLotAsked'],
    ['a forfeiture of an unknown bond', `/v1/bonds/B-0000000000000000-${FUTURE}/forfeiture`, valid.forfeiture, 422, 'SealedLotAsked'],
    ['a forfeiture of a paid bond', `/v1/bonds/${bondOnFuture}/forfeiture`, valid.forfeiture, 422, 'SealedLotAsked'],
    ['a refund run with nothing due', `/v1/lots/${FUTURE}/refunds`, valid.refundRun, 201, 'SealedLotAsked'],
  ] as const)('on a sealed lot, answers %s alike and records one event', async (_name, path, body, status, recorded) => {
    const count = await ledger.eventCount();
    const response = await ledger.post(path, body());
    expect(response.status).toBe(status);
    expect(await ledger.eventCount()).toBe(count + 1);
    expect((await ledger.lastEvent(`lot-${FUTURE}`)).type).toBe(recorded);
  });

  it('refuses a malformed Idempotency-Key before running the command', async () => {
    const count = await ledger.eventCount();
    const response = await ledger.post('/v1/tender-centers', valid.center(), { 'Idempotency-Key': 'has a space' }).expect(400);
    expect(response.body).toEqual({ error: { code: 'INVALID_IDEMPOTENCY_KEY', message: expect.any(String), field: 'Idempotency-Key' } });
    expect(await ledger.eventCount()).toBe(count);
  });

  it('refuses a member named twice before access control, naming it, and appends nothing', async () => {
    const count = await ledger.eventCount();
    const body = twice({ ...valid.credit(), amount: '1.00' }, '"amount":"1.00"', '"amount":"900000.00"');
    const anonymous = await ledger.http().post('/v1/inbound-credits').set('Content-Type', 'application/json').send(body).expect(400);
    expect(anonymous.body).toEqual({ error: { code: 'DUPLICATE_KEY', message: expect.stringContaining('amount'), field: 'amount' } });
    const nested = await ledger.post('/v1/inbound-credits', twice(valid.credit(), `"name":"${B1.name}"`, '"name":"Someone Else"')).expect(400);
    expect(nested.body).toEqual({ error: { code: 'DUPLICATE_KEY', message: expect.stringContaining('payer.name'), field: 'payer.name' } });
    expect(await ledger.eventCount()).toBe(count);
  });

  it('accepts the limits themselves: a bond of exactly 2 %, a deadline equal to the opening', async () => {
    await ledger.post('/v1/lots', { ...valid.lot(), lotId: 'BI-LIMIT-1', bondAmount: '100000.00' }).expect(201);
    await ledger.post('/v1/lots', { ...valid.lot(), lotId: 'BI-LIMIT-2', depositDeadline: '2099-06-01T01:30:00Z' }).expect(201);
  });

  it('accepts the valid bodies the refused cases were derived from', async () => {
    const accept = async (path: string, body: object, status = 201) => {
      const response = await ledger.post(path, body);
      expect({ path, status: response.status }).toEqual({ path, status });
      return response;
    };
    await accept('/v1/tender-centers', valid.center());
    await accept(`/v1/tender-centers/${CENTER}/master-accounts`, valid.master());
    await accept('/v1/interest-rate-schedules', valid.schedule());
    await accept('/v1/lots', valid.lot());
    await accept(`/v1/lots/${FUTURE}/virtual-accounts`, valid.virtualAccount());
    await accept('/v1/bidders/B2/basic-account', valid.basicAccount());
    await accept('/v1/inbound-credits', valid.credit());
    await accept(`/v1/suspense/${creditIdOf('HVPSBI0002')}/resolution`, valid.resolution());
    await accept(`/v1/lots/${FUTURE}/withdrawals`, valid.withdrawal());
    await accept(`/v1/inbound-credits/${creditIdOf('HVPSBI0001')}/status`, valid.creditStatus());
    await accept(`/v1/lots/${FUTURE}/termination`, valid.reason());
    const run = await accept(`/v1/lots/${OPENED}/refunds`, valid.refundRun());
    await accept(`/v1/refunds/${run.body.refunds[0].refundId}/settlement`, valid.settlement());
  });
});
