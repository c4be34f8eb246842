import { at, defined } from '../../test/at';
import { ALICE, BANK, CENTER, LOT, registered } from '../../test/lot-fixtures';
import { type DomainEvent, type Plan, type StreamWrite, replay } from '../decider';
import { balancesOf } from '../ledger';
import { type LotEvent, type LotState, bondIdFor, lotBond, lotDecider, lotStream } from '../lot';
import type { VirtualAccountIssuedData } from '../setup';
import { classifyVirtualAccountNo, formatVirtualAccountNo } from '../virtual-account';
import {
  type BankDirectory,
  type PayeeFacts,
  decideInboundCredit,
  decideReversal,
  decideSuspenseResolution,
  intakeLot,
  lotInPlay,
  receivingBankOf,
} from './credit-decisions';
import { type InboundCreditEvent, type InboundCreditRequest, type InboundCreditState, creditIdFor, inboundCreditFold, inboundCreditStream } from './inbound-credit';

const OTHER_BANK = '105100000017';
const PREFIX = '955880';
const OTHER_PREFIX = '622601';
const OTHER_LOT = 'L-2026-002';
const LOT_VA = formatVirtualAccountNo(PREFIX, 1n);
const OTHER_LOT_VA = formatVirtualAccountNo(PREFIX, 2n);
const BIDDER_VA = formatVirtualAccountNo(PREFIX, 3n);
const BANK_REF = 'HVPS20261201000123';
const CREDIT = creditIdFor(BANK, BANK_REF);
const ANCHOR = inboundCreditStream(BANK, BANK_REF);
const ALICE_BOND = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);

const banks: BankDirectory = {
  bankCodes: new Set([BANK, OTHER_BANK]),
  prefixes: new Set([PREFIX, OTHER_PREFIX]),
  bankOfPrefix: (prefix) => ({ [PREFIX]: BANK, [OTHER_PREFIX]: OTHER_BANK })[prefix],
  operatingBank: BANK,
};

function issued(virtualAccountNo: string, lotId: string, bidderId?: string, bankCode = BANK): VirtualAccountIssuedData {
  return { virtualAccountNo, sequence: '1', lotId, centerId: CENTER, masterAccountNo: '6217000011110000', bankCode, ...(bidderId === undefined ? {} : { bidderId }) };
}

const ISSUED: { [virtualAccountNo: string]: VirtualAccountIssuedData } = {
  [LOT_VA]: issued(LOT_VA, LOT),
  [OTHER_LOT_VA]: issued(OTHER_LOT_VA, OTHER_LOT),
  [BIDDER_VA]: issued(BIDDER_VA, LOT, 'alice'),
};

/** A payee number as the registry would answer for it. */
function payeeOf(virtualAccountNo: string): PayeeFacts {
  const classification = classifyVirtualAccountNo(virtualAccountNo, banks.prefixes);
  const record = classification.kind === 'VIRTUAL' ? ISSUED[virtualAccountNo] : undefined;
  return record ? { classification, issued: record } : { classification };
}

function request(overrides: Partial<InboundCreditRequest> = {}): InboundCreditRequest {
  return {
    bankRef: BANK_REF,
    channel: 'HVPS',
    receivedAt: '2026-12-01T10:02:03+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    currency: 'CNY',
    payer: ALICE,
    payeeAccountNo: LOT_VA,
    ...overrides,
  };
}

/**
 * The streams a decision reads and writes, in memory: a plan's writes are applied in order (or only
 * the first few, as a store that commits streams one by one would leave them when stopped between).
 */
class Streams {
  private readonly events = new Map<string, DomainEvent[]>();

  constructor(lots: Array<{ lotId: string; events?: LotEvent[] }> = [{ lotId: LOT }]) {
    for (const lot of lots) this.events.set(lotStream(lot.lotId), [registered({ lotId: lot.lotId }), ...(lot.events ?? [])]);
  }

  of(stream: string): DomainEvent[] {
    return this.events.get(stream) ?? [];
  }

  apply(writes: readonly StreamWrite[], count = writes.length): this {
    for (const write of writes.slice(0, count)) this.events.set(write.stream, [...this.of(write.stream), ...write.events]);
    return this;
  }

  anchor(stream = ANCHOR): InboundCreditState {
    return replay(inboundCreditFold, this.of(stream) as InboundCreditEvent[]);
  }

  lot(lotId: string | undefined): LotState | undefined {
    return lotId === undefined ? undefined : replay(lotDecider, this.of(lotStream(lotId)) as LotEvent[]);
  }

  types(stream: string): string[] {
    return this.of(stream).map((event) => event.type);
  }

  balances(): Map<string, string> {
    const postings = [...this.events.values()].flat().flatMap((event) => {
      const list = (event.data as { postings?: unknown }).postings;
      return Array.isArray(list) ? [list] : [];
    });
    return balancesOf(postings as never);
  }
}

function intake(streams: Streams, body = request(), payerDeclaredBy: string[] = ['alice']) {
  const bankCode = receivingBankOf(body, banks) as string;
  const anchor = streams.anchor(inboundCreditStream(bankCode, body.bankRef));
  const payee = payeeOf(body.payeeAccountNo);
  return decideInboundCredit({ request: body, requestHash: JSON.stringify(body), bankCode, anchor, payee, lot: streams.lot(intakeLot(anchor, payee)), payerDeclaredBy, now: body.receivedAt });
}

function resolve(streams: Streams, resolution: { action: 'RETURN' } | { action: 'MATCH'; virtualAccountNo: string }, payerDeclaredBy: string[] = ['alice']) {
  const anchor = streams.anchor();
  const target = resolution.action === 'MATCH' ? { ...resolution, payee: payeeOf(resolution.virtualAccountNo) } : resolution;
  const lotId = lotInPlay(anchor) ?? (target.action === 'MATCH' ? target.payee.issued?.lotId : undefined);
  return decideSuspenseResolution({ creditId: CREDIT, anchor, resolution: target, lot: streams.lot(lotId), payerDeclaredBy });
}

function reverse(streams: Streams, bankRef = BANK_REF, payerDeclaredBy: string[] = ['alice']) {
  const anchor = streams.anchor();
  return decideReversal({ creditId: CREDIT, anchor, bankRef, reason: 'not settled by CNAPS', lot: streams.lot(lotInPlay(anchor)), payerDeclaredBy });
}

function answered<A>(plan: Plan<A>): A {
  if (!('answer' in plan)) throw new Error(`expected an answer, got ${JSON.stringify(plan)}`);
  return plan.answer;
}

/** The `event`th event of the plan's `write`th write. */
function written(plan: Plan<unknown>, write: number, event = 0): DomainEvent {
  return at(at(plan.writes, write).events, event);
}

/** Types written, stream by stream, in plan order. */
function shape(plan: Plan<unknown>): Array<[string, string[]]> {
  return plan.writes.map((write) => [write.stream, write.events.map((event) => event.type)]);
}

/** A suspended credit (bad check digit) of Alice's, in the anchor. */
function suspendedCredit(lots?: ConstructorParameters<typeof Streams>[0]): Streams {
  const streams = new Streams(lots);
  return streams.apply(intake(streams, request({ payeeAccountNo: LOT_VA.slice(0, -1) + String((Number(LOT_VA.slice(-1)) + 1) % 10) })).writes);
}

describe('the receiving bank (receivingBankOf)', () => {
  it('is the bank the ESB names, else the bank of the payee number, else the first bank', () => {
    expect(receivingBankOf({ payeeAccountNo: LOT_VA, payeeBankCode: OTHER_BANK }, banks)).toBe(OTHER_BANK);
    expect(receivingBankOf({ payeeAccountNo: formatVirtualAccountNo(OTHER_PREFIX, 7n) }, banks)).toBe(OTHER_BANK);
    expect(receivingBankOf({ payeeAccountNo: '6222 0000 1111' }, banks)).toBe(BANK);
  });

  it('refuses a named bank this ledger does not serve: none of its accounts received the money', () => {
    expect(receivingBankOf({ payeeAccountNo: LOT_VA, payeeBankCode: '999999999999' }, banks)).toMatchObject({ code: 'BANK_NOT_SUPPORTED', field: 'payeeBankCode' });
  });
});

describe('an inbound credit (decideInboundCredit)', () => {
  it('claims the bank reference with its route, lets the lot take the money, then records the outcome', () => {
    const streams = new Streams();
    const plan = intake(streams);
    expect(shape(plan)).toEqual([
      [ANCHOR, ['InboundCreditReceived']],
      [lotStream(LOT), ['BondCredited']],
      [ANCHOR, ['CreditClassified']],
    ]);
    expect(written(plan, 0).data).toMatchObject({ creditId: CREDIT, bankCode: BANK, route: { lotId: LOT, virtualAccountNo: LOT_VA } });
    expect(written(plan, 1).data).toMatchObject({ creditId: CREDIT, bondId: ALICE_BOND, anchorRevision: 0, source: 'INBOUND' });
    expect(answered(plan)).toEqual({ creditId: CREDIT, bankRef: BANK_REF, outcome: 'CLASSIFIED', lotId: LOT, bondId: ALICE_BOND, bidderId: 'alice', flags: [] });
    expect(streams.apply(plan.writes).balances()).toEqual(new Map([[`clearing:${BANK}`, '50000.00'], [`virtual:${LOT_VA}`, '-50000.00']]));
  });

  it('answers the same body again with the first answer and writes nothing; another body is a conflict', () => {
    const streams = new Streams();
    const first = answered(intake(streams));
    streams.apply(intake(streams).writes);
    expect(intake(streams)).toEqual({ writes: [], answer: first });
    expect(intake(streams, request({ amount: '2000.00' }))).toMatchObject({ writes: [], rejection: { kind: 'CONFLICT', code: 'DUPLICATE_BANK_REF', field: 'bankRef' } });
  });

  it('refuses another body on a claim whose outcome is not written yet, without touching the lot', () => {
    const streams = new Streams();
    streams.apply(intake(streams).writes, 1);
    const other = intake(streams, request({ payeeAccountNo: OTHER_LOT_VA }));
    expect(other).toMatchObject({ writes: [], rejection: { code: 'DUPLICATE_BANK_REF' } });
  });

  it('keeps bank references apart per bank: the same reference at another bank is another credit', () => {
    const streams = new Streams();
    streams.apply(intake(streams).writes);
    const atOtherBank = intake(streams, request({ payeeBankCode: OTHER_BANK, payeeAccountNo: '6222000099990000' }));
    expect(answered(atOtherBank)).toMatchObject({ creditId: creditIdFor(OTHER_BANK, BANK_REF), outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT' });
    expect(at(atOtherBank.writes, 0).stream).toBe(inboundCreditStream(OTHER_BANK, BANK_REF));
  });

  it('returns a credit the lot refuses, and the lot records its refusal (no money moves)', () => {
    const streams = new Streams();
    const plan = intake(streams, request({ receivedAt: '2026-12-10T09:00:01+08:00' }));
    expect(shape(plan)).toEqual([
      [ANCHOR, ['InboundCreditReceived']],
      [lotStream(LOT), ['CreditRefused']],
      [ANCHOR, ['CreditReturned']],
    ]);
    expect(answered(plan)).toEqual({ creditId: CREDIT, bankRef: BANK_REF, outcome: 'RETURNED', reason: 'AFTER_DEADLINE', lotId: LOT, flags: [] });
    expect(streams.apply(plan.writes).balances().size).toBe(0);
  });

  it.each([
    ['AMBIGUOUS_PAYER', request(), ['alice', 'mallory']],
    ['AMOUNT_LIMIT', request({ amount: '999999999999999.99' }), ['alice']],
  ] as const)('suspends at the receiving bank a credit the lot refuses as %s', (reason, body, declaredBy) => {
    const streams = new Streams([{ lotId: LOT, events: [] }]);
    if (reason === 'AMOUNT_LIMIT') {
      const earlier = request({ bankRef: 'HVPSEARLIER', amount: '1.00' });
      const firstStreams = streams.apply(intake(streams, earlier).writes.filter((write) => write.stream === lotStream(LOT)));
      expect(defined(lotBond(firstStreams.lot(LOT)!, ALICE_BOND), "Alice's bond").principal).toBe('1.00');
    }
    const plan = intake(streams, body, [...declaredBy]);
    expect(answered(plan)).toMatchObject({ outcome: 'SUSPENDED', reason });
    const suspended = written(plan, 2);
    expect(suspended).toMatchObject({ type: 'CreditSuspended', data: { reason, bankCode: BANK } });
    expect(streams.apply(plan.writes).balances().get(`suspense:${BANK}`)).toBe(`-${body.amount}`);
  });

  it.each([
    ['a number never issued', request({ payeeAccountNo: formatVirtualAccountNo(PREFIX, 999n) }), 'SUSPENDED', 'UNKNOWN_VIRTUAL_ACCOUNT'],
    ['a mistyped number', request({ payeeAccountNo: LOT_VA.slice(0, -1) + '0' }), 'SUSPENDED', 'BAD_CHECK_DIGIT'],
    ['a number of another bank than the receiving one', request({ payeeBankCode: OTHER_BANK }), 'SUSPENDED', 'UNKNOWN_VIRTUAL_ACCOUNT'],
    ['money in another currency', request({ currency: 'USD' }), 'RETURNED', 'CURRENCY_NOT_SUPPORTED'],
  ] as const)('ends %s in one append to its anchor, touching no lot', (_, body, outcome, reason) => {
    const plan = intake(new Streams(), body);
    expect(plan.writes).toHaveLength(1);
    expect(at(plan.writes, 0).events.map((event) => event.type)).toEqual(['InboundCreditReceived', outcome === 'SUSPENDED' ? 'CreditSuspended' : 'CreditReturned']);
    expect(written(plan, 0).data).not.toHaveProperty('route');
    expect(answered(plan)).toMatchObject({ outcome, reason });
  });

  it.each([
    ['a classified credit', request()],
    ['a returned credit', request({ receivedAt: '2026-12-11T09:00:00+08:00' })],
  ])('decides %s the same after a stop between any two of its writes: only what is left', (_, body) => {
    const whole = intake(new Streams(), body);
    for (let written = 1; written < whole.writes.length; written += 1) {
      const streams = new Streams().apply(whole.writes, written);
      const rest = intake(streams, body);
      expect(rest).toEqual({ writes: whole.writes.slice(written), answer: answered(whole) });
    }
  });

  it('lets the lot decide once when two requests finish one claim on different facts', () => {
    const streams = new Streams();
    const claim = intake(streams, request(), []);
    // The first finisher saw no declaration: the lot refuses (ENFORCE) and records it.
    streams.apply(claim.writes, 2);
    // The second sees a declaration made since; the lot's refusal stands, the outcome follows it.
    const second = intake(streams, request(), ['alice']);
    expect(shape(second)).toEqual([[ANCHOR, ['CreditReturned']]]);
    expect(answered(second)).toMatchObject({ outcome: 'RETURNED', reason: 'NOT_BASIC_ACCOUNT' });
  });
});

describe('a suspense resolution (decideSuspenseResolution)', () => {
  it('returns the money from suspense to the payer', () => {
    const streams = suspendedCredit();
    const plan = resolve(streams, { action: 'RETURN' });
    expect(shape(plan)).toEqual([[ANCHOR, ['SuspenseReturned']]]);
    expect(answered(plan)).toEqual({ creditId: CREDIT, action: 'RETURN', status: 'RETURNED' });
    expect(streams.apply(plan.writes).balances().get(`suspense:${BANK}`)).toBe('0.00');
  });

  it('requests a match on the anchor first, lets the lot take the money from suspense, then records it', () => {
    const streams = suspendedCredit();
    const plan = resolve(streams, { action: 'MATCH', virtualAccountNo: BIDDER_VA });
    expect(shape(plan)).toEqual([
      [ANCHOR, ['SuspenseMatchRequested']],
      [lotStream(LOT), ['BondCredited']],
      [ANCHOR, ['SuspenseMatched']],
    ]);
    // The request is the anchor's third event: the lot answers it by that revision.
    expect(written(plan, 1).data).toMatchObject({ source: 'SUSPENSE', anchorRevision: 2 });
    expect(answered(plan)).toEqual({ creditId: CREDIT, action: 'MATCH', status: 'MATCHED', lotId: LOT, bondId: ALICE_BOND, bidderId: 'alice', virtualAccountNo: BIDDER_VA, flags: [] });
    const balances = streams.apply(plan.writes).balances();
    expect(balances.get(`suspense:${BANK}`)).toBe('0.00');
    expect(balances.get(`virtual:${BIDDER_VA}`)).toBe('-50000.00');
  });

  it('refuses a match the lot would refuse before writing anything', () => {
    const streams = suspendedCredit([{ lotId: LOT, events: [{ type: 'TenderTerminated', data: { lotId: LOT, reason: 'x', terminatedAt: '2026-12-05T10:00:00Z', refundsDueBy: '2026-12-05' } }] }]);
    expect(resolve(streams, { action: 'MATCH', virtualAccountNo: LOT_VA })).toMatchObject({ writes: [], rejection: { code: 'LOT_CLOSED', field: 'virtualAccountNo' } });
  });

  it.each([
    ['a mistyped number', LOT_VA.slice(0, -1) + '0', 'BAD_CHECK_DIGIT'],
    ['a number never issued', formatVirtualAccountNo(PREFIX, 999n), 'VIRTUAL_ACCOUNT_NOT_FOUND'],
  ])('refuses a match to %s', (_, virtualAccountNo, code) => {
    expect(resolve(suspendedCredit(), { action: 'MATCH', virtualAccountNo })).toMatchObject({ writes: [], rejection: { code, field: 'virtualAccountNo' } });
  });

  it("refuses a match to another bank's account: the money is in this bank's suspense", () => {
    const foreign = formatVirtualAccountNo(OTHER_PREFIX, 1n);
    ISSUED[foreign] = issued(foreign, LOT, undefined, OTHER_BANK);
    expect(resolve(suspendedCredit(), { action: 'MATCH', virtualAccountNo: foreign })).toMatchObject({ writes: [], rejection: { code: 'SUSPENSE_AT_ANOTHER_BANK' } });
  });

  it('refuses anything but money in suspense', () => {
    const streams = new Streams();
    streams.apply(intake(streams).writes);
    expect(resolve(streams, { action: 'RETURN' })).toMatchObject({ writes: [], rejection: { kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE' } });
    expect(resolve(new Streams(), { action: 'RETURN' })).toMatchObject({ writes: [], rejection: { kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND' } });
  });

  it('finishes a requested match first, whoever comes next: the return that follows finds the money matched', () => {
    const streams = suspendedCredit();
    streams.apply(resolve(streams, { action: 'MATCH', virtualAccountNo: BIDDER_VA }).writes, 1);
    const returning = resolve(streams, { action: 'RETURN' });
    expect(shape(returning)).toEqual([
      [lotStream(LOT), ['BondCredited']],
      [ANCHOR, ['SuspenseMatched']],
    ]);
    expect(returning).toMatchObject({ decideAgain: true });
    expect(resolve(streams.apply(returning.writes), { action: 'RETURN' })).toMatchObject({ rejection: { code: 'NOT_IN_SUSPENSE' } });
  });

  it('answers the same match, asked again while unfinished, by finishing it', () => {
    const streams = suspendedCredit();
    const whole = resolve(streams, { action: 'MATCH', virtualAccountNo: BIDDER_VA });
    streams.apply(whole.writes, 1);
    expect(resolve(streams, { action: 'MATCH', virtualAccountNo: BIDDER_VA })).toEqual({ writes: whole.writes.slice(1), answer: answered(whole) });
  });

  it('records the refusal of a requested match the lot no longer takes; the money stays in suspense', () => {
    const streams = suspendedCredit();
    streams.apply(resolve(streams, { action: 'MATCH', virtualAccountNo: LOT_VA }).writes, 1);
    // The lot closed between the request and its answer.
    streams.apply([{ stream: lotStream(LOT), events: [{ type: 'TenderTerminated', data: { lotId: LOT, reason: 'x', terminatedAt: '2026-12-05T10:00:00Z', refundsDueBy: '2026-12-05' } }] }]);
    const same = resolve(streams, { action: 'MATCH', virtualAccountNo: LOT_VA });
    expect(shape(same)).toEqual([
      [lotStream(LOT), ['CreditRefused']],
      [ANCHOR, ['SuspenseMatchRefused']],
    ]);
    expect(same).toMatchObject({ rejection: { code: 'LOT_CLOSED' } });
    streams.apply(same.writes);
    expect(streams.anchor()).toMatchObject({ status: 'SUSPENDED' });
    expect(streams.anchor()).not.toHaveProperty('pendingMatch');
    expect(resolve(streams, { action: 'RETURN' })).toMatchObject({ answer: { status: 'RETURNED' } });
  });
});

describe('a reversal (decideReversal)', () => {
  it('takes money in suspense back out to clearing', () => {
    const streams = suspendedCredit();
    const plan = reverse(streams);
    expect(shape(plan)).toEqual([[ANCHOR, ['InboundCreditReversed']]]);
    expect(answered(plan)).toEqual({ creditId: CREDIT, bankRef: BANK_REF, status: 'REVERSED' });
    expect(streams.apply(plan.writes).balances().get(`suspense:${BANK}`)).toBe('0.00');
  });

  it('takes money out of its bond through the lot first, then records the reversal', () => {
    const streams = new Streams();
    streams.apply(intake(streams).writes);
    const plan = reverse(streams);
    expect(shape(plan)).toEqual([
      [lotStream(LOT), ['CreditReversed']],
      [ANCHOR, ['InboundCreditReversed']],
    ]);
    const balances = streams.apply(plan.writes).balances();
    expect(balances.get(`virtual:${LOT_VA}`)).toBe('0.00');
    expect(balances.get(`clearing:${BANK}`)).toBe('0.00');
  });

  it('answers a reversal reported again, and one whose lot part was written before a stop, without moving money twice', () => {
    const streams = new Streams();
    streams.apply(intake(streams).writes);
    const whole = reverse(streams);
    streams.apply(whole.writes, 1);
    expect(reverse(streams)).toEqual({ writes: whole.writes.slice(1), answer: answered(whole) });
    streams.apply(whole.writes.slice(1));
    expect(reverse(streams)).toEqual({ writes: [], answer: answered(whole) });
  });

  it('finishes a requested match before reversing: the money leaves the bond the match put it in', () => {
    const streams = suspendedCredit();
    streams.apply(resolve(streams, { action: 'MATCH', virtualAccountNo: BIDDER_VA }).writes, 1);
    const finishing = reverse(streams);
    expect(finishing).toMatchObject({ decideAgain: true });
    const plan = reverse(streams.apply(finishing.writes));
    expect(shape(plan)).toEqual([
      [lotStream(LOT), ['CreditReversed']],
      [ANCHOR, ['InboundCreditReversed']],
    ]);
    const balances = streams.apply(plan.writes).balances();
    expect([...balances.values()].every((balance) => balance === '0.00')).toBe(true);
  });

  it('refuses another bank reference, and money already paid out of suspense', () => {
    const suspended = suspendedCredit();
    expect(reverse(suspended, 'HVPSOTHER')).toMatchObject({ writes: [], rejection: { code: 'BANK_REF_MISMATCH', field: 'bankRef' } });
    suspended.apply(resolve(suspended, { action: 'RETURN' }).writes);
    expect(reverse(suspended)).toMatchObject({ writes: [], rejection: { code: 'CREDIT_ALREADY_PAID_OUT' } });
  });
});
