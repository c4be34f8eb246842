import type { Role } from '../../../src/platform/auth/roles';
import type { BodySpec } from './invalid-values';

/** What the fuzzed routes act on: ids of a fixture in which each route's valid body would succeed. */
export interface FuzzFixture {
  centerId: string;
  masterAccountNo: string;
  bankCode: string;
  payerBankCode: string;
  /** Deadline far ahead: withdrawals, refunds and termination. */
  futureLotId: string;
  futureVirtualAccountNo: string;
  /** Bids opened, not awarded: award and forfeiture. */
  openedLotId: string;
  /** A bidder with a bond on both lots (not withdrawn). */
  bidderId: string;
  /** Withdrawn after the deadline on the opened lot: forfeitable. */
  forfeitableBondId: string;
  /** Classified, in a bond that is not paid out: reversible (`C-{bankCode}-{reversibleBankRef}`). */
  reversibleCreditId: string;
  reversibleBankRef: string;
  suspendedCreditId: string;
  /** Instructed, not settled. */
  refundId: string;
  /** A bond of the opened lot paid from an account no bidder declared: attributable. */
  attributableBondId: string;
  /** Settled FAILED, the last refund of its bond: redirectable to another account of `failedRefundPayerName`. */
  failedRefundId: string;
  failedRefundPayerName: string;
  today: string;
}

type Body = Record<string, unknown>;

export interface FuzzRoute {
  /** As docs/api-contract.md writes it. */
  name: string;
  role: Role;
  subject: string | undefined;
  /** The path with its parameter (already URL-encoded), or the fixture's entity when omitted. */
  path: (encodedParam?: string) => string;
  /** The path parameter's fixture value, if the route has one. */
  param: string | undefined;
  /** Whether a valid body with an unknown id in the path is still refused (the basic-account route would declare). */
  unknownParamRefused: boolean;
  spec: BodySpec;
  valid: Body;
}

const identifier = { kind: 'identifier' } as const;
const text = (max: number, min = 1) => ({ kind: 'text', min, max }) as const;
const amount = { kind: 'amount' } as const;
const instant = { kind: 'instant' } as const;
const date = { kind: 'date' } as const;

const payer: BodySpec = { accountNo: identifier, name: text(200), bankCode: identifier };

function route(
  name: string,
  role: Role,
  spec: BodySpec,
  valid: Body,
  param?: { value: string; unknownRefused?: boolean },
  subject?: string,
): FuzzRoute {
  const template = name.replace(/^POST /, '');
  return {
    name,
    role,
    subject,
    path: (encoded) => template.replace(/\{[^}]+\}/, encoded ?? encodeURIComponent(param?.value ?? '')),
    param: param?.value,
    unknownParamRefused: param?.unknownRefused ?? true,
    spec,
    valid,
  };
}

/** Every POST route of docs/api-contract.md, with the role that calls it and a body it would accept. */
export function postRoutes(f: FuzzFixture): FuzzRoute[] {
  const center = f.centerId;
  return [
    route('POST /v1/tender-centers', 'operator', { centerId: identifier, name: text(200) }, { centerId: 'FZ-NEW-CENTER', name: 'New tender center' }),
    route(
      'POST /v1/tender-centers/{centerId}/master-accounts',
      'operator',
      { bankCode: identifier, accountNo: identifier, accountName: text(200) },
      { bankCode: f.bankCode, accountNo: '44201500000000000999', accountName: 'New custody account' },
      { value: center },
    ),
    route(
      'POST /v1/interest-rate-schedules',
      'operator',
      {
        scheduleId: identifier,
        dayCount: { kind: 'oneOf', values: ['ACT/360', 'ACT/365'] },
        entries: { kind: 'array', min: 1, max: 100, of: { effectiveFrom: date, annualRate: { kind: 'rate' } } },
      },
      { scheduleId: 'FZ-SCHEDULE', dayCount: 'ACT/365', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] },
    ),
    // A rate change from today (Asia/Shanghai) on the schedule just defined.
    route(
      'POST /v1/interest-rate-schedules/{scheduleId}/entries',
      'operator',
      { effectiveFrom: date, annualRate: { kind: 'rate' } },
      { effectiveFrom: f.today, annualRate: '0.002' },
      { value: 'FZ-SCHEDULE' },
    ),
    route(
      'POST /v1/lots',
      'operator',
      {
        lotId: identifier,
        centerId: identifier,
        projectCode: identifier,
        name: text(200),
        estimatedPrice: amount,
        bondAmount: amount,
        depositDeadline: instant,
        bidOpeningTime: instant,
        basicAccountPolicy: { kind: 'oneOf', values: ['ENFORCE', 'FLAG', 'OFF'] },
        rateScheduleId: identifier,
      },
      {
        lotId: 'FZ-NEW-LOT',
        centerId: center,
        projectCode: 'PRJ-FZ',
        name: 'Fuzzed lot',
        estimatedPrice: '5000000.00',
        bondAmount: '50000.00',
        depositDeadline: '2099-06-01T09:00:00+08:00',
        bidOpeningTime: '2099-06-01T09:30:00+08:00',
        basicAccountPolicy: 'OFF',
        rateScheduleId: 'PBOC-DEMAND',
      },
    ),
    route(
      'POST /v1/lots/{lotId}/virtual-accounts',
      'operator',
      // bankCode: the master account's bank, needed only when the number is held at several banks.
      { masterAccountNo: identifier, bidderId: { ...identifier, optional: true }, bankCode: { ...identifier, optional: true } },
      { masterAccountNo: f.masterAccountNo, bidderId: 'FZ-NEW-BIDDER', bankCode: f.bankCode },
      { value: f.futureLotId },
    ),
    route(
      'POST /v1/bidders/{bidderId}/basic-account',
      'operator',
      // evidenceRef: needed only to replace an account; centerId: an operator declaring for a center (absent: the bank's).
      { accountNo: identifier, accountName: text(200), bankCode: identifier, evidenceRef: { ...text(200), optional: true }, centerId: { ...identifier, optional: true } },
      { accountNo: '6222000099990009', accountName: 'New Bidder Ltd', bankCode: f.payerBankCode },
      { value: 'FZ-NEW-BIDDER', unknownRefused: false },
    ),
    route(
      'POST /v1/inbound-credits',
      'esb',
      {
        bankRef: identifier,
        channel: { kind: 'oneOf', values: ['HVPS', 'BEPS', 'INTERNAL'] },
        receivedAt: instant,
        valueDate: date,
        amount,
        currency: { kind: 'currency' },
        payer: { kind: 'object', fields: payer },
        payeeAccountNo: { kind: 'payee' },
        // The receiving bank; absent: the bank of the payee number's prefix.
        payeeBankCode: { ...identifier, optional: true },
        // Free text the payer typed; may be empty (docs/api.md).
        remittanceInfo: { ...text(500, 0), optional: true },
      },
      {
        bankRef: 'FZ-NEW-CREDIT',
        channel: 'BEPS',
        receivedAt: `${f.today}T09:00:00+08:00`,
        valueDate: f.today,
        amount: '1000.00',
        currency: 'CNY',
        payer: { accountNo: '6222000099990001', name: 'Fuzz Payer Ltd', bankCode: f.payerBankCode },
        payeeAccountNo: f.futureVirtualAccountNo,
        payeeBankCode: f.bankCode,
        remittanceInfo: 'bond',
      },
    ),
    route(
      'POST /v1/inbound-credits/{creditId}/status',
      'esb',
      { status: { kind: 'oneOf', values: ['REVERSED'] }, bankRef: identifier, reason: text(500) },
      { status: 'REVERSED', bankRef: f.reversibleBankRef, reason: 'not settled' },
      { value: f.reversibleCreditId },
    ),
    route(
      'POST /v1/suspense/{creditId}/resolution',
      'operator',
      // The fixture's body is a MATCH, for which the number is required.
      { action: { kind: 'oneOf', values: ['MATCH', 'RETURN'] }, virtualAccountNo: { kind: 'virtualAccountNo' } },
      { action: 'MATCH', virtualAccountNo: f.futureVirtualAccountNo },
      { value: f.suspendedCreditId },
    ),
    route(
      'POST /v1/lots/{lotId}/withdrawals',
      'center',
      { bidderId: identifier, noticeReceivedAt: instant },
      { bidderId: f.bidderId, noticeReceivedAt: `${f.today}T09:00:00+08:00` },
      { value: f.futureLotId },
      center,
    ),
    route('POST /v1/lots/{lotId}/award', 'center', { winnerBidderId: identifier, contractSignedOn: date }, { winnerBidderId: f.bidderId, contractSignedOn: f.today }, { value: f.openedLotId }, center),
    route('POST /v1/lots/{lotId}/termination', 'center', { reason: text(500) }, { reason: 'project cancelled' }, { value: f.futureLotId }, center),
    route(
      'POST /v1/bonds/{bondId}/forfeiture',
      'center',
      { reason: text(500), ground: { kind: 'oneOf', values: ['WITHDRAWN_AFTER_DEADLINE', 'REFUSED_TO_SIGN'], optional: true } },
      { reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' },
      { value: f.forfeitableBondId },
      center,
    ),
    route('POST /v1/lots/{lotId}/refunds', 'center', { refundOn: date }, { refundOn: f.today }, { value: f.futureLotId }, center),
    route(
      'POST /v1/refunds/{refundId}/settlement',
      'esb',
      { status: { kind: 'oneOf', values: ['SETTLED', 'FAILED'] }, bankRef: identifier, reason: { ...text(500), optional: true } },
      { status: 'SETTLED', bankRef: 'FZ-OUT-1', reason: 'paid' },
      { value: f.refundId },
    ),
    route('POST /v1/bonds/{bondId}/attribution', 'center', { bidderId: identifier }, { bidderId: 'FZ-B7' }, { value: f.attributableBondId }, center),
    route(
      'POST /v1/refunds/{refundId}/redirection',
      'operator',
      { accountNo: identifier, accountName: { ...text(200), optional: true }, bankCode: identifier, evidenceRef: text(200), reason: text(500) },
      { accountNo: '6217000099990077', accountName: f.failedRefundPayerName, bankCode: f.payerBankCode, evidenceRef: 'FZ-EVIDENCE-1', reason: 'account closed' },
      { value: f.failedRefundId },
    ),
  ];
}
