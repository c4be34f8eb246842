import type { RecordedEvent } from '@app/event-store';
import { routeKey, servedRoutes } from './support/sealed/app-routes';
import { COMMAND_ROUTES, LIFECYCLE_ROUTES, commandRoutes, headOf, readRoutes, type RouteRequests } from './support/sealed/route-probes';
import {
  AFTER_OPENING,
  ALPHA,
  ALPHA_REFUND_B,
  ASTRAY,
  BRAVO,
  CALLERS,
  EVERY_CALLER,
  LOT_A,
  LOT_B,
  MASTER,
  NOBODY,
  NOTICE,
  SEALED_LOTS,
  T0,
  TODAY,
  bondsOf,
  payIntoSealedLots,
  setUpWorld,
  type Accounts,
} from './support/sealed/sealed-scenario';
import { TwoWorlds, describeDifference, methodOf, requestLineOf, type Answer, type Caller, type Exchange, type Probe } from './support/sealed/two-worlds';

/**
 * Issue #15, "How it is shown" (docs/specification.md §1 保密, 招标投标法 art. 22; docs/security.md
 * "Confidentiality"): two ledgers, one where bidders paid into two sealed lots and one where nobody did,
 * are sent the same requests, route by route of the running app, by every caller. Before bid opening a
 * caller the seal binds gets byte-identical answers in both; an operator's or auditor's answer may differ
 * only if the look was recorded (`SealedDataViewed`); the lot's own center's commands answer alike and are
 * recorded (`SealedLotAsked`). After opening, the center sees everything.
 *
 * Not compared: a bidder's own bond (its own data), and the ESB's (inbound credits, credit status, refund
 * settlement) and the operators' (suspense resolution, refund redirection) own commands on money the bank
 * handled: those answers are the bank's own records. Other roles calling those routes are compared.
 * What is normalised is in `normalised` (support/sealed/two-worlds.ts): Date, a health timing, and the
 * event log's random event ids, wall-clock times, correlation ids and hash chain.
 *
 * The matrix: every route `servedRoutes` reads from the app's Fastify instance (GET, its HEAD twin, POST;
 * the OpenAPI UI and probes included) × anonymous, the ESB, a bidder that pays and one that never does, an
 * auditor, another center, an operator and the lot's center. The first test fails when the app serves a
 * route the suite has no probe for; the last when a route was not sent to every caller.
 */
describe('sealed means sealed: a lot paid into and one nobody paid answer alike (e2e)', () => {
  let worlds: TwoWorlds;
  let accounts: Accounts;
  let keys = 0;
  const a = bondsOf(LOT_A);
  const b = bondsOf(LOT_B);

  beforeAll(async () => {
    worlds = await TwoWorlds.start(T0, SEALED_LOTS);
    const [paidAccounts, unpaidAccounts] = await worlds.both(setUpWorld);
    expect(unpaidAccounts).toEqual(paidAccounts);
    accounts = paidAccounts;
    await payIntoSealedLots(worlds.paid, accounts);
  });

  afterAll(async () => {
    await worlds.close();
  });

  /** What is wrong with an exchange, by its expectation. */
  function judge(exchange: Exchange): string[] {
    const { probe, paid, same, recordedLooks } = exchange;
    if (probe.expect === 'own' || same) return [];
    if (probe.expect === 'same') return [`differs between the worlds:\n${describeDifference(exchange)}`];
    // A look by bank operations or an auditor: each sealed lot the paid answer names must have the look on record.
    const named = SEALED_LOTS.filter((lotId) => paid.body.includes(lotId) || probe.path.includes(lotId));
    const missing = named.length === 0 ? (recordedLooks.length === 0 ? ['any sealed lot'] : []) : named.filter((lotId) => !recordedLooks.includes(lotId));
    if (missing.length === 0) return [];
    return [`shows sealed data of ${missing.join(', ')} with no SealedDataViewed "${requestLineOf(probe)}" recorded (recorded for: ${recordedLooks.join(', ') || 'none'}):\n${describeDifference(exchange)}`];
  }

  /** Sends each request of the routes (and of their HEAD twins) to its callers; returns the problems. */
  async function probeRoutes(routes: readonly RouteRequests[], { withHead }: { withHead: boolean }): Promise<string[]> {
    const problems: string[] = [];
    for (const { route: getRoute, requests } of routes) {
      for (const route of withHead ? [getRoute, headOf(getRoute)] : [getRoute]) {
        for (const request of requests) {
          for (const caller of request.callers ?? EVERY_CALLER) {
            const exchange = await worlds.send({ route, caller, path: request.path, body: request.body, expect: request.expectFor?.(caller) ?? 'same' });
            problems.push(...judge(exchange));
            if (caller === CALLERS.center && request.centerGets !== undefined && methodOf(route) === 'GET') {
              for (const [world, answer] of [['paid', exchange.paid], ['unpaid', exchange.unpaid]] as const) {
                const problem = request.centerGets(answer);
                if (problem !== undefined) problems.push(`the center's ${requestLineOf(exchange.probe)} (${world} world): ${problem}`);
              }
            }
          }
        }
      }
    }
    return problems;
  }

  const lotEvents = (lotId: string) => worlds.both((ledger) => ledger.streamEvents(`lot-${lotId}`));

  interface CenterCommand {
    route: (typeof LIFECYCLE_ROUTES)[number];
    lotId: string;
    path: string;
    body: unknown;
    /** The answer both worlds must give: a status and an error code, or a status and the whole body. */
    answer: { status: number; code?: string; body?: unknown };
    /** What each world's lot stream must have appended: a problem, or undefined. */
    recorded: (appended: RecordedEvent[]) => string | undefined;
  }

  /**
   * The center's command on its sealed lot, with an Idempotency-Key, then the same request again under
   * the key: both answered alike in both worlds, the first as `answer`, and recorded as `recorded`.
   */
  async function centerCommand(command: CenterCommand): Promise<string[]> {
    const problems: string[] = [];
    const probe: Probe = { route: command.route, caller: CALLERS.center, path: command.path, body: command.body, idempotencyKey: `sealed-key-${(keys += 1)}`, expect: 'same' };
    const [paidBefore, unpaidBefore] = await lotEvents(command.lotId);
    const first = await worlds.send(probe);
    const [paidAfter, unpaidAfter] = await lotEvents(command.lotId);
    const line = `${requestLineOf(probe)} ${JSON.stringify(command.body)}`;
    problems.push(...judge(first));
    for (const [world, answer, appended] of [
      ['paid', first.paid, paidAfter.slice(paidBefore.length)],
      ['unpaid', first.unpaid, unpaidAfter.slice(unpaidBefore.length)],
    ] as const) {
      const wrong = wrongAnswer(answer, command.answer);
      if (wrong !== undefined) problems.push(`${line} (${world} world): ${wrong}`);
      const unrecorded = command.recorded(appended);
      if (unrecorded !== undefined) problems.push(`${line} (${world} world): ${unrecorded}; appended ${JSON.stringify(appended.map((event) => ({ type: event.type, data: event.data })))}`);
    }
    const replay = await worlds.send(probe);
    problems.push(...judge(replay).map((problem) => `replayed under its Idempotency-Key: ${problem}`));
    return problems;
  }

  function wrongAnswer(answer: Answer, expected: CenterCommand['answer']): string | undefined {
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      body = answer.body;
    }
    const code = (body as { error?: { code?: unknown } }).error?.code;
    const fits = answer.status === expected.status && (expected.code === undefined || code === expected.code) && (expected.body === undefined || JSON.stringify(body) === JSON.stringify(expected.body));
    const wanted = `${expected.status}${expected.code === undefined ? '' : ` ${expected.code}`}${expected.body === undefined ? '' : ` ${JSON.stringify(expected.body)}`}`;
    return fits ? undefined : `expected ${wanted}, got ${answer.status} ${answer.body}`;
  }

  /** A `SealedLotAsked` of the lot naming `named` (a bond or a bidder) among the appended events. */
  const askedNaming =
    (lotId: string, named: { bondId?: string; bidderId?: string }) =>
    (appended: RecordedEvent[]): string | undefined => {
      const found = appended.some((event) => {
        const data = event.data as Record<string, unknown>;
        return event.type === 'SealedLotAsked' && data.lotId === lotId && typeof data.command === 'string' && Object.entries(named).every(([field, value]) => data[field] === value);
      });
      return found ? undefined : `no SealedLotAsked of ${lotId} naming ${JSON.stringify(named)} recorded`;
    };

  const appendedOneOf =
    (...types: string[]) =>
    (appended: RecordedEvent[]): string | undefined =>
      appended.some((event) => types.includes(event.type)) ? undefined : `none of ${types.join(', ')} recorded`;

  /** The route's request for every caller but the center (refused alike), then the center's commands. */
  async function lifecycleRoute(route: CenterCommand['route'], othersPath: string, othersBody: unknown, commands: Array<Omit<CenterCommand, 'route'>>): Promise<string[]> {
    const problems: string[] = [];
    for (const caller of EVERY_CALLER.filter((candidate) => candidate !== CALLERS.center)) {
      problems.push(...judge(await worlds.send({ route, caller, path: othersPath, body: othersBody, expect: 'same' })));
    }
    for (const command of commands) problems.push(...(await centerCommand({ route, ...command })));
    return problems;
  }

  it('has probes for exactly the routes the running app serves (a new route fails here until the suite covers it)', () => {
    const served = servedRoutes(worlds.paid.app).map(routeKey);
    const probed = new Set([...readRoutes(accounts, { withDocs: true }).flatMap(({ route }) => [route, headOf(route)]), ...commandRoutes(accounts).map(({ route }) => route), ...LIFECYCLE_ROUTES]);
    expect([...probed].sort()).toEqual([...served].sort());
  });

  describe('while the lots are sealed', () => {
    describe('reads, before any command', () => {
      it.each(['docs', 'console', 'health', 'v1'])('%s routes: every caller gets the same answer in both worlds; bank looks at sealed data are recorded', async (family) => {
        const routes = readRoutes(accounts, { withDocs: true }).filter(({ route }) => route.split(' ')[1]!.split('/')[1]!.startsWith(family));
        expect(await probeRoutes(routes, { withHead: true })).toEqual([]);
      });
    });

    describe('set-up, ESB and operator commands', () => {
      it.each(COMMAND_ROUTES)('%s answers alike in both worlds', async (route) => {
        const routes = commandRoutes(accounts).filter((candidate) => candidate.route === route);
        expect(routes).toHaveLength(1);
        expect(await probeRoutes(routes, { withHead: false })).toEqual([]);
      });
    });

    describe("the lot's own center's commands (lot A: refused alike and recorded)", () => {
      it('forfeiture: 422 FORFEITURE_NOT_ALLOWED for bonds that exist and bonds that do not, each ask recorded', async () => {
        const body = { reason: 'probing the seal', ground: 'WITHDRAWN_AFTER_DEADLINE' };
        const commands = [a.alpha, a.bravo, a.nobody, a.astray, a.charlie].map((bondId) => ({
          lotId: LOT_A,
          path: `/v1/bonds/${bondId}/forfeiture`,
          body,
          answer: { status: 422, code: 'FORFEITURE_NOT_ALLOWED' },
          recorded: askedNaming(LOT_A, { bondId }),
        }));
        commands.push({ ...commands[0]!, path: `/v1/bonds/${a.alpha}/forfeiture`, body: { reason: 'probing the seal without a ground' } as typeof body });
        commands.push({ ...commands[4]!, path: `/v1/bonds/${a.charlie}/forfeiture`, body: { reason: 'probing the seal without a ground' } as typeof body });
        expect(await lifecycleRoute('POST /v1/bonds/:bondId/forfeiture', `/v1/bonds/${a.alpha}/forfeiture`, body, commands)).toEqual([]);
      });

      it('attribution: 404 BOND_NOT_FOUND for every bond, each ask recorded', async () => {
        const commands = [a.nobody, a.astray, a.alpha, a.charlie].map((bondId) => ({
          lotId: LOT_A,
          path: `/v1/bonds/${bondId}/attribution`,
          body: { bidderId: 'CHARLIE' },
          answer: { status: 404, code: 'BOND_NOT_FOUND' },
          recorded: askedNaming(LOT_A, { bondId }),
        }));
        expect(await lifecycleRoute('POST /v1/bonds/:bondId/attribution', `/v1/bonds/${a.nobody}/attribution`, { bidderId: 'CHARLIE' }, commands)).toEqual([]);
      });

      it('award: 422 BIDS_NOT_OPENED whoever is named, each ask recorded', async () => {
        const byBidder = ['ALPHA', 'CHARLIE'].map((bidderId) => ({ body: { winnerBidderId: bidderId, contractSignedOn: TODAY }, named: { bidderId } }));
        const byBond = [a.nobody, a.charlie].map((bondId) => ({ body: { winnerBondId: bondId, contractSignedOn: TODAY }, named: { bondId } }));
        const commands = [...byBidder, ...byBond].map(({ body, named }) => ({
          lotId: LOT_A,
          path: `/v1/lots/${LOT_A}/award`,
          body,
          answer: { status: 422, code: 'BIDS_NOT_OPENED' },
          recorded: askedNaming(LOT_A, named),
        }));
        expect(await lifecycleRoute('POST /v1/lots/:lotId/award', `/v1/lots/${LOT_A}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: TODAY }, commands)).toEqual([]);
      });

      it('signing refusals: 422 BIDS_NOT_OPENED whoever is named, each ask recorded', async () => {
        const commands = ['ALPHA', 'CHARLIE'].map((bidderId) => ({
          lotId: LOT_A,
          path: `/v1/lots/${LOT_A}/signing-refusals`,
          body: { bidderId, refusedOn: TODAY, reason: 'probing the seal' },
          answer: { status: 422, code: 'BIDS_NOT_OPENED' },
          recorded: askedNaming(LOT_A, { bidderId }),
        }));
        expect(await lifecycleRoute('POST /v1/lots/:lotId/signing-refusals', `/v1/lots/${LOT_A}/signing-refusals`, { bidderId: 'ALPHA', refusedOn: TODAY, reason: 'x' }, commands)).toEqual([]);
      });

      it('a refund run nobody withdrew for: 201 {lotId, refundOn, sealed: true}, recorded', async () => {
        const command = {
          lotId: LOT_A,
          path: `/v1/lots/${LOT_A}/refunds`,
          body: { refundOn: TODAY },
          answer: { status: 201, body: { lotId: LOT_A, refundOn: TODAY, sealed: true } },
          recorded: appendedOneOf('RefundInstructed', 'SealedLotAsked'),
        };
        expect(await lifecycleRoute('POST /v1/lots/:lotId/refunds', `/v1/lots/${LOT_A}/refunds`, { refundOn: TODAY }, [command])).toEqual([]);
      });
    });

    describe("the lot's own center's commands that succeed (lot B)", () => {
      it('withdrawals before the deadline: 201 alike for a bidder that paid and one that did not, no bond ids', async () => {
        const answerFor = (bidderId: string) => ({ status: 201, body: { lotId: LOT_B, bidderId, noticeReceivedAt: NOTICE, beforeDeadline: true, refundDueBy: '2026-12-20' } });
        const commands = [
          { lotId: LOT_B, path: `/v1/lots/${LOT_B}/withdrawals`, body: { bidderId: 'ALPHA', noticeReceivedAt: NOTICE }, answer: answerFor('ALPHA'), recorded: appendedOneOf('BidderWithdrew') },
          { lotId: LOT_B, path: `/v1/lots/${LOT_B}/withdrawals`, body: { bidderId: 'CHARLIE', noticeReceivedAt: NOTICE }, answer: answerFor('CHARLIE'), recorded: appendedOneOf('BidderWithdrew') },
        ];
        const problems = await lifecycleRoute('POST /v1/lots/:lotId/withdrawals', `/v1/lots/${LOT_B}/withdrawals`, { bidderId: 'ALPHA', noticeReceivedAt: NOTICE }, commands);
        // Withdrawing again (another key): whatever it answers, alike.
        problems.push(...judge(await worlds.send({ route: 'POST /v1/lots/:lotId/withdrawals', caller: CALLERS.center, path: `/v1/lots/${LOT_B}/withdrawals`, body: { bidderId: 'ALPHA', noticeReceivedAt: NOTICE }, expect: 'same' })));
        expect(problems).toEqual([]);
      });

      it('the refund run after a withdrawal: 201 {lotId, refundOn, sealed: true} alike, though the paid world instructs ALPHA’s refund (which the ESB then settles)', async () => {
        const problems = await centerCommand({
          route: 'POST /v1/lots/:lotId/refunds',
          lotId: LOT_B,
          path: `/v1/lots/${LOT_B}/refunds`,
          body: { refundOn: TODAY },
          answer: { status: 201, body: { lotId: LOT_B, refundOn: TODAY, sealed: true } },
          recorded: appendedOneOf('RefundInstructed', 'SealedLotAsked'),
        });
        const [paidEvents] = await lotEvents(LOT_B);
        if (!paidEvents.some((event) => event.type === 'RefundInstructed' && (event.data as { bondId?: unknown }).bondId === b.alpha)) problems.push('the paid world did not instruct the refund of ALPHA’s withdrawn bond');
        // The ESB's settlement is the bank's own record of its own payment: not compared.
        const settlement = await worlds.send({ route: 'POST /v1/refunds/:refundId/settlement', caller: CALLERS.esb, path: `/v1/refunds/${ALPHA_REFUND_B}/settlement`, body: { status: 'SETTLED', bankRef: 'SMLOUT0001' }, expect: 'own' });
        if (settlement.paid.status !== 201) problems.push(`the ESB's settlement of ALPHA's refund in the paid world: expected 201, got ${settlement.paid.status} ${settlement.paid.body}`);
        expect(problems).toEqual([]);
      });

      it('termination, then the refund run of every bond: answered alike', async () => {
        const terminated = await lifecycleRoute('POST /v1/lots/:lotId/termination', `/v1/lots/${LOT_B}/termination`, { reason: 'tender cancelled' }, [
          { lotId: LOT_B, path: `/v1/lots/${LOT_B}/termination`, body: { reason: 'tender cancelled' }, answer: { status: 201 }, recorded: appendedOneOf('TenderTerminated') },
        ]);
        const refunded = await centerCommand({
          route: 'POST /v1/lots/:lotId/refunds',
          lotId: LOT_B,
          path: `/v1/lots/${LOT_B}/refunds`,
          body: { refundOn: TODAY },
          answer: { status: 201, body: { lotId: LOT_B, refundOn: TODAY, sealed: true } },
          recorded: appendedOneOf('RefundInstructed', 'SealedLotAsked'),
        });
        const again = judge(await worlds.send({ route: 'POST /v1/lots/:lotId/termination', caller: CALLERS.center, path: `/v1/lots/${LOT_B}/termination`, body: { reason: 'twice' }, expect: 'same' }));
        expect([...terminated, ...refunded, ...again]).toEqual([]);
      });
    });

    describe('reads, after the commands (refunds instructed and settled in the paid world)', () => {
      it.each(['health', 'v1'])('%s routes: every caller gets the same answer in both worlds; bank looks at sealed data are recorded', async (family) => {
        const routes = readRoutes(accounts, { withDocs: false }).filter(({ route }) => route.split(' ')[1]!.split('/')[1]!.startsWith(family));
        expect(await probeRoutes(routes, { withHead: true })).toEqual([]);
      });
    });
  });

  describe('after bid opening', () => {
    const centerReads = async (path: string, route: string): Promise<Exchange> => worlds.send({ route, caller: CALLERS.center, path, expect: 'own' });
    const body = (answer: Answer) => JSON.parse(answer.body) as Record<string, unknown>;

    beforeAll(async () => {
      await worlds.advanceTo(AFTER_OPENING);
    });

    it('the lot clock has opened lot A’s bids in both worlds', async () => {
      const [paid, unpaid] = await lotEvents(LOT_A);
      expect(paid.map((event) => event.type)).toContain('BidsOpened');
      expect(unpaid.map((event) => event.type)).toContain('BidsOpened');
    });

    it('shows the paid world’s center the lot with its count and total, which the unpaid world’s does not have', async () => {
      const lot = await centerReads(`/v1/lots/${LOT_A}`, 'GET /v1/lots/:lotId');
      expect(lot.paid.status).toBe(200);
      expect(body(lot.paid)).toMatchObject({ lotId: LOT_A, sealed: false, status: 'BIDS_OPENED', bondCount: 4, totalPrincipal: '200000.00' });
      expect(body(lot.unpaid)).toMatchObject({ lotId: LOT_A, sealed: false, bondCount: 0 });
    });

    it('shows the paid world’s center every bond: who paid, from which account, how much', async () => {
      const bonds = await centerReads(`/v1/lots/${LOT_A}/bonds`, 'GET /v1/lots/:lotId/bonds');
      expect(bonds.paid.status).toBe(200);
      const listed = body(bonds.paid).bonds as Array<{ bondId: string; principal: string }>;
      expect(listed.map((bond) => bond.bondId).sort()).toEqual([a.alpha, a.bravo, a.nobody, a.astray].sort());
      expect(listed.map((bond) => bond.principal)).toEqual(['50000.00', '50000.00', '50000.00', '50000.00']);
      for (const account of [ALPHA, BRAVO, NOBODY, ASTRAY]) expect(bonds.paid.body).toContain(account.accountNo);
      expect(body(bonds.unpaid).bonds).toEqual([]);

      const own = await centerReads(`/v1/bonds/${a.alpha}`, 'GET /v1/bonds/:bondId');
      expect(own.paid.status).toBe(200);
      expect(body(own.paid)).toMatchObject({ bondId: a.alpha, bidderId: 'ALPHA', principal: '50000.00', status: 'HELD' });
      expect(own.unpaid.status).toBe(404);
    });

    it('shows the paid world’s center the lot’s accounts and its master account including the lot', async () => {
      const { lotVa, alphaVa } = accounts[LOT_A]!;
      const lotAccount = await centerReads(`/v1/virtual-accounts/${lotVa}/balance`, 'GET /v1/virtual-accounts/:virtualAccountNo/balance');
      expect(body(lotAccount.paid)).toMatchObject({ virtualAccountNo: lotVa, lotId: LOT_A, balance: '150000.00' });
      const alphaAccount = await centerReads(`/v1/virtual-accounts/${alphaVa}/balance`, 'GET /v1/virtual-accounts/:virtualAccountNo/balance');
      expect(body(alphaAccount.paid)).toMatchObject({ virtualAccountNo: alphaVa, lotId: LOT_A, bidderId: 'ALPHA', balance: '50000.00' });

      const master = await centerReads(`/v1/master-accounts/${MASTER}/balance`, 'GET /v1/master-accounts/:accountNo/balance');
      expect(master.paid.status).toBe(200);
      expect(body(master.paid)).toMatchObject({ accountNo: MASTER, balance: '200000.00', balanceScope: 'OPENED_LOTS' });
      expect(body(master.paid).virtualAccounts).toEqual(
        expect.arrayContaining([
          { virtualAccountNo: lotVa, lotId: LOT_A, balance: '150000.00' },
          { virtualAccountNo: alphaVa, lotId: LOT_A, bidderId: 'ALPHA', balance: '50000.00' },
        ]),
      );
      expect(body(master.unpaid)).toMatchObject({ balance: '0.00' });
      const refunds = await centerReads(`/v1/refunds?lotId=${LOT_A}`, 'GET /v1/refunds');
      expect(refunds.paid.status).toBe(200);
    });
  });

  it('sent every route the app serves to every caller', () => {
    const missing = servedRoutes(worlds.paid.app)
      .map(routeKey)
      .flatMap((route) => EVERY_CALLER.filter((caller: Caller) => !worlds.sent.get(route)?.has(caller.name)).map((caller) => `${route} × ${caller.name}`));
    expect(missing).toEqual([]);
  });
});
