import { randomUUID } from 'node:crypto';
import { PBOC_DEMAND_SCHEDULE, type LotRegistered, type Payer, formatVirtualAccountNo, lotBonds } from '@app/domain';
import { type EventStore, type JsonObject, NO_STREAM, type ProposedEvent } from '@app/event-store';
import type { ProjectionEvent } from '../src/projection';
import { at as elementAt } from './at';
import { LedgerHarness, RejectedError } from './ledger-harness';
import { BANK_A, BANK_B, CENTER, M1, M2, PREFIX_A, PREFIX_B, SPLIT_365 } from './scenario';

/**
 * A longer history than `scenario.ts`, for the runner's tests: `lots` lots of one center at two banks,
 * driven through the real deciders by the LedgerHarness, deterministic for a seed. Every kind of money
 * movement appears: bonds credited in one or two tranches (lot-level and per-bidder accounts), credits
 * reversed, unknown numbers suspended then matched or returned, late credits returned, withdrawals
 * before and after the deadline, forfeits, awards and terminations, refunds settled, failed and retried.
 */
export function buildHistory({ lots = 8, biddersPerLot = 8, seed = 1 }: { lots?: number; biddersPerLot?: number; seed?: number } = {}): ProjectionEvent[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => elementAt(list, Math.floor(random() * list.length));
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.openMasterAccount(CENTER, BANK_B, M2, PREFIX_B);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  h.defineSchedule(SPLIT_365);

  const bidders = Array.from({ length: biddersPerLot * 2 }, (_, i) => ({
    bidderId: `bidder-${i}`,
    payer: { accountNo: `62220000${String(100000 + i)}`, name: `Bidder ${i} Co`, bankCode: '103100000026' } satisfies Payer,
    declared: i % 4 !== 3,
  }));
  for (const bidder of bidders) if (bidder.declared) h.declareBasicAccount(bidder.bidderId, bidder.payer);

  let bankRef = 0;
  let unknownSequence = 900_000n;
  const at = (day: number, hour = 10) => `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
  const receive = (payer: Payer, payeeAccountNo: string, day: number, amount: string) =>
    h.receive({ bankRef: `R${String((bankRef += 1)).padStart(6, '0')}`, receivedAt: at(day), valueDate: `2026-12-${String(day).padStart(2, '0')}`, amount, payer, payeeAccountNo });
  const tolerate = (action: () => void) => {
    try {
      action();
    } catch (error) {
      if (!(error instanceof RejectedError)) throw error;
    }
  };

  for (let l = 1; l <= lots; l += 1) {
    const lotId = `H${l}`;
    const onA = l % 2 === 1;
    const terms: LotRegistered['data'] = {
      lotId,
      centerId: CENTER,
      projectCode: `PRJ-H${l}`,
      name: `Lot ${l}`,
      estimatedPrice: '5000000.00',
      bondAmount: '50000.00',
      depositDeadline: '2026-12-10T09:00:00+08:00',
      bidOpeningTime: '2026-12-10T09:30:00+08:00',
      basicAccountPolicy: pick(['FLAG', 'OFF', 'ENFORCE'] as const),
      rateScheduleId: onA ? 'PBOC-DEMAND' : 'SPLIT-365',
    };
    h.registerLot(terms);
    const master = onA ? M1 : M2;
    const lotAccount = h.issueVirtualAccount(lotId, master);
    const lotBidders = Array.from({ length: biddersPerLot }, (_, i) => elementAt(bidders, (l + i * 3) % bidders.length));
    const ownAccount = new Map<string, string>();
    for (const bidder of lotBidders.slice(0, 2)) ownAccount.set(bidder.bidderId, h.issueVirtualAccount(lotId, master, bidder.bidderId));

    const credits: string[] = [];
    for (const bidder of lotBidders) {
      const account = ownAccount.get(bidder.bidderId) ?? lotAccount;
      const split = random() < 0.3;
      const first = receive(bidder.payer, account, 1 + Math.floor(random() * 4), split ? '20000.00' : pick(['50000.00', '50000.00', '45000.00', '60000.00']));
      credits.push(first.creditId);
      if (split) receive(bidder.payer, account, 5 + Math.floor(random() * 3), '30000.00');
    }
    // A credit the bank reverses, money to an unknown number (matched or returned), a late payment.
    const reversed = credits[1];
    if (reversed !== undefined && random() < 0.6) h.reverse(reversed, 'not settled by HVPS');
    const stray = receive(pick(lotBidders).payer, formatVirtualAccountNo(onA ? PREFIX_A : PREFIX_B, (unknownSequence += 1n)), 6, '50000.00');
    if (random() < 0.6) tolerate(() => h.matchSuspense(stray.creditId, lotAccount));
    else h.returnFromSuspense(stray.creditId);
    const withdrawer = lotBidders[2];
    if (withdrawer && random() < 0.5) {
      tolerate(() => h.lot(lotId, { type: 'WithdrawBidder', bidderId: withdrawer.bidderId, noticeReceivedAt: at(8), now: at(8) }));
      tolerate(() => h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-09', schedule: onA ? PBOC_DEMAND_SCHEDULE : SPLIT_365, now: '2026-12-09T18:00:00+08:00' }));
    }
    receive(pick(lotBidders).payer, lotAccount, 11, '50000.00'); // after the deadline: returned
    h.lot(lotId, { type: 'RecordTimePassed', now: '2026-12-10T09:05:00+08:00' });
    h.lot(lotId, { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
    const late = lotBidders[3];
    if (late && random() < 0.4) {
      tolerate(() => h.lot(lotId, { type: 'WithdrawBidder', bidderId: late.bidderId, noticeReceivedAt: at(11), now: at(11) }));
      const bond = lotBonds(h.lotState(lotId)).find((b) => b.bidderId === late.bidderId && b.forfeitable && b.status === 'HELD');
      if (bond) h.lot(lotId, { type: 'ForfeitBond', bondId: bond.bondId, reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' });
    }
    const winner = lotBonds(h.lotState(lotId)).find((b) => b.bidderId !== undefined && b.status === 'HELD' && b.principal !== '0.00')?.bidderId;
    if (winner !== undefined && random() < 0.8) h.lot(lotId, { type: 'AwardLot', winnerBidderId: winner, contractSignedOn: '2026-12-20', now: '2026-12-20T18:00:00+08:00' });
    else h.lot(lotId, { type: 'TerminateTender', reason: 'project cancelled', now: at(12, 15) });
    const schedule = onA ? PBOC_DEMAND_SCHEDULE : SPLIT_365;
    const instructed = h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-22', schedule, now: '2026-12-22T18:00:00+08:00' });
    let failed = false;
    for (const event of instructed) {
      const refundId = (event.data as { refundId: string }).refundId;
      const fail = random() < 0.15;
      failed ||= fail;
      h.lot(lotId, fail ? { type: 'SettleRefund', refundId, status: 'FAILED', bankRef: `OUT-${refundId}`, reason: 'account closed', now: '2026-12-23T10:00:00+08:00' } : { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId}`, now: '2026-12-23T10:00:00+08:00' });
    }
    if (failed) {
      for (const event of h.lot(lotId, { type: 'RefundBonds', refundOn: '2026-12-29', schedule, now: '2026-12-29T18:00:00+08:00' })) {
        const refundId = (event.data as { refundId: string }).refundId;
        h.lot(lotId, { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId}`, now: '2026-12-23T10:00:00+08:00' });
      }
    }
  }
  return h.log;
}

/** Appends harness events to a real store, one append per run of events of one stream; returns the last position. */
export async function appendEvents(store: EventStore, events: readonly ProjectionEvent[]): Promise<bigint | undefined> {
  let last: bigint | undefined;
  let start = 0;
  while (start < events.length) {
    const first = elementAt(events, start);
    let end = start + 1;
    while (events[end]?.streamName === first.streamName && end - start < 1_000) end += 1;
    const batch = events.slice(start, end);
    const proposed: ProposedEvent[] = batch.map((event) => {
      const id = randomUUID();
      return { id, type: event.type, data: event.data as JsonObject, metadata: { correlationId: id, causationId: id, actor: 'test:history' } };
    });
    const result = await store.appendToStream(first.streamName, proposed, {
      expectedRevision: first.revision === 0n ? NO_STREAM : first.revision - 1n,
    });
    last = result.position;
    start = end;
  }
  return last;
}

/** A small seeded PRNG, so a history is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
