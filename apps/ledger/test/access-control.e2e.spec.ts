import { INestApplication } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { mintAccessToken } from '../src/platform/auth/access-token';
import { DEVELOPMENT_JWT_SECRET } from '../src/platform/auth/auth-config';
import { ROLES, type Role } from '../src/platform/auth/roles';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { bearer, tokenFor } from './support/access-tokens';
import { declaredRoutes } from './support/declared-routes';
import { LedgerHarness } from './support/ledger-harness';
import { lotTerms } from './support/ledger-fixtures';

/**
 * docs/api-contract.md's "who may call what", route by route, and the roles docs/api.md gives the routes it
 * adds (issue #14: signing refusals, bond attribution, refund redirection, rate entries, basic-account
 * conflicts): the table this test holds the app to.
 */
const ROUTES: ReadonlyArray<{ method: 'GET' | 'POST'; path: string; roles: Role[] }> = [
  { method: 'POST', path: '/v1/tender-centers', roles: ['operator'] },
  { method: 'POST', path: '/v1/tender-centers/:centerId/master-accounts', roles: ['operator', 'center'] },
  { method: 'POST', path: '/v1/interest-rate-schedules', roles: ['operator'] },
  { method: 'POST', path: '/v1/interest-rate-schedules/:scheduleId/entries', roles: ['operator'] },
  { method: 'POST', path: '/v1/lots', roles: ['operator', 'center'] },
  { method: 'POST', path: '/v1/lots/:lotId/virtual-accounts', roles: ['operator', 'center'] },
  { method: 'POST', path: '/v1/bidders/:bidderId/basic-account', roles: ['operator', 'center'] },
  { method: 'POST', path: '/v1/inbound-credits', roles: ['esb'] },
  { method: 'POST', path: '/v1/inbound-credit-batches', roles: ['esb'] },
  { method: 'POST', path: '/v1/inbound-credits/:creditId/status', roles: ['esb'] },
  { method: 'POST', path: '/v1/suspense/:creditId/resolution', roles: ['operator'] },
  { method: 'POST', path: '/v1/lots/:lotId/withdrawals', roles: ['center'] },
  { method: 'POST', path: '/v1/lots/:lotId/award', roles: ['center'] },
  { method: 'POST', path: '/v1/lots/:lotId/termination', roles: ['center'] },
  { method: 'POST', path: '/v1/lots/:lotId/signing-refusals', roles: ['center'] },
  { method: 'POST', path: '/v1/bonds/:bondId/forfeiture', roles: ['center'] },
  { method: 'POST', path: '/v1/lots/:lotId/refunds', roles: ['center'] },
  { method: 'POST', path: '/v1/refunds/:refundId/settlement', roles: ['esb'] },
  { method: 'POST', path: '/v1/bonds/:bondId/attribution', roles: ['center'] },
  { method: 'POST', path: '/v1/refunds/:refundId/redirection', roles: ['operator'] },
  { method: 'GET', path: '/v1/lots/:lotId', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/lots/:lotId/bonds', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/bonds/:bondId', roles: ['bidder', 'center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/virtual-accounts/:virtualAccountNo/balance', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/master-accounts/:accountNo/balance', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/suspense', roles: ['operator', 'auditor'] },
  { method: 'GET', path: '/v1/basic-account-conflicts', roles: ['operator', 'auditor'] },
  { method: 'GET', path: '/v1/refunds', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/streams/:stream', roles: ['auditor'] },
  { method: 'GET', path: '/v1/events', roles: ['auditor'] },
  // The console's routes (issue #16, docs/api.md "Routes for the console").
  { method: 'GET', path: '/v1/lots', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/bidders/:bidderId/bonds', roles: ['bidder', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/master-accounts', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/interest-rate-schedules', roles: ['center', 'bidder', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/lots/:lotId/statement', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/bonds/:bondId/certificate', roles: ['bidder', 'center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/lots/:lotId/refund-preview', roles: ['center', 'operator', 'auditor'] },
  { method: 'GET', path: '/v1/lots/:lotId/refund-list', roles: ['center', 'operator', 'auditor'] },
];

/** A concrete URL for a route template. */
const concrete = (path: string) => path.replace(/:([A-Za-z]+)/g, (_, name: string) => `X-${name}`);

describe('access control (e2e)', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('access');
    await ledger.registerCenter('AC-1');
    await ledger.registerCenter('AC-2');
    await ledger.openMasterAccount('AC-1', '6217000000000301');
    await ledger.registerLot(lotTerms({ lotId: 'AC-LOT-1', centerId: 'AC-1' }));
  });

  afterAll(async () => {
    await ledger.close();
  });

  const send = (method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}) => {
    let pending = method === 'GET' ? ledger.http().get(path) : ledger.http().post(path).set('Content-Type', 'application/json').send('{}');
    for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
    return pending;
  };

  it('declares on every route exactly the roles of docs/api-contract.md, and only the probes and the development sign-in are public', () => {
    const declared = declaredRoutes().map(({ method, path, roles }) => ({ method, path, roles }));
    const publicRoutes = declared.filter((route) => route.roles === undefined).map((route) => `${route.method} ${route.path}`);
    // The sign-in mints nothing unless the service runs on the development secret (dev-sign-in.controller.ts).
    expect(publicRoutes.sort()).toEqual(['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /v1/dev/sign-in', 'POST /v1/dev/sign-in']);
    const guarded = declared.filter((route) => route.roles !== undefined).map((route) => ({ ...route, roles: [...route.roles!].sort() }));
    expect(guarded.sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`))).toEqual(
      ROUTES.map((route) => ({ ...route, roles: [...route.roles].sort() })).sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`)),
    );
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s: 401 without a token, 403 FORBIDDEN_ROLE for other roles, changing nothing', async (_name, route) => {
    // An auditor let through to GET /v1/events sees a sealed lot's events: that look is recorded (issue #15 item 3).
    const written = async () => (await ledger.allEvents()).filter((event) => event.type !== 'SealedDataViewed').length;
    const before = await written();
    const url = concrete(route.path);
    const anonymous = await send(route.method, url).expect(401);
    expect(anonymous.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String), field: 'authorization' } });
    for (const role of ROLES) {
      const response = await send(route.method, url, bearer(role));
      if (route.roles.includes(role)) {
        // Let through: whatever the route then answers (400, 404, a tenancy 403…), it is not about the role.
        const refusedForRole = response.status === 401 || response.body.error?.code === 'FORBIDDEN_ROLE';
        expect({ role, refusedForRole }).toEqual({ role, refusedForRole: false });
      } else {
        expect({ role, status: response.status, code: response.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN_ROLE' });
      }
    }
    expect(await written()).toBe(before);
  });

  it.each([
    ['a malformed header', 'UNAUTHENTICATED', 'Basic dXNlcjpwYXNz'],
    ['a token signed with another secret', 'INVALID_TOKEN', `Bearer ${mintAccessToken({ role: 'operator', subject: 'x' }, { secret: 'another-secret-another-secret-another' })}`],
    ['an expired token', 'TOKEN_EXPIRED', `Bearer ${jwt.sign({ role: 'operator', sub: 'x', exp: Math.floor(Date.now() / 1000) - 3600 }, DEVELOPMENT_JWT_SECRET)}`],
    ['a token without expiry', 'INVALID_TOKEN', `Bearer ${jwt.sign({ role: 'operator', sub: 'x' }, DEVELOPMENT_JWT_SECRET)}`],
    ['an unsigned token (alg none)', 'INVALID_TOKEN', `Bearer ${jwt.sign({ role: 'operator', sub: 'x' }, '', { algorithm: 'none', expiresIn: 600 })}`],
    ['a token with an unknown role', 'INVALID_TOKEN', `Bearer ${jwt.sign({ role: 'admin', sub: 'x' }, DEVELOPMENT_JWT_SECRET, { expiresIn: 600 })}`],
    ['a token with a subject that is no identifier', 'INVALID_TOKEN', `Bearer ${jwt.sign({ role: 'center', sub: 'a b' }, DEVELOPMENT_JWT_SECRET, { expiresIn: 600 })}`],
    ['garbage', 'INVALID_TOKEN', 'Bearer not.a.jwt'],
  ])('answers %s with 401 %s', async (_what, code, authorization) => {
    const before = await ledger.eventCount();
    const response = await ledger.http().post('/v1/tender-centers').set('Authorization', authorization).send({ centerId: 'AC-X', name: 'Never' }).expect(401);
    expect(response.body).toEqual({ error: { code, message: expect.any(String), field: 'authorization' } });
    expect(response.text).not.toContain(authorization.slice(7, 40));
    expect(await ledger.eventCount()).toBe(before);
  });

  it('keeps a center to its own center and lots (403 FORBIDDEN_TENANT), changing nothing', async () => {
    const before = await ledger.eventCount();
    const rival = bearer('center', 'AC-2');
    const attempts: Array<[string, object, string]> = [
      ['/v1/tender-centers/AC-1/master-accounts', { bankCode: '102100099996', accountNo: '6217000000000399', accountName: 'x' }, 'centerId'],
      ['/v1/lots', lotTerms({ lotId: 'AC-LOT-9', centerId: 'AC-1' }), 'centerId'],
      ['/v1/lots/AC-LOT-1/virtual-accounts', { masterAccountNo: '6217000000000301' }, 'lotId'],
      ['/v1/lots/AC-LOT-1/termination', { reason: 'not mine to end' }, 'lotId'],
      ['/v1/lots/AC-LOT-1/award', { winnerBidderId: 'W', contractSignedOn: '2099-07-01' }, 'lotId'],
      ['/v1/lots/AC-LOT-1/signing-refusals', { bidderId: 'W', refusedOn: '2099-07-01', reason: 'not mine' }, 'lotId'],
      ['/v1/bonds/B-0123456789abcdef-AC-LOT-1/forfeiture', { reason: 'not mine' }, 'bondId'],
      ['/v1/bonds/B-0123456789abcdef-AC-LOT-1/attribution', { bidderId: 'W' }, 'bondId'],
      // A center declares basic accounts for itself only (docs/rules.md, item 5).
      ['/v1/bidders/W/basic-account', { accountNo: '6222000000000399', accountName: 'W Ltd', bankCode: '102100099996', centerId: 'AC-1' }, 'centerId'],
    ];
    for (const [path, body, field] of attempts) {
      const response = await ledger.post(path, body, rival);
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 403, body: { error: { code: 'FORBIDDEN_TENANT', message: expect.any(String), field } } });
    }
    expect(await ledger.eventCount()).toBe(before);
    // Its own lot, it may end: and the event names it as the actor.
    await ledger.post('/v1/lots/AC-LOT-1/termination', { reason: 'cancelled' }, bearer('center', 'AC-1')).expect(201);
    const events = await ledger.streamEvents('lot-AC-LOT-1');
    expect(events[events.length - 1]).toMatchObject({ type: 'TenderTerminated', metadata: { actor: 'center:AC-1' } });
  });
});

describe('access control with an RS256 public key (e2e)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let folder: string;
  let app: INestApplication;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-rs256-'));
    app = await createLedgerApp(
      loadLedgerConfig({
        LOG_LEVEL: 'silent',
        LEDGER_DB_PATH: join(folder, 'ledger.db'),
        READ_MODEL_DB_PATH: join(folder, 'read-models.db'),
        // As a Kubernetes secret often carries it: one line with literal \n.
        AUTH_JWT_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n'),
      }),
    );
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  const post = (authorization: string) =>
    request(app.getHttpServer()).post('/v1/tender-centers').set('Authorization', authorization).send({ centerId: 'RS-1', name: 'RS center' });

  it('accepts a token signed with the private key', async () => {
    await post(`Bearer ${mintAccessToken({ role: 'operator', subject: 'ops' }, { privateKey: privatePem })}`).expect(201);
  });

  it('refuses an HS256 token signed with the public key as a secret (algorithm confusion) and one with the development secret', async () => {
    const confused = jwt.sign({ role: 'operator', sub: 'ops' }, publicPem, { algorithm: 'HS256', expiresIn: 600 });
    expect((await post(`Bearer ${confused}`).expect(401)).body.error.code).toBe('INVALID_TOKEN');
    expect((await post(`Bearer ${tokenFor('operator')}`).expect(401)).body.error.code).toBe('INVALID_TOKEN');
  });
});
