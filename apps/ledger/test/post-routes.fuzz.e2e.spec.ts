import { bondIdFor, refundIdFor } from '@app/domain';
import { lastPosition } from '@app/projections/runner';
import fc from 'fast-check';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer } from './support/access-tokens';
import { invalidRequests } from './support/fuzz/invalid-requests';
import { type FuzzFixture, type FuzzRoute, postRoutes } from './support/fuzz/post-routes';
import { closeFuzzAgent, refusalProblem, send } from './support/fuzz/send';
import {
  BANK,
  PAYER_BANK,
  UNISSUED_VIRTUAL_ACCOUNT,
  creditIdOf,
  creditsReceivedAt,
  cstDate,
  deadlineAndOpeningOn,
  lotTerms,
  payer,
  plusDays,
} from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/**
 * Property-based fuzzing of every POST route of docs/api-contract.md with requests that must be refused:
 * invalid bodies (a valid body with one to three defects: wrong types, missing or unknown fields — among
 * them `__proto__` and `constructor` —, huge strings, any Unicode, deep nesting, numbers for amounts,
 * impossible dates), random JSON, text that is not JSON or not UTF-8, no body, a valid body under another
 * content type or encoding, and unknown or malformed ids in the path (with a valid body). Each is sent
 * with a token of a role allowed on the route. Every answer must be a 4xx in the documented error shape,
 * never a 5xx, and the event store must not move.
 *
 * The fixture is such that each route's valid body would succeed (the last test proves it), so every
 * refusal is due to the defect. Random seed per run; fast-check prints it with the counterexample on a
 * failure, and FUZZ_SEED=<seed> replays that run (FUZZ_RUNS=<n> changes the runs per route).
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** Every POST route of docs/api-contract.md, in an order in which each valid body succeeds (B3's suspended money is matched before B3 withdraws; termination last). */
const ROUTE_NAMES = [
  'POST /v1/tender-centers',
  'POST /v1/tender-centers/{centerId}/master-accounts',
  'POST /v1/interest-rate-schedules',
  'POST /v1/interest-rate-schedules/{scheduleId}/entries',
  'POST /v1/lots',
  'POST /v1/lots/{lotId}/virtual-accounts',
  'POST /v1/bidders/{bidderId}/basic-account',
  'POST /v1/inbound-credits',
  'POST /v1/inbound-credits/{creditId}/status',
  'POST /v1/suspense/{creditId}/resolution',
  'POST /v1/bonds/{bondId}/attribution',
  'POST /v1/refunds/{refundId}/redirection',
  'POST /v1/lots/{lotId}/withdrawals',
  'POST /v1/lots/{lotId}/refunds',
  'POST /v1/refunds/{refundId}/settlement',
  'POST /v1/bonds/{bondId}/forfeiture',
  'POST /v1/lots/{lotId}/award',
  'POST /v1/lots/{lotId}/termination',
] as const;

describe('POST routes refuse what they must (property-based fuzz, e2e)', () => {
  const CENTER = 'FZ-C';
  const MASTER = '44201500000000000777';
  const FUTURE = 'FZ-FUTURE';
  const OPENED = 'FZ-OPENED';
  /** B1 withdrew and its refund failed: the redirection's fixture. */
  const REDIRECT = 'FZ-REDIRECT';
  const B1 = payer('6222000077770001', 'Fuzz One Builders');
  const B3 = payer('6222000077770003', 'Fuzz Three Roads');
  const B5 = payer('6222000077770005', 'Fuzz Five Bridges');
  /** Declared by no bidder: its bond on the opened (FLAG) lot has no bidder until attributed. */
  const B7 = payer('6222000077770007', 'Fuzz Seven Tunnels');
  const D = cstDate(Date.now());
  /** The test clock starts at noon of D, after every instant of D the bodies name. */
  const T0 = Date.parse(`${D}T12:00:00+08:00`);
  const EARLY = plusDays(D, -5);

  let ledger: LedgerHarness;
  let port: number;
  let fixture: FuzzFixture;
  let routes: FuzzRoute[];
  /** Every id the fixture holds: a fuzzed path segment must name none of them. */
  let known: Set<string>;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('fuzz', { now: T0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.declareBasicAccounts({ 'FZ-B1': B1, 'FZ-B3': B3, 'FZ-B5': B5 });
    const credit = (bankRef: string, who: typeof B1, payee: string, day: string) => ledger.postCredit(creditsReceivedAt(`${day}T10:00:00+08:00`)(bankRef, who, payee));

    // FUTURE: B1 withdrew and was refunded (the refund is instructed, not settled); B3 and B5 hold bonds.
    const futureVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: FUTURE, centerId: CENTER }), MASTER);
    for (const [ref, who] of [['FZ0001', B1], ['FZ0003', B3], ['FZ0005', B5]] as const) {
      expect((await credit(ref, who, futureVa, plusDays(D, -1))).body.outcome).toBe('CLASSIFIED');
    }
    expect((await credit('FZ0002', B3, UNISSUED_VIRTUAL_ACCOUNT, plusDays(D, -1))).body.outcome).toBe('SUSPENDED');
    await ledger.post(`/v1/lots/${FUTURE}/withdrawals`, { bidderId: 'FZ-B1', noticeReceivedAt: `${D}T08:00:00+08:00` }).expect(201);
    const run = await ledger.post(`/v1/lots/${FUTURE}/refunds`, { refundOn: D }).expect(201);
    const refundId = refundIdFor(FUTURE, bondIdFor(FUTURE, 'FZ-B1', B1.bankCode, B1.accountNo), 1);
    // Sealed: the answer withholds the refunds (docs/security.md); the lot records B1's.
    expect(run.body).toEqual({ lotId: FUTURE, refundOn: D, sealed: true });
    expect(await ledger.streamEvents(`lot-${FUTURE}`)).toContainEqual(expect.objectContaining({ type: 'RefundInstructed', data: expect.objectContaining({ refundId }) }));

    // REDIRECT: B1 withdrew, its refund failed (the account is closed).
    const redirectVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: REDIRECT, centerId: CENTER }), MASTER);
    expect((await credit('FZ0021', B1, redirectVa, plusDays(D, -1))).body.outcome).toBe('CLASSIFIED');
    await ledger.post(`/v1/lots/${REDIRECT}/withdrawals`, { bidderId: 'FZ-B1', noticeReceivedAt: `${D}T08:00:00+08:00` }).expect(201);
    const failedRefundId = refundIdFor(REDIRECT, bondIdFor(REDIRECT, 'FZ-B1', B1.bankCode, B1.accountNo), 1);
    await ledger.post(`/v1/lots/${REDIRECT}/refunds`, { refundOn: D }).expect(201);
    expect(await ledger.streamEvents(`lot-${REDIRECT}`)).toContainEqual(expect.objectContaining({ type: 'RefundInstructed', data: expect.objectContaining({ refundId: failedRefundId }) }));
    await ledger.post(`/v1/refunds/${failedRefundId}/settlement`, { status: 'FAILED', bankRef: 'FZ-OUT-9', reason: 'account closed' }).expect(201);

    // OPENED: deadline and opening passed; B1 withdrew after the deadline (forfeitable), B3 still bids, B7 paid from an undeclared account (FLAG).
    const openedVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: OPENED, centerId: CENTER, basicAccountPolicy: 'FLAG', ...deadlineAndOpeningOn(plusDays(D, -3)) }), MASTER);
    for (const [ref, who] of [['FZ0011', B1], ['FZ0013', B3], ['FZ0017', B7]] as const) expect((await credit(ref, who, openedVa, EARLY)).body.outcome).toBe('CLASSIFIED');
    await ledger.clock.advanceBy(1_000); // the lot clock's next tick records the past deadline and opening
    await ledger.post(`/v1/lots/${OPENED}/withdrawals`, { bidderId: 'FZ-B1', noticeReceivedAt: `${D}T08:00:00+08:00` }).expect(201);

    fixture = {
      centerId: CENTER,
      masterAccountNo: MASTER,
      bankCode: BANK,
      payerBankCode: PAYER_BANK,
      futureLotId: FUTURE,
      futureVirtualAccountNo: futureVa,
      openedLotId: OPENED,
      bidderId: 'FZ-B3',
      forfeitableBondId: bondIdFor(OPENED, 'FZ-B1', B1.bankCode, B1.accountNo),
      reversibleCreditId: creditIdOf('FZ0005'),
      reversibleBankRef: 'FZ0005',
      suspendedCreditId: creditIdOf('FZ0002'),
      refundId,
      attributableBondId: bondIdFor(OPENED, undefined, B7.bankCode, B7.accountNo),
      failedRefundId,
      failedRefundPayerName: B1.name,
      today: D,
    };
    routes = postRoutes(fixture);
    known = new Set([...Object.values(fixture), 'FZ-B1', 'FZ-B5', ...['FZ0001', 'FZ0003', 'FZ0011', 'FZ0013', 'FZ0017', 'FZ0021'].map((bankRef) => creditIdOf(bankRef)), ...routes.map((route) => route.param ?? '')]);
    known.add(bondIdFor(REDIRECT, 'FZ-B1', B1.bankCode, B1.accountNo));
    for (const who of [B3, B5]) known.add(bondIdFor(FUTURE, `FZ-${who === B3 ? 'B3' : 'B5'}`, who.bankCode, who.accountNo));
    known.add(bondIdFor(OPENED, 'FZ-B3', B3.bankCode, B3.accountNo));

    const server = ledger.app.getHttpServer() as Server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    closeFuzzAgent();
    await ledger.close();
  });

  async function appendedSince(position: bigint | undefined): Promise<string[]> {
    const types: string[] = [];
    for await (const event of ledger.store.readAll({ fromPosition: position === undefined ? 0n : position + 1n })) types.push(event.type);
    return types;
  }

  const authorizationFor = (route: FuzzRoute) => bearer(route.role, route.subject).Authorization;

  it.each(ROUTE_NAMES)('%s: every fuzzed request is a 4xx in the error shape, and nothing is recorded', async (name) => {
    const route = routes.find((candidate) => candidate.name === name)!;
    const eventsBefore = await ledger.eventCount();
    // A well-formed ask naming a bond or bidder of a sealed lot is refused and recorded (SealedLotAsked, docs/security.md); nothing else may be.
    let asks = 0;
    await fc.assert(
      fc.asyncProperty(invalidRequests(route, known, [FUTURE, OPENED, REDIRECT], [BANK]), async (fuzz) => {
        const before = await lastPosition(ledger.store);
        const answer = await send(port, fuzz, authorizationFor(route));
        const sent = `${fuzz.family}: POST ${fuzz.path.slice(0, 200)} ${JSON.stringify(fuzz.headers)} ${fuzz.body?.toString('utf8').slice(0, 500) ?? '(no body)'}`;
        const problem = refusalProblem(answer);
        if (problem !== undefined) throw new Error(`${problem}; answered ${answer.status} ${answer.text.slice(0, 300)}\nto ${sent}`);
        const moved = await appendedSince(before);
        if (moved.some((type) => type !== 'SealedLotAsked')) throw new Error(`answered ${answer.status} but the store recorded ${moved.join(', ')}\nto ${sent}`);
        asks += moved.length;
      }),
      { numRuns: RUNS_PER_ROUTE, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(await ledger.eventCount()).toBe(eventsBefore + asks);
  });

  it('accepts each route’s valid body on the fixture, so every refusal above was due to its defect', async () => {
    expect(routes.map((route) => route.name).sort()).toEqual([...ROUTE_NAMES].sort());
    for (const name of ROUTE_NAMES) {
      const route = routes.find((candidate) => candidate.name === name)!;
      const response = await ledger.http().post(route.path()).set(bearer(route.role, route.subject)).set('Content-Type', 'application/json').send(JSON.stringify(route.valid));
      expect({ name, status: response.status, body: response.body }).toEqual({ name, status: 201, body: expect.anything() });
    }
  });
});
