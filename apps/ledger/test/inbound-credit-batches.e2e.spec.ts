import type { SqliteEventStore } from '@app/event-store';
import { bearer } from './support/access-tokens';
import { type InboundCredit, UNISSUED_VIRTUAL_ACCOUNT, creditsReceivedAt, cstDate, cstInstant, lotTerms, payer } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';
import { LedgerMetrics } from '../src/platform/metrics/ledger-metrics';

const BATCHES = '/v1/inbound-credit-batches';

/**
 * POST /v1/inbound-credit-batches (docs/api.md): a package of credits is decided credit by credit exactly
 * as POST /v1/inbound-credits decides each alone, and committed in one durable transaction. Shown on two
 * ledgers set up alike on one clock: one is sent the credits one by one, the other as one package.
 */
describe('inbound credit batches (e2e)', () => {
  const CENTER = 'HZ-BATCH';
  const MASTER = '44201500000000000011';
  const LOT = 'HZ-2026-BATCH-L1';
  const T0 = Date.now();
  const credit = creditsReceivedAt(cstInstant(T0), cstDate(T0));
  const P1 = payer('6222000044440001', 'Batch Builders One');
  const P2 = payer('6222000044440002', 'Batch Builders Two');

  let single: LedgerHarness;
  let batch: LedgerHarness;
  let lotVa: string;

  const setUp = async (ledger: LedgerHarness) => {
    await ledger.registerCenter(CENTER);
    await ledger.openMasterAccount(CENTER, MASTER);
    await ledger.registerLot(lotTerms({ lotId: LOT, centerId: CENTER, basicAccountPolicy: 'OFF' }));
    return ledger.issueVirtualAccount(LOT, MASTER);
  };

  beforeAll(async () => {
    // The package ledger commits in the store's writer thread (LEDGER_DB_WRITER=thread), the other inline.
    [single, batch] = await Promise.all([
      LedgerHarness.start('batch-single', { now: T0 }),
      LedgerHarness.start('batch-package', { now: T0, env: { LEDGER_DB_WRITER: 'thread' } }),
    ]);
    const [singleVa, batchVa] = await Promise.all([setUp(single), setUp(batch)]);
    expect(batchVa).toBe(singleVa);
    lotVa = singleVa;
  });

  afterAll(async () => {
    await Promise.all([single?.close(), batch?.close()]);
  });

  const commits = (ledger: LedgerHarness) => (ledger.store as SqliteEventStore).commitStats().commits;

  /** `ledger_package_credits_total` of the package ledger, by outcome. */
  const packageCredits = async () => {
    const metric = await batch.app.get(LedgerMetrics).registry.getSingleMetric('ledger_package_credits_total')!.get();
    return Object.fromEntries(metric.values.map(({ labels, value }) => [labels.outcome, value]));
  };

  /** Every stream's events (type and data) in revision order: what each world recorded, whatever the global order. */
  const streams = async (ledger: LedgerHarness) => {
    const byStream = new Map<string, Array<{ type: string; data: unknown }>>();
    for (const event of await ledger.allEvents()) {
      byStream.set(event.streamName, [...(byStream.get(event.streamName) ?? []), { type: event.type, data: event.data }]);
    }
    return [...byStream].sort(([a], [b]) => a.localeCompare(b));
  };

  it('answers each credit of a package as the single route answers it alone, and records the same events', async () => {
    const earlier = credit('BEPS2026BATCH0000', P2, lotVa);
    await Promise.all([single.postCredit(earlier, 201), batch.postCredit(earlier, 201)]);

    const first = credit('BEPS2026BATCH0001', P1, lotVa);
    const items: unknown[] = [
      first,
      credit('BEPS2026BATCH0002', P2, lotVa, { amount: '20000.00' }),
      first, // the same bank reference and body again, inside the package: 200, the first answer
      { ...first, amount: '1.00' }, // the same bank reference, another body: 409 DUPLICATE_BANK_REF
      earlier, // a bank reference posted by an earlier request: 200
      credit('BEPS2026BATCH0003', P1, lotVa, { amount: '12.345' }), // malformed: 400 INVALID_AMOUNT, alone
      { ...credit('BEPS2026BATCH0004', P1, lotVa), sender: 'x' }, // 400 UNKNOWN_FIELD, alone
      { ...credit('BEPS2026BATCH0005', P1, lotVa), constructor: 'x' }, // a key the DTO would drop unseen: 400 UNKNOWN_FIELD
      'BEPS2026BATCH0006', // not an object: 400 MALFORMED_BODY
      credit('BEPS2026BATCH0007', P1, lotVa, { payeeBankCode: '999999999999' }), // 422 BANK_NOT_SUPPORTED
      credit('BEPS2026BATCH0008', P1, UNISSUED_VIRTUAL_ACCOUNT), // SUSPENDED
      credit('BEPS2026BATCH0009', P2, lotVa, { currency: 'USD' }), // RETURNED
      credit('BEPS2026BATCH0010', P1, lotVa, { amount: '30000.00' }), // a second tranche of the first bond
    ];
    const alone = [];
    for (const item of items) {
      const answer = await single.post('/v1/inbound-credits', JSON.stringify(item));
      alone.push({ status: answer.status, body: answer.body as unknown });
    }
    expect(alone.map(({ status }) => status)).toEqual([201, 201, 200, 409, 200, 400, 400, 400, 400, 422, 201, 201, 201]);

    const commitsBefore = commits(batch);
    const answer = await batch.post(BATCHES, { credits: items }).expect(201);

    expect(answer.body).toEqual({ results: alone.map((result, index) => ({ index, ...result })) });
    expect(commits(batch) - commitsBefore).toBe(1);
    expect(await packageCredits()).toEqual({ CREATED: 5, OK: 2, DUPLICATE_BANK_REF: 1, INVALID_AMOUNT: 1, UNKNOWN_FIELD: 2, MALFORMED_BODY: 1, BANK_NOT_SUPPORTED: 1 });
    expect(await streams(batch)).toEqual(await streams(single));
    expect(await batch.balances()).toEqual(await single.balances());
    expect((await batch.balances()).get(`virtual:${lotVa}`)).toBe('-150000.00');
  });

  it('commits a package of 1,000 credits, far over the single body limit, in one transaction', async () => {
    const credits: InboundCredit[] = Array.from({ length: 1_000 }, (_, index) =>
      credit(`BEPS2026BIG${String(index).padStart(4, '0')}`, payer(`62220000555${String(index).padStart(5, '0')}`, `Bidder ${index}`), lotVa, {
        remittanceInfo: `bond for ${LOT}, package 1, credit ${index}`,
      }),
    );
    expect(JSON.stringify({ credits }).length).toBeGreaterThan(64 * 1024);
    const [eventsBefore, commitsBefore] = [await batch.eventCount(), commits(batch)];

    const answer = await batch.post(BATCHES, { credits }).expect(201);

    const results = answer.body.results as Array<{ index: number; status: number; body: { outcome: string } }>;
    expect(results.map(({ index }) => index)).toEqual(credits.map((_, index) => index));
    expect(new Set(results.map(({ status, body }) => `${status} ${body.outcome}`))).toEqual(new Set(['201 CLASSIFIED']));
    expect(commits(batch) - commitsBefore).toBe(1);
    // Each classified credit: its anchor's two events and the lot's BondCredited.
    expect((await batch.eventCount()) - eventsBefore).toBe(3_000);
  });

  it.each<[string, unknown, string, string | undefined]>([
    ['no credits field', {}, 'MISSING_FIELD', 'credits'],
    ['an empty package', { credits: [] }, 'INVALID_FIELD', 'credits'],
    ['more than 1,000 credits', { credits: Array.from({ length: 1_001 }, () => ({})) }, 'INVALID_FIELD', 'credits'],
    ['credits that are no array', { credits: { bankRef: 'x' } }, 'INVALID_FIELD', 'credits'],
    ['a field beside credits', { credits: [{}], sender: 'ESB-1' }, 'UNKNOWN_FIELD', 'sender'],
    ['a body that is no object', [{}], 'MALFORMED_BODY', undefined],
  ])('refuses %s whole with 400 and records nothing', async (_, body, code, field) => {
    const before = await batch.eventCount();
    const answer = await batch.post(BATCHES, JSON.stringify(body)).expect(400);
    expect(answer.body.error).toEqual(expect.objectContaining(field === undefined ? { code } : { code, field }));
    expect(await batch.eventCount()).toBe(before);
  });

  it('answers a package repeated under its Idempotency-Key with the first answer, recording nothing more', async () => {
    const credits = [credit('BEPS2026BATCHKEY1', P1, lotVa), credit('BEPS2026BATCHKEY2', P2, UNISSUED_VIRTUAL_ACCOUNT)];
    const key = { 'Idempotency-Key': 'esb-package-2026-0001' };
    const first = await batch.post(BATCHES, { credits }, key).expect(201);
    const count = await batch.eventCount();

    const counted = await packageCredits();
    const again = await batch.post(BATCHES, { credits }, key).expect(200);

    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await batch.eventCount()).toBe(count);
    expect(await packageCredits()).toEqual(counted);
    const other = await batch.post(BATCHES, { credits: [credits[0]] }, key).expect(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('is the ESB\'s: another role is refused and nothing is recorded', async () => {
    const before = await batch.eventCount();
    await batch.post(BATCHES, { credits: [credit('BEPS2026BATCHROLE', P1, lotVa)] }, bearer('operator')).expect(403);
    expect(await batch.eventCount()).toBe(before);
  });
});
