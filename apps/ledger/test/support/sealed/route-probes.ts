import { BANK, UNISSUED_VIRTUAL_ACCOUNT, creditIdOf, creditStreamOf, inboundCredit, masterAccountStreamOf } from '../ledger-fixtures';
import {
  ALPHA,
  ALPHA_REFUND_B,
  ASTRAY_CREDIT,
  BRAVO,
  CALLERS,
  CENTER,
  EVERY_CALLER,
  LOT_A,
  LOT_B,
  MASTER,
  RATES,
  RIVAL_MASTER,
  TODAY,
  bondsOf,
  creditRef,
  termsOf,
  type Accounts,
} from './sealed-scenario';
import type { Answer, Caller, Expectation } from './two-worlds';

/** One request of a route, sent to `callers` (all by default) in their order. */
export interface RouteRequest {
  readonly path: string;
  readonly body?: unknown;
  readonly callers?: readonly Caller[];
  /** How the two answers of a caller are judged; `same` when it returns undefined. */
  readonly expectFor?: (caller: Caller) => Expectation | undefined;
  /** What the lot's own center must get (issue #15, "How it is shown"): a problem, or undefined. */
  readonly centerGets?: (answer: Answer) => string | undefined;
}

export interface RouteRequests {
  /** `GET /v1/lots/:lotId`: a read route's HEAD twin is probed with the same requests. */
  readonly route: string;
  readonly requests: readonly RouteRequest[];
}

const bankLooks = (caller: Caller): Expectation | undefined => (caller === CALLERS.operator || caller === CALLERS.auditor ? 'look' : undefined);

/** A bidder's own bond is its own data (docs/security.md); bank operations' looks are recorded. */
const ownBondOf =
  (bidder: Caller) =>
  (caller: Caller): Expectation | undefined =>
    caller === bidder ? 'own' : bankLooks(caller);

const json = (answer: Answer): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

const refusedAsSealed = (answer: Answer): string | undefined => {
  const code = (json(answer)?.error as { code?: unknown } | undefined)?.code;
  return answer.status === 403 && code === 'SEALED_UNTIL_BID_OPENING' ? undefined : `expected 403 SEALED_UNTIL_BID_OPENING, got ${answer.status} ${answer.body}`;
};

const sealedLotView = (answer: Answer): string | undefined => {
  const body = json(answer);
  if (answer.status !== 200 || body === undefined) return `expected 200, got ${answer.status} ${answer.body}`;
  if (body.sealed !== true) return `expected sealed: true, got ${answer.body}`;
  if (body.status === 'REFUNDING' || body.status === 'SETTLED') return `status ${String(body.status)} while sealed tells that money moved: ${answer.body}`;
  if ('bondCount' in body || 'totalPrincipal' in body) return `counts or amounts while sealed: ${answer.body}`;
  return undefined;
};

/** Issue #15 item 4: the center's master balance leaves its sealed lots out (here every lot on it is sealed). */
const masterBalanceWithoutSealedLots = (answer: Answer): string | undefined => {
  const body = json(answer);
  if (answer.status !== 200 || body === undefined) return `expected 200, got ${answer.status} ${answer.body}`;
  if (body.balanceScope !== 'OPENED_LOTS') return `expected balanceScope OPENED_LOTS, got ${answer.body}`;
  if (body.balance !== '0.00') return `expected balance 0.00 (every lot on the account is sealed), got ${answer.body}`;
  return undefined;
};

/** GET /v1/lots: every lot of the list in its sealed view (here every lot of the center is sealed). */
const sealedLotsView = (answer: Answer): string | undefined => {
  const body = json(answer);
  const lots = body?.lots;
  if (answer.status !== 200 || !Array.isArray(lots)) return `expected 200 with lots, got ${answer.status} ${answer.body}`;
  for (const lot of lots as unknown[]) {
    const problem = sealedLotView({ ...answer, body: JSON.stringify(lot) });
    if (problem !== undefined) return problem;
  }
  return undefined;
};

/** GET /v1/master-accounts: each of the center's accounts as the single route gives it (sealed lots left out). */
const masterBalancesWithoutSealedLots = (answer: Answer): string | undefined => {
  const masters = json(answer)?.masterAccounts;
  if (answer.status !== 200 || !Array.isArray(masters) || masters.length === 0) return `expected 200 with the center's master accounts, got ${answer.status} ${answer.body}`;
  for (const master of masters as unknown[]) {
    const problem = masterBalanceWithoutSealedLots({ ...answer, body: JSON.stringify(master) });
    if (problem !== undefined) return problem;
  }
  return undefined;
};

/**
 * The read routes (GET; the spec sends each request as HEAD too): every caller, the ids naming the sealed
 * lots, their bonds (derived with `bondIdFor`), accounts and streams. `withDocs`: the OpenAPI UI's routes
 * as well (they do not change, so once is enough).
 */
export function readRoutes(accounts: Accounts, { withDocs }: { withDocs: boolean }): RouteRequests[] {
  const a = bondsOf(LOT_A);
  const b = bondsOf(LOT_B);
  const { lotVa: lotVaA, alphaVa: alphaVaA } = accounts[LOT_A]!;
  const { lotVa: lotVaB } = accounts[LOT_B]!;
  const read = (path: string, more: Omit<RouteRequest, 'path'> = {}): RouteRequest => ({ path, expectFor: bankLooks, ...more });
  const docs: RouteRequests[] = [
    { route: 'GET /docs', requests: [read('/docs')] },
    { route: 'GET /docs-json', requests: [read('/docs-json')] },
    { route: 'GET /docs-yaml', requests: [read('/docs-yaml')] },
    { route: 'GET /docs/*', requests: [read('/docs/swagger-ui.css')] },
    { route: 'GET /docs/docs/swagger-ui-init.js', requests: [read('/docs/docs/swagger-ui-init.js')] },
    { route: 'GET /docs/index.html', requests: [read('/docs/index.html')] },
    { route: 'GET /docs/license', requests: [read('/docs/license')] },
    { route: 'GET /docs/swagger-ui-init.js', requests: [read('/docs/swagger-ui-init.js')] },
    // The console's static files (apps/ledger/src/platform/http/console-static.ts): /console (a redirect), a page
    // path (the SPA fallback) and a missing file.
    { route: 'GET /console', requests: [read('/console')] },
    { route: 'GET /console/*', requests: [read(`/console/lots/${LOT_A}`), read('/console/assets/no-such-file.js')] },
  ];
  return [
    ...(withDocs ? docs : []),
    { route: 'GET /health', requests: [read('/health')] },
    { route: 'GET /health/live', requests: [read('/health/live')] },
    { route: 'GET /health/ready', requests: [read('/health/ready')] },
    {
      route: 'GET /v1/lots/:lotId',
      requests: [read(`/v1/lots/${LOT_A}`, { centerGets: sealedLotView }), read(`/v1/lots/${LOT_B}`, { centerGets: sealedLotView }), read('/v1/lots/SML-NO-SUCH-LOT')],
    },
    { route: 'GET /v1/lots/:lotId/bonds', requests: [read(`/v1/lots/${LOT_A}/bonds`, { centerGets: refusedAsSealed }), read(`/v1/lots/${LOT_B}/bonds`, { centerGets: refusedAsSealed })] },
    {
      route: 'GET /v1/bonds/:bondId',
      requests: [
        read(`/v1/bonds/${a.alpha}`, { expectFor: ownBondOf(CALLERS.payingBidder), centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.bravo}`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.nobody}`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.astray}`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.charlie}`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${b.alpha}`, { expectFor: ownBondOf(CALLERS.payingBidder), centerGets: refusedAsSealed }),
        read(`/v1/bonds/${b.nobody}`, { centerGets: refusedAsSealed }),
      ],
    },
    {
      route: 'GET /v1/virtual-accounts/:virtualAccountNo/balance',
      requests: [
        read(`/v1/virtual-accounts/${lotVaA}/balance`, { centerGets: refusedAsSealed }),
        read(`/v1/virtual-accounts/${alphaVaA}/balance`, { centerGets: refusedAsSealed }),
        read(`/v1/virtual-accounts/${lotVaB}/balance`, { centerGets: refusedAsSealed }),
      ],
    },
    {
      route: 'GET /v1/master-accounts/:accountNo/balance',
      requests: [read(`/v1/master-accounts/${MASTER}/balance`, { centerGets: masterBalanceWithoutSealedLots }), read(`/v1/master-accounts/${RIVAL_MASTER}/balance`)],
    },
    { route: 'GET /v1/suspense', requests: [read('/v1/suspense'), read('/v1/suspense?status=MATCHED')] },
    { route: 'GET /v1/basic-account-conflicts', requests: [read('/v1/basic-account-conflicts')] },
    {
      route: 'GET /v1/refunds',
      requests: [
        read('/v1/refunds'),
        read(`/v1/refunds?lotId=${LOT_A}`, { centerGets: refusedAsSealed }),
        read(`/v1/refunds?lotId=${LOT_B}`, { centerGets: refusedAsSealed }),
        read('/v1/refunds?status=INSTRUCTED'),
        read('/v1/refunds?status=SETTLED'),
      ],
    },
    {
      route: 'GET /v1/streams/:stream',
      requests: [
        read(`/v1/streams/lot-${LOT_A}`),
        read(`/v1/streams/lot-${LOT_B}`),
        read(`/v1/streams/${creditStreamOf(creditRef(LOT_A, 'ALPHA'))}`),
        read(`/v1/streams/${creditStreamOf(creditRef(LOT_A, 'ASTRAY'))}`),
        read(`/v1/streams/${masterAccountStreamOf(MASTER)}`),
        read(`/v1/streams/tender-center-${CENTER}`),
        read(`/v1/streams/sealed-data-views-${LOT_A}`),
      ],
    },
    { route: 'GET /v1/events', requests: [read('/v1/events?maxCount=1000')] },
    // The console's routes (issue #16): lists, documents in every format, the refund preview, the sign-in.
    { route: 'GET /v1/lots', requests: [read('/v1/lots', { centerGets: sealedLotsView }), read(`/v1/lots?centerId=${CENTER}`, { centerGets: sealedLotsView })] },
    {
      route: 'GET /v1/bidders/:bidderId/bonds',
      requests: [
        read('/v1/bidders/ALPHA/bonds', { expectFor: ownBondOf(CALLERS.payingBidder) }),
        read('/v1/bidders/BRAVO/bonds'),
        read('/v1/bidders/CHARLIE/bonds'),
      ],
    },
    { route: 'GET /v1/master-accounts', requests: [read('/v1/master-accounts', { centerGets: masterBalancesWithoutSealedLots })] },
    { route: 'GET /v1/interest-rate-schedules', requests: [read('/v1/interest-rate-schedules')] },
    {
      route: 'GET /v1/lots/:lotId/statement',
      requests: [
        read(`/v1/lots/${LOT_A}/statement`, { centerGets: refusedAsSealed }),
        read(`/v1/lots/${LOT_A}/statement?format=csv`, { centerGets: refusedAsSealed }),
        read(`/v1/lots/${LOT_A}/statement?format=pdf`, { centerGets: refusedAsSealed }),
        read(`/v1/lots/${LOT_B}/statement?format=csv`, { centerGets: refusedAsSealed }),
      ],
    },
    {
      route: 'GET /v1/bonds/:bondId/certificate',
      requests: [
        read(`/v1/bonds/${a.alpha}/certificate`, { expectFor: ownBondOf(CALLERS.payingBidder), centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.bravo}/certificate`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.nobody}/certificate`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${a.charlie}/certificate`, { centerGets: refusedAsSealed }),
        read(`/v1/bonds/${b.alpha}/certificate`, { expectFor: ownBondOf(CALLERS.payingBidder), centerGets: refusedAsSealed }),
      ],
    },
    {
      route: 'GET /v1/lots/:lotId/refund-preview',
      requests: [read(`/v1/lots/${LOT_A}/refund-preview?refundOn=${TODAY}`, { centerGets: refusedAsSealed }), read(`/v1/lots/${LOT_B}/refund-preview`, { centerGets: refusedAsSealed })],
    },
    {
      route: 'GET /v1/lots/:lotId/refund-list',
      requests: [
        read(`/v1/lots/${LOT_A}/refund-list`, { centerGets: refusedAsSealed }),
        read(`/v1/lots/${LOT_B}/refund-list`, { centerGets: refusedAsSealed }),
        read(`/v1/lots/${LOT_B}/refund-list?format=pdf`, { centerGets: refusedAsSealed }),
      ],
    },
    { route: 'GET /v1/dev/sign-in', requests: [read('/v1/dev/sign-in')] },
  ];
}

/** Every caller but `allowed`, then `allowed`: a route's refusals before the one call that may change state. */
const allowedLast = (...allowed: Caller[]): Caller[] => [...EVERY_CALLER.filter((caller) => !allowed.includes(caller)), ...allowed];

/** Every caller but `excluded`. */
const allBut = (...excluded: Caller[]): Caller[] => EVERY_CALLER.filter((caller) => !excluded.includes(caller));

/**
 * The commands that are not the lot's life cycle: set-up (operator, center), the ESB's and the operators'
 * own commands on money. The ESB's inbound credits, credit statuses and refund settlements and the
 * operators' suspense resolutions and refund redirections are the bank's own records of money it
 * handled: they are not compared for those roles (`own`), and where sending the real thing would pay into
 * the unpaid world (a credit into the lot) or change the paid one (a reversal), the ESB is sent a request
 * that names no sealed lot instead. Every other role gets the request naming the sealed lot, refused alike.
 */
export const COMMAND_ROUTES = [
  'POST /v1/tender-centers',
  'POST /v1/tender-centers/:centerId/master-accounts',
  'POST /v1/interest-rate-schedules',
  'POST /v1/interest-rate-schedules/:scheduleId/entries',
  'POST /v1/lots',
  'POST /v1/lots/:lotId/virtual-accounts',
  'POST /v1/bidders/:bidderId/basic-account',
  'POST /v1/inbound-credits',
  'POST /v1/inbound-credit-batches',
  'POST /v1/inbound-credits/:creditId/status',
  'POST /v1/suspense/:creditId/resolution',
  'POST /v1/refunds/:refundId/settlement',
  'POST /v1/refunds/:refundId/redirection',
  'POST /v1/dev/sign-in',
] as const;

export function commandRoutes(accounts: Accounts): Array<RouteRequests & { route: (typeof COMMAND_ROUTES)[number] }> {
  const { lotVa: lotVaA } = accounts[LOT_A]!;
  const operatorsOwn = (caller: Caller): Expectation | undefined => (caller === CALLERS.operator ? 'own' : undefined);
  const creditIntoLotA = inboundCredit({ bankRef: 'SMLPROBE0001', receivedAt: '2026-12-15T09:45:00+08:00', valueDate: TODAY, amount: '50000.00', payer: BRAVO, payeeAccountNo: lotVaA });
  const creditToNoAccount = inboundCredit({ bankRef: 'SMLPROBE0002', receivedAt: '2026-12-15T09:45:00+08:00', valueDate: TODAY, amount: '1.00', payer: BRAVO, payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT });
  return [
    { route: 'POST /v1/tender-centers', requests: [{ path: '/v1/tender-centers', body: { centerId: 'SML-NEW-CENTER', name: 'Probe center' }, callers: allowedLast(CALLERS.operator) }] },
    {
      route: 'POST /v1/tender-centers/:centerId/master-accounts',
      requests: [
        {
          path: `/v1/tender-centers/${CENTER}/master-accounts`,
          body: { bankCode: BANK, accountNo: '6217000000015009', accountName: 'second custody account' },
          callers: allowedLast(CALLERS.center, CALLERS.operator),
        },
      ],
    },
    {
      route: 'POST /v1/interest-rate-schedules',
      requests: [
        { path: '/v1/interest-rate-schedules', body: { scheduleId: RATES, dayCount: 'ACT/360', entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }] }, callers: allowedLast(CALLERS.operator) },
        { path: '/v1/interest-rate-schedules', body: { scheduleId: 'SML-RATES-2', dayCount: 'ACT/365', entries: [{ effectiveFrom: '2020-01-01', annualRate: '0.0030' }] }, callers: [CALLERS.operator] },
      ],
    },
    {
      route: 'POST /v1/interest-rate-schedules/:scheduleId/entries',
      // The sealed lots' own schedule: a rate change must not be answered by what it does to their bonds.
      requests: [{ path: `/v1/interest-rate-schedules/${RATES}/entries`, body: { effectiveFrom: '2026-12-20', annualRate: '0.0030' }, callers: allowedLast(CALLERS.operator) }],
    },
    {
      route: 'POST /v1/lots',
      requests: [
        { path: '/v1/lots', body: termsOf(LOT_A), callers: allowedLast(CALLERS.center, CALLERS.operator) },
        { path: '/v1/lots', body: { ...termsOf(LOT_A), bondAmount: '40000.00' }, callers: [CALLERS.center] },
      ],
    },
    {
      route: 'POST /v1/lots/:lotId/virtual-accounts',
      requests: [
        { path: `/v1/lots/${LOT_A}/virtual-accounts`, body: { masterAccountNo: MASTER, bidderId: 'ALPHA' }, callers: allowedLast(CALLERS.center) },
        { path: `/v1/lots/${LOT_A}/virtual-accounts`, body: { masterAccountNo: MASTER, bidderId: 'DELTA' }, callers: [CALLERS.center] },
        { path: `/v1/lots/${LOT_A}/virtual-accounts`, body: { masterAccountNo: MASTER }, callers: [CALLERS.operator] },
      ],
    },
    {
      route: 'POST /v1/bidders/:bidderId/basic-account',
      requests: [
        // ALPHA paid from it: declaring it again, or another account for BRAVO, answers as if nobody paid.
        { path: '/v1/bidders/ALPHA/basic-account', body: { accountNo: ALPHA.accountNo, accountName: ALPHA.name, bankCode: ALPHA.bankCode }, callers: allowedLast(CALLERS.center, CALLERS.operator) },
        { path: '/v1/bidders/BRAVO/basic-account', body: { accountNo: '6222000015150099', accountName: BRAVO.name, bankCode: BRAVO.bankCode }, callers: [CALLERS.center] },
        { path: '/v1/bidders/BRAVO/basic-account', body: { accountNo: '6222000015150099', accountName: BRAVO.name, bankCode: BRAVO.bankCode, evidenceRef: 'SML-EVIDENCE-1' }, callers: [CALLERS.operator] },
      ],
    },
    {
      route: 'POST /v1/inbound-credits',
      requests: [
        { path: '/v1/inbound-credits', body: creditIntoLotA, callers: allBut(CALLERS.esb) },
        { path: '/v1/inbound-credits', body: creditToNoAccount, callers: [CALLERS.esb] },
      ],
    },
    {
      route: 'POST /v1/inbound-credit-batches',
      requests: [
        { path: '/v1/inbound-credit-batches', body: { credits: [creditIntoLotA] }, callers: allBut(CALLERS.esb) },
        { path: '/v1/inbound-credit-batches', body: { credits: [{ ...creditToNoAccount, bankRef: 'SMLPROBE0003' }, creditToNoAccount] }, callers: [CALLERS.esb] },
      ],
    },
    {
      route: 'POST /v1/inbound-credits/:creditId/status',
      requests: [
        { path: `/v1/inbound-credits/${creditIdOf(creditRef(LOT_A, 'ALPHA'))}/status`, body: { status: 'REVERSED', bankRef: creditRef(LOT_A, 'ALPHA'), reason: 'probe' }, callers: allBut(CALLERS.esb) },
        { path: `/v1/inbound-credits/${creditIdOf('SMLNOSUCHREF')}/status`, body: { status: 'REVERSED', bankRef: 'SMLNOSUCHREF', reason: 'probe' }, callers: [CALLERS.esb] },
      ],
    },
    {
      route: 'POST /v1/suspense/:creditId/resolution',
      requests: [{ path: `/v1/suspense/${ASTRAY_CREDIT}/resolution`, body: { action: 'RETURN' }, callers: allowedLast(CALLERS.operator), expectFor: operatorsOwn }],
    },
    {
      route: 'POST /v1/refunds/:refundId/settlement',
      // The ESB settles ALPHA's refund in the lot B sequence (its own record); everyone else is refused here.
      requests: [{ path: `/v1/refunds/${ALPHA_REFUND_B}/settlement`, body: { status: 'SETTLED', bankRef: 'SMLOUT0001' }, callers: allBut(CALLERS.esb) }],
    },
    {
      route: 'POST /v1/refunds/:refundId/redirection',
      requests: [
        {
          path: `/v1/refunds/${ALPHA_REFUND_B}/redirection`,
          body: { accountNo: '6222000015150077', accountName: ALPHA.name, bankCode: ALPHA.bankCode, evidenceRef: 'SML-EVIDENCE-2', reason: 'account frozen' },
          callers: allowedLast(CALLERS.operator),
          expectFor: operatorsOwn,
        },
      ],
    },
    {
      // Public (the development secret's sign-in): a refused body alike for everyone; a token minted is the
      // caller's own and carries the wall clock's second, so it is not compared.
      route: 'POST /v1/dev/sign-in',
      requests: [
        { path: '/v1/dev/sign-in', body: { role: 'admin', subject: CENTER } },
        { path: '/v1/dev/sign-in', body: { role: 'center', subject: CENTER }, callers: [CALLERS.anonymous], expectFor: () => 'own' },
      ],
    },
  ];
}

/** The lot's life cycle (the center's commands): probed one by one in the spec, in an order both worlds share. */
export const LIFECYCLE_ROUTES = [
  'POST /v1/bonds/:bondId/forfeiture',
  'POST /v1/bonds/:bondId/attribution',
  'POST /v1/lots/:lotId/award',
  'POST /v1/lots/:lotId/signing-refusals',
  'POST /v1/lots/:lotId/refunds',
  'POST /v1/lots/:lotId/withdrawals',
  'POST /v1/lots/:lotId/termination',
] as const;

/** `GET /x` → `HEAD /x`. */
export const headOf = (route: string): string => route.replace(/^GET /, 'HEAD ');
