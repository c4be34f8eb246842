import { CommandKernel } from '@app/command-kernel';
import { LotState, bondIdFor, lotDecider, lotStream, refundIdFor, tableGet } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import {
  UNISSUED_VIRTUAL_ACCOUNT,
  creditIdOf,
  cstDate,
  cstInstant,
  declareBasicAccount,
  inboundCredit,
  issueVirtualAccount,
  lotTerms,
  openMasterAccount,
  payer,
  plusDays,
  postCredit,
  registerCenter,
  registerLot,
} from './support/ledger-fixtures';
import { LedgerHarness, sleep } from './support/ledger-harness';

/**
 * A restart is a new app on the same SQLite file. The lot clock follows the log from its start, so an
 * opening that passed while the service was down is recorded at the first tick; every lot replays to the
 * state it had, and the routes answer retries as before.
 */
describe('restart on the same file (e2e)', () => {
  const CENTER = 'CD-PRC';
  const MASTER = '44201500000000000006';
  const PAST = 'CD-2026-PAST'; // opened, awarded, refund failed before the restart
  const DOWN = 'CD-2026-DOWN'; // deadline and opening pass while the service is down
  const R1 = payer('6222000055550001', 'Restart Roads Ltd');
  const D = cstDate(Date.now());
  const VALUE_DATE = plusDays(D, -6);
  const bondPast = bondIdFor(PAST, 'R1', R1.bankCode, R1.accountNo);

  let ledger: LedgerHarness;
  let downOpening: string;
  let before: { past: LoadedLot; down: LoadedLot; balances: Map<string, string>; count: number };
  const answers: Record<string, { status: number; body: unknown }> = {};

  interface LoadedLot {
    state: LotState;
    revision: bigint;
  }

  /**
   * A lot as the app's commands decide on it (the command kernel's state, remembered and caught up with
   * the log), which must be the lot's events folded afresh, and the revision of its last event.
   */
  async function loadLot(lotId: string): Promise<LoadedLot> {
    const state = await ledger.app.get(CommandKernel).read(lotStream(lotId), lotDecider);
    const events = await ledger.streamEvents(lotStream(lotId));
    expect(state).toEqual(events.reduce((folded, event) => lotDecider.evolve(folded, event as never), lotDecider.initialState));
    return { state, revision: events[events.length - 1].revision };
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('restart');
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('builds up state before the restart', async () => {
    await registerCenter(ledger, CENTER);
    await openMasterAccount(ledger, CENTER, MASTER);
    await declareBasicAccount(ledger, 'R1', R1);

    const pastTerms = lotTerms({
      lotId: PAST,
      centerId: CENTER,
      depositDeadline: `${plusDays(D, -4)}T09:00:00+08:00`,
      bidOpeningTime: `${plusDays(D, -4)}T09:30:00+08:00`,
    });
    const registered = await ledger.post('/v1/lots', pastTerms, { 'Idempotency-Key': 'restart-lot-past' }).expect(201);
    answers.lot = { status: 200, body: registered.body };
    const pastVa = await issueVirtualAccount(ledger, PAST, MASTER);
    const credit = inboundCredit({ bankRef: 'HVPS2026RS0001', receivedAt: `${VALUE_DATE}T10:00:00+08:00`, valueDate: VALUE_DATE, amount: '50000.00', payer: R1, payeeAccountNo: pastVa });
    answers.credit = { status: 200, body: (await postCredit(ledger, credit)).body };
    const suspended = inboundCredit({ bankRef: 'HVPS2026RS0002', receivedAt: `${VALUE_DATE}T10:00:00+08:00`, valueDate: VALUE_DATE, amount: '99.99', payer: R1, payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT });
    answers.suspended = { status: 200, body: (await postCredit(ledger, suspended)).body };

    await ledger.waitForEvent(lotStream(PAST), 'BidsOpened');
    await ledger.post(`/v1/lots/${PAST}/award`, { winnerBidderId: 'R1', contractSignedOn: plusDays(D, -3) }).expect(201);
    await ledger.post(`/v1/lots/${PAST}/refunds`, { refundOn: D }).expect(201);
    const failed = await ledger
      .post(`/v1/refunds/${refundIdFor(PAST, bondPast, 1)}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026RS0001', reason: 'payee bank rejected' })
      .expect(201);
    answers.settlement = { status: 200, body: failed.body };

    // Deadline and opening ~3 s ahead: they pass while the service is down.
    const now = Date.now();
    downOpening = cstInstant(now + 3_500);
    await registerLot(ledger, lotTerms({ lotId: DOWN, centerId: CENTER, depositDeadline: cstInstant(now + 3_000), bidOpeningTime: downOpening }));
    const downVa = await issueVirtualAccount(ledger, DOWN, MASTER);
    await postCredit(ledger, inboundCredit({ bankRef: 'HVPS2026RS0003', receivedAt: cstInstant(now), valueDate: D, amount: '50000.00', payer: R1, payeeAccountNo: downVa }));

    before = {
      past: await loadLot(PAST),
      down: await loadLot(DOWN),
      balances: await ledger.balances(),
      count: await ledger.eventCount(),
    };
    expect(before.past.state).toMatchObject({ bidsOpened: true, award: { winnerBidderId: 'R1' }, closedToCredits: true });
    expect(before.past.state.bonds[bondPast]).toMatchObject({ status: 'REFUND_DUE', refundAttempts: 1, principal: '50000.00' });
    expect(before.down.state).toMatchObject({ depositsClosed: false, bidsOpened: false });
    expect(Date.now()).toBeLessThan(Date.parse(downOpening));
  });

  it('records, after the restart, the opening that passed while the service was down', async () => {
    await ledger.stop();
    await sleep(Math.max(0, Date.parse(downOpening) - Date.now()) + 300);

    // Down, the opening has passed and nothing recorded it.
    const offline = SqliteEventStore.open({ path: ledger.dbPath });
    const offlineTypes: string[] = [];
    for await (const event of offline.readStream(lotStream(DOWN))) offlineTypes.push(event.type);
    await offline.close();
    expect(offlineTypes).not.toContain('DepositsClosed');
    expect(offlineTypes).not.toContain('BidsOpened');

    const restartedAt = Date.now();
    await ledger.restart();
    const opened = await ledger.waitForEvent(lotStream(DOWN), 'BidsOpened');
    const events = await ledger.streamEvents(lotStream(DOWN));
    const closed = events.find((event) => event.type === 'DepositsClosed')!;
    expect(closed.revision).toBeLessThan(opened.revision);
    expect(opened.data).toEqual({ lotId: DOWN, bidOpeningTime: downOpening });
    for (const event of [closed, opened]) {
      expect(Date.parse(event.metadata.recordedAt)).toBeGreaterThanOrEqual(restartedAt);
      expect(event.metadata.actor).toBe('system:lot-clock');
    }
    expect(await ledger.eventCount()).toBe(before.count + 2);
  });

  it('replays every lot to the state it had before the restart', async () => {
    expect(await loadLot(PAST)).toEqual(before.past);
    const down = await loadLot(DOWN);
    expect(down.state).toEqual({ ...before.down.state, depositsClosed: true, bidsOpened: true });
    expect(down.revision).toBe(before.down.revision + 2n);
    expect(await ledger.balances()).toEqual(before.balances);
  });

  it('answers retries as before the restart, posting nothing', async () => {
    const count = await ledger.eventCount();
    const pastTerms = answers.lot.body as object;
    await ledger.post('/v1/lots', pastTerms, { 'Idempotency-Key': 'restart-lot-past' }).expect(200, answers.lot.body);
    const pastVa = tableGet(before.past.state.credits, creditIdOf('HVPS2026RS0001'))!.virtualAccountNo;
    await ledger
      .post(
        '/v1/inbound-credits',
        inboundCredit({ bankRef: 'HVPS2026RS0001', receivedAt: `${VALUE_DATE}T10:00:00+08:00`, valueDate: VALUE_DATE, amount: '50000.00', payer: R1, payeeAccountNo: pastVa }),
      )
      .expect(200, answers.credit.body);
    await ledger
      .post(
        '/v1/inbound-credits',
        inboundCredit({ bankRef: 'HVPS2026RS0002', receivedAt: `${VALUE_DATE}T10:00:00+08:00`, valueDate: VALUE_DATE, amount: '99.99', payer: R1, payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT }),
      )
      .expect(200, answers.suspended.body);
    await ledger
      .post(`/v1/refunds/${refundIdFor(PAST, bondPast, 1)}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026RS0001', reason: 'payee bank rejected' })
      .expect(200, answers.settlement.body);
    expect(await ledger.eventCount()).toBe(count);
  });

  it('carries on from the replayed state: the next refund is attempt 2, the opened lot can be awarded', async () => {
    const run = await ledger.post(`/v1/lots/${PAST}/refunds`, { refundOn: D }).expect(201);
    expect(run.body.refunds).toEqual([expect.objectContaining({ refundId: refundIdFor(PAST, bondPast, 2), attempt: 2, principal: '50000.00' })]);
    await ledger.post(`/v1/lots/${DOWN}/award`, { winnerBidderId: 'R1', contractSignedOn: D }).expect(201);
  });
});
