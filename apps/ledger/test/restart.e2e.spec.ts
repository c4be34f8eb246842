import { CommandKernel } from '@app/command-kernel';
import { LotState, bondIdFor, lotStoredFold, lotStream, refundIdFor, tableGet, lotBond } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import {
  UNISSUED_VIRTUAL_ACCOUNT,
  creditIdOf,
  creditsReceivedAt,
  cstDate,
  cstInstant,
  deadlineAndOpeningOn,
  lotTerms,
  payer,
  plusDays,
} from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

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
  const T0 = Date.now();
  const D = cstDate(T0);
  const VALUE_DATE = plusDays(D, -6);
  /** The credits to PAST, and the retries after the restart: the same bodies. */
  const early = creditsReceivedAt(`${VALUE_DATE}T10:00:00+08:00`);
  const creditToPast = (payeeAccountNo: string) => early('HVPS2026RS0001', R1, payeeAccountNo);
  const suspended = early('HVPS2026RS0002', R1, UNISSUED_VIRTUAL_ACCOUNT, { amount: '99.99' });
  const bondPast = bondIdFor(PAST, 'R1', R1.bankCode, R1.accountNo);

  let ledger: LedgerHarness;
  let downOpening: string;
  let before: { past: LoadedLot; down: LoadedLot; balances: Map<string, string>; count: number };
  /** The first answers: a retry after the restart gets each again, with 200. */
  const answers: { lot?: object; credit?: object; suspended?: object; settlement?: object } = {};

  interface LoadedLot {
    state: LotState;
    revision: bigint;
  }

  /**
   * A lot as the app's commands decide on it (the command kernel's state, remembered and caught up with
   * the log), which must be the lot's events folded afresh, and the revision of its last event.
   */
  async function loadLot(lotId: string): Promise<LoadedLot> {
    const state = await ledger.app.get(CommandKernel).read(lotStream(lotId), lotStoredFold);
    const events = await ledger.streamEvents(lotStream(lotId));
    expect(state).toEqual(events.reduce((folded, event) => lotStoredFold.evolve(folded, event), lotStoredFold.initialState));
    return { state, revision: (await ledger.lastEvent(lotStream(lotId))).revision };
  }

  beforeAll(async () => {
    ledger = await LedgerHarness.start('restart', { now: T0 });
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('builds up state before the restart', async () => {
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.declareBasicAccount('R1', R1);

    const pastTerms = lotTerms({ lotId: PAST, centerId: CENTER, ...deadlineAndOpeningOn(plusDays(D, -4)) });
    const registered = await ledger.post('/v1/lots', pastTerms, { 'Idempotency-Key': 'restart-lot-past' }).expect(201);
    answers.lot = registered.body;
    const pastVa = await ledger.issueVirtualAccount(PAST, MASTER);
    answers.credit = (await ledger.postCredit(creditToPast(pastVa))).body;
    answers.suspended = (await ledger.postCredit(suspended)).body;

    await ledger.clock.advanceBy(1_000); // the lot clock's next tick records the past deadline and opening
    await ledger.post(`/v1/lots/${PAST}/award`, { winnerBidderId: 'R1', contractSignedOn: plusDays(D, -3) }).expect(201);
    await ledger.post(`/v1/lots/${PAST}/refunds`, { refundOn: D }).expect(201);
    const failed = await ledger
      .post(`/v1/refunds/${refundIdFor(PAST, bondPast, 1)}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026RS0001', reason: 'payee bank rejected' })
      .expect(201);
    answers.settlement = failed.body;

    // Deadline and opening a few seconds ahead: they pass while the service is down.
    const now = ledger.clock.now().getTime();
    downOpening = cstInstant(now + 3_500);
    const downVa = await ledger.registerLotWithVirtualAccount(lotTerms({ lotId: DOWN, centerId: CENTER, depositDeadline: cstInstant(now + 3_000), bidOpeningTime: downOpening }), MASTER);
    await ledger.postCredit(creditsReceivedAt(cstInstant(now), D)('HVPS2026RS0003', R1, downVa));

    before = {
      past: await loadLot(PAST),
      down: await loadLot(DOWN),
      balances: await ledger.balances(),
      count: await ledger.eventCount(),
    };
    expect(before.past.state).toMatchObject({ bidsOpened: true, award: { winnerBidderId: 'R1' }, closedToCredits: true });
    expect(lotBond(before.past.state, bondPast)).toMatchObject({ status: 'REFUND_DUE', refundAttempts: 1, principal: '50000.00' });
    expect(before.down.state).toMatchObject({ depositsClosed: false, bidsOpened: false });
  });

  it('records, after the restart, the opening that passed while the service was down', async () => {
    await ledger.stop();
    await ledger.clock.advanceTo(Date.parse(downOpening) + 300);

    // Down, the opening has passed and nothing recorded it.
    const offline = SqliteEventStore.open({ path: ledger.dbPath });
    const offlineTypes: string[] = [];
    for await (const event of offline.readStream(lotStream(DOWN))) offlineTypes.push(event.type);
    await offline.close();
    expect(offlineTypes).not.toContain('DepositsClosed');
    expect(offlineTypes).not.toContain('BidsOpened');

    const restartedAt = Date.now();
    await ledger.restart();
    await ledger.clock.advanceBy(1_000); // the first tick after the start
    const recorded = (await ledger.streamEvents(lotStream(DOWN))).slice(-2);
    expect(recorded).toMatchObject([
      { type: 'DepositsClosed', metadata: { actor: 'system:lot-clock' } },
      { type: 'BidsOpened', data: { lotId: DOWN, bidOpeningTime: downOpening }, metadata: { actor: 'system:lot-clock' } },
    ]);
    for (const event of recorded) expect(Date.parse(event.metadata.recordedAt)).toBeGreaterThanOrEqual(restartedAt);
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
    await ledger.post('/v1/lots', answers.lot, { 'Idempotency-Key': 'restart-lot-past' }).expect(200, answers.lot);
    const pastVa = tableGet(before.past.state.credits, creditIdOf('HVPS2026RS0001'))!.virtualAccountNo;
    await ledger.post('/v1/inbound-credits', creditToPast(pastVa)).expect(200, answers.credit);
    await ledger.post('/v1/inbound-credits', suspended).expect(200, answers.suspended);
    await ledger
      .post(`/v1/refunds/${refundIdFor(PAST, bondPast, 1)}/settlement`, { status: 'FAILED', bankRef: 'HVPSOUT2026RS0001', reason: 'payee bank rejected' })
      .expect(200, answers.settlement);
    expect(await ledger.eventCount()).toBe(count);
  });

  it('carries on from the replayed state: the next refund is attempt 2, the opened lot can be awarded', async () => {
    const run = await ledger.post(`/v1/lots/${PAST}/refunds`, { refundOn: D }).expect(201);
    expect(run.body.refunds).toEqual([expect.objectContaining({ refundId: refundIdFor(PAST, bondPast, 2), attempt: 2, principal: '50000.00' })]);
    await ledger.post(`/v1/lots/${DOWN}/award`, { winnerBidderId: 'R1', contractSignedOn: D }).expect(201);
  });
});
