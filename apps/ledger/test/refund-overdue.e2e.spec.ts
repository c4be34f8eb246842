import { bondIdFor } from '@app/domain';
import { cstDate, cstInstant, creditsReceivedAt, lotTerms, payer, plusDays } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';
import { metricsText } from './support/metrics-scrape';

/**
 * Issue #14, item 7: art. 57 of the 招标投标法实施条例 (refund within 5 days of the contract) as a
 * time-driven event. A lot is awarded, five days pass on the test clock with the refund unpaid, and the
 * lot clock records RefundOverdue once, shown in GET /v1/refunds and counted in /metrics.
 */
describe('refund overdue: the five-day limit becomes an event (e2e)', () => {
  const CENTER = 'OVERDUE-C';
  const OTHER_CENTER = 'OVERDUE-C2';
  const MASTER = '44201500000000000077';
  const LOT = 'OVERDUE-L1';
  const ALPHA = payer('6222000011117001', 'Alpha Overdue Co');

  const t0 = Math.floor(Date.now() / 1_000) * 1_000;
  const D = cstDate(t0);
  /** Contract signed on D: refunds due by D+5, overdue from D+6 00:00 Beijing time. */
  const DUE_BY = plusDays(D, 5);
  const LIMIT = `${plusDays(D, 6)}T00:00:00+08:00`;
  const bond = bondIdFor(LOT, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo);
  let ledger: LedgerHarness;

  const overdueEvents = async () => (await ledger.streamEvents(`lot-${LOT}`)).filter((event) => event.type === 'RefundOverdue');
  const metric = async (name: string) => {
    const text = await metricsText(ledger.app);
    const line = text.split('\n').find((row) => row.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  };

  beforeAll(async () => {
    ledger = await LedgerHarness.start('refund-overdue', { now: t0 });
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.registerCenter(OTHER_CENTER);
    await ledger.declareBasicAccount('ALPHA', ALPHA);
    const va = await ledger.registerLotWithVirtualAccount(
      lotTerms({ lotId: LOT, centerId: CENTER, depositDeadline: cstInstant(t0 + 3_000), bidOpeningTime: cstInstant(t0 + 4_000) }),
      MASTER,
    );
    await ledger.post('/v1/inbound-credits', creditsReceivedAt(cstInstant(t0), D)('HVPS2026OD0001', ALPHA, va)).expect(201);
    await ledger.clock.advanceTo(t0 + 5_000);
    await ledger.post(`/v1/lots/${LOT}/award`, { winnerBidderId: 'ALPHA', contractSignedOn: D }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('records nothing while the due day lasts', async () => {
    await ledger.clock.advanceTo(Date.parse(LIMIT) - 1_000);
    expect(await overdueEvents()).toEqual([]);
    expect((await ledger.get('/v1/refunds', 'operator').expect(200)).body.overdue).toEqual([]);
  });

  it('records RefundOverdue once the limit has passed, and once only', async () => {
    await ledger.clock.advanceTo(LIMIT);
    await ledger.clock.advanceBy(24 * 60 * 60 * 1_000);
    const events = await overdueEvents();
    expect(events.map((event) => event.data)).toEqual([
      { lotId: LOT, bondId: bond, bidderId: 'ALPHA', principal: '50000.00', refundDueBy: DUE_BY, observedAt: new Date(LIMIT).toISOString(), instructionPending: false },
    ]);
    expect(events[0]?.metadata).toMatchObject({ actor: 'system:lot-clock' });
  });

  it('shows it in the center’s and the operator’s refund queues, not in another center’s', async () => {
    const item = { lotId: LOT, bondId: bond, bidderId: 'ALPHA', refundDueBy: DUE_BY, bondStatus: 'REFUND_DUE', open: true };
    expect((await ledger.get('/v1/refunds', 'operator').expect(200)).body.overdue).toEqual([expect.objectContaining(item)]);
    expect((await ledger.get(`/v1/refunds?lotId=${LOT}`, 'center', CENTER).expect(200)).body.overdue).toEqual([expect.objectContaining(item)]);
    expect((await ledger.get('/v1/refunds', 'center', OTHER_CENTER).expect(200)).body.overdue).toEqual([]);
  });

  it('counts it in /metrics: recorded, and overdue now', async () => {
    expect(await metric('ledger_refunds_overdue_total')).toBe(1);
    expect(await metric('ledger_refunds_overdue')).toBe(1);
  });

  it('still takes the late refund and its settlement; the queue then lets it go, the counter keeps it', async () => {
    const today = cstDate(ledger.clock.now());
    const refund = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: today }).expect(201);
    const [instructed] = refund.body.refunds as Array<{ refundId: string; late: boolean }>;
    expect(instructed?.late).toBe(true);
    await ledger.post(`/v1/refunds/${instructed?.refundId}/settlement`, { status: 'SETTLED', bankRef: 'HVPSOUT2026OD01' }).expect(201);
    expect((await ledger.get('/v1/refunds', 'operator').expect(200)).body.overdue).toEqual([]);
    expect(await metric('ledger_refunds_overdue')).toBe(0);
    expect(await metric('ledger_refunds_overdue_total')).toBe(1);
    expect(await overdueEvents()).toHaveLength(1);
  });
});
