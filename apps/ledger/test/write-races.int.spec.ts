import { type IdempotencyRequest, type KernelAnswer } from '@app/command-kernel';
import { type RefundRunAnswer, creditIdFor, lotBond, lotBonds, lotCreditDecision, lotRefund, lotRefunds, lotStream, refundsAnswered, tableGet } from '@app/domain';
import Big from 'big.js';
import fc from 'fast-check';
import {
  BANK,
  BANK2,
  type Outcome,
  OTHER_PAYER,
  RaceLedger,
  type RaceStore,
  UNISSUED,
  callOf,
  credit,
  outcomeOf,
} from './support/races/race-ledger';

/**
 * Money exists once, whatever interleaving of requests arrives. Each property starts concurrent commands
 * on the real command code (LedgerCommands over the command kernel) and the real SQLite store, from
 * separate replicas (each its own kernel and remembered states, as separate processes on one store),
 * and lets fast-check's scheduler choose the order in which every store call reaches the store and every
 * answer reaches its caller. After every schedule: the auditors' replay is clean (each credit in at most
 * one place, reversed and returned money nowhere, master accounts = Σ virtual accounts + suspense, double
 * entry, chains) and every answer agrees with the log.
 *
 * Six stores: the embedded store's atomic multi-stream commit; its sequential mode, in which every
 * stream of a command is its own commit, as on EventStoreDB; the atomic commit in the store's writer
 * thread (`LEDGER_DB_WRITER=thread`; the money properties only); the atomic commit, inline and in the
 * writer thread (the latter for the money properties only), with its commits paused and resumed through
 * the WAL checkpointer's pause at points the scheduler chooses (`checkpoint-pauses`: appends wait in the
 * store's queue meanwhile; a commit answered while paused fails the race); and the EventStoreDB adapter itself,
 * through the real client, on the wire-level stand-in (a stand-in: it proves our use of the client, not
 * the server).
 *
 * A failure prints the seed and the schedule; RACE_SEED=<seed> replays it (RACE_RUNS=<n> sets the runs).
 */
const RUNS = Number(process.env.RACE_RUNS ?? 12);
const SEED = process.env.RACE_SEED === undefined ? undefined : Number(process.env.RACE_SEED);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };

const ESB = 'esb:race';
const OPERATOR = 'operator:race';
const CENTER_ACTOR = 'center:C1';

/**
 * Starts the requests together and waits, releasing the scheduler's points as it chooses, the
 * checkpointer's pauses of the store among them (checkpoint-pauses modes).
 */
async function race<T extends readonly unknown[]>(ledger: RaceLedger, s: fc.Scheduler, requests: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const answers = Promise.all(requests.map((request) => request()));
  const [answered] = await s.waitFor(Promise.all([answers, ledger.checkpointerPauses(s, answers)]));
  return answered as unknown as T;
}

function expectClean(findings: string[]): void {
  expect(findings).toEqual([]);
}

/**
 * The refunds a run instructed. The answer withholds them while the lot is sealed (a termination before
 * the opening): then they are the lot's refunds (each run below is its lot's first), read as the ESB would.
 */
async function refundsOfRun(ledger: RaceLedger, lotId: string, answer: RefundRunAnswer): Promise<Array<{ refundId: string; bondId: string }>> {
  const answered = refundsAnswered(answer);
  if (answered !== undefined) return [...answered];
  return lotRefunds(await ledger.lotState(lotId));
}

const created = <A>(outcome: Outcome<A>): outcome is { ok: true; answer: KernelAnswer<A> } => outcome.ok;

/** A property over fresh ledgers: each schedule gets its own file, audited clean at the end. */
function onFreshLedgers(mode: RaceStore, run: (ledger: RaceLedger, s: fc.Scheduler) => Promise<void>, runs = RUNS): Promise<void> {
  return fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const ledger = await RaceLedger.open(mode);
      try {
        await run(ledger, s);
        expectClean(await ledger.auditFindings());
      } finally {
        await ledger.close();
      }
    }),
    { ...params, numRuns: runs },
  );
}

describe.each<RaceStore>(['atomic', 'sequential', 'atomic-writer-thread', 'atomic-checkpoint-pauses', 'atomic-writer-thread-checkpoint-pauses', 'eventstoredb-stand-in'])('money exists once under any interleaving (%s store)', (mode) => {
  jest.setTimeout(120_000);

  it('one bank reference with different bodies: one wins, the others are refused and leave nothing; another bank keeps its own', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      await ledger.lot('LB');
      const vaA = await ledger.virtualAccount('LA');
      const vaB = await ledger.virtualAccount('LB');
      const vaA2 = await ledger.virtualAccount('LA', BANK2);
      const bodies = [credit('REF1', vaA, '1000.00'), credit('REF1', vaB, '2000.00'), credit('REF1', UNISSUED, '3000.00'), credit('REF1', vaA, '1000.00')];
      const atBank2 = credit('REF1', vaA2, '4000.00');
      const outcomes = await race(ledger, s, [
        ...bodies.map((body, index) => () => outcomeOf(ledger.replica(s, `esb-${index}`).recordInboundCredit(body, callOf(ESB)))),
        () => outcomeOf(ledger.replica(s, 'esb-bank2').recordInboundCredit(atBank2, callOf(ESB))),
      ]);

      const anchor = await ledger.anchor(BANK, 'REF1');
      const winner = bodies.findIndex((body) => anchor.received?.amount === body.amount && anchor.received.payeeAccountNo === body.payeeAccountNo);
      expect(winner).toBeGreaterThanOrEqual(0);
      const won = bodies[winner];
      outcomes.slice(0, 4).forEach((outcome, index) => {
        const sameBody = bodies[index]?.amount === won?.amount && bodies[index]?.payeeAccountNo === won?.payeeAccountNo;
        if (!sameBody) return expect(outcome).toEqual({ ok: false, code: 'DUPLICATE_BANK_REF' });
        expect(outcome.ok).toBe(true);
        if (created(outcome)) expect(outcome.answer.answer).toMatchObject({ creditId: creditIdFor(BANK, 'REF1'), outcome: anchor.firstOutcome!.outcome });
      });
      const bank2 = outcomes[4];
      expect(bank2?.ok && bank2.answer.answer).toMatchObject({ creditId: creditIdFor(BANK2, 'REF1'), outcome: 'CLASSIFIED', lotId: 'LA' });

      const balances = await ledger.balances();
      const held = (account: string) => balances.get(account) ?? '0.00';
      // The winner's money in one place at bank 1, bank 2's in its own account; nothing of the losers.
      expect(held(`clearing:${BANK}`)).toBe(won?.amount);
      expect([held(`virtual:${vaA}`), held(`virtual:${vaB}`), held(`suspense:${BANK}`)].filter((balance) => balance !== '0.00')).toEqual([`-${won?.amount}`]);
      expect(held(`virtual:${vaA2}`)).toBe('-4000.00');
    });
  });

  it('packages of credits against single credits and each other, bank references shared: each reference wins once, whole, and every item answers what was recorded', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      await ledger.lot('LB');
      const vaA = await ledger.virtualAccount('LA');
      const vaB = await ledger.virtualAccount('LB');
      const one = [credit('PK1', vaA, '1000.00'), credit('PK2', vaB, '2000.00'), credit('PK1', vaA, '1000.00')];
      const two = [credit('PK2', UNISSUED, '3000.00'), credit('PK3', vaA, '500.00')];
      const singles = [credit('PK1', vaA, '1000.00'), credit('PK3', vaB, '700.00')];
      const [packageOne, packageTwo, ...alone] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'esb-package-1').recordInboundCredits(one, callOf(ESB))),
        () => outcomeOf(ledger.replica(s, 'esb-package-2').recordInboundCredits(two, callOf(ESB))),
        ...singles.map((body, index) => () => outcomeOf(ledger.replica(s, `esb-single-${index}`).recordInboundCredit(body, callOf(ESB)))),
      ]);

      // Each item of a package, and each single credit, as (body, what it was answered).
      const answered = [
        ...[packageOne, packageTwo].flatMap((outcome, which) => {
          if (!outcome?.ok) throw new Error(`a package was refused whole: ${JSON.stringify(outcome)}`);
          const bodies = which === 0 ? one : two;
          return outcome.answer.answer.map((item, index) => ({ body: bodies[index]!, item: 'rejection' in item ? { ok: false as const, code: item.rejection.code } : { ok: true as const, answer: item.answer } }));
        }),
        ...alone.map((outcome, index) => ({ body: singles[index]!, item: outcome!.ok ? { ok: true as const, answer: outcome!.answer.answer } : outcome! })),
      ];
      const balances = await ledger.balances();
      const held = (account: string) => balances.get(account) ?? '0.00';
      let clearing = new Big(0);
      const placed = new Map<string, Big>();
      for (const bankRef of ['PK1', 'PK2', 'PK3']) {
        const anchor = await ledger.anchor(BANK, bankRef);
        const won = answered.find(({ body }) => body.bankRef === bankRef && body.amount === anchor.received?.amount && body.payeeAccountNo === anchor.received.payeeAccountNo);
        expect(won).toBeDefined();
        for (const { body, item } of answered.filter(({ body }) => body.bankRef === bankRef)) {
          if (body.amount !== won!.body.amount || body.payeeAccountNo !== won!.body.payeeAccountNo) expect(item).toEqual({ ok: false, code: 'DUPLICATE_BANK_REF' });
          else expect(item.ok && item.answer).toMatchObject({ creditId: creditIdFor(BANK, bankRef), outcome: anchor.firstOutcome!.outcome });
        }
        clearing = clearing.plus(won!.body.amount);
        const account = anchor.firstOutcome!.outcome === 'CLASSIFIED' ? `virtual:${won!.body.payeeAccountNo}` : `suspense:${BANK}`;
        placed.set(account, (placed.get(account) ?? new Big(0)).plus(won!.body.amount));
      }
      // The winners' money, once each, where each was answered to be; nothing of the losers.
      expect(held(`clearing:${BANK}`)).toBe(clearing.toFixed(2));
      for (const account of [`virtual:${vaA}`, `virtual:${vaB}`, `suspense:${BANK}`]) expect(held(account)).toBe(placed.has(account) ? `-${placed.get(account)!.toFixed(2)}` : '0.00');
    });
  });

  it('match, match, return and reversal of one suspended credit: at most one resolution, reversed money nowhere', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      await ledger.lot('LB');
      const vaA = await ledger.virtualAccount('LA');
      const vaB = await ledger.virtualAccount('LB');
      const suspended = await ledger.setup.recordInboundCredit(credit('SUSP1', UNISSUED, '700.00'), callOf(ESB));
      const creditId = suspended.answer.creditId;
      const [matchA, matchB, returned, reversed] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'op-1').resolveSuspense(creditId, { action: 'MATCH', virtualAccountNo: vaA }, callOf(OPERATOR))),
        () => outcomeOf(ledger.replica(s, 'op-2').resolveSuspense(creditId, { action: 'MATCH', virtualAccountNo: vaB }, callOf(OPERATOR))),
        () => outcomeOf(ledger.replica(s, 'op-3').resolveSuspense(creditId, { action: 'RETURN' }, callOf(OPERATOR))),
        () => outcomeOf(ledger.replica(s, 'esb').reportCreditStatus(creditId, { bankRef: 'SUSP1', reason: 'not settled' }, callOf(ESB))),
      ] as const);

      const resolutions = [matchA, matchB, returned].filter((outcome) => outcome.ok);
      expect(resolutions.length).toBeLessThanOrEqual(1);
      const anchor = await ledger.anchor(BANK, 'SUSP1');
      const balances = await ledger.balances();
      const held = (account: string) => balances.get(account) ?? '0.00';
      // Reversed, or returned to the payer: the money is nowhere in the ledger.
      expect([held(`virtual:${vaA}`), held(`virtual:${vaB}`), held(`suspense:${BANK}`), held(`clearing:${BANK}`)]).toEqual(['0.00', '0.00', '0.00', '0.00']);
      if (reversed.ok) {
        expect(anchor.status).toBe('REVERSED');
      } else {
        // Refused only once the money was returned to the payer.
        expect(reversed).toEqual({ ok: false, code: 'CREDIT_ALREADY_PAID_OUT' });
        expect(returned.ok).toBe(true);
      }
      // A match answered MATCHED put the money in its lot's bond (which the reversal, if any, took it out of).
      for (const [match, lotId] of [[matchA, 'LA'], [matchB, 'LB']] as const) {
        if (!match.ok) continue;
        expect(anchor.placement).toEqual({ lotId, bondId: (match.answer.answer as { bondId: string }).bondId });
        const held = (await ledger.lotState(lotId)).credits;
        expect(tableGet(held, creditId)).toMatchObject({ bondId: anchor.placement!.bondId, removed: reversed.ok });
      }
      for (const loser of [matchA, matchB, returned].filter((outcome) => !outcome.ok)) {
        expect(['NOT_IN_SUSPENSE']).toContain((loser as { code: string }).code);
      }
    });
  });

  it('a reversal against the refund run of its lot: the money is reversed or refunded, never both', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      const vaA = await ledger.virtualAccount('LA');
      const first = await ledger.setup.recordInboundCredit(credit('REV1', vaA, '900.00'), callOf(ESB));
      await ledger.setup.recordInboundCredit(credit('REV2', vaA, '100.00', { payer: OTHER_PAYER }), callOf(ESB));
      await ledger.setup.terminateTender('LA', { reason: 'cancelled' }, callOf(CENTER_ACTOR));
      const [reversed, refunded] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'esb').reportCreditStatus(first.answer.creditId, { bankRef: 'REV1', reason: 'not settled' }, callOf(ESB))),
        () => outcomeOf(ledger.replica(s, 'center').refundBonds('LA', { refundOn: '2026-12-05' }, callOf(CENTER_ACTOR))),
      ] as const);
      expect(refunded.ok).toBe(true);
      const refunds = refunded.ok ? await refundsOfRun(ledger, 'LA', refunded.answer.answer) : [];
      const bondOfFirst = first.answer.bondId;
      if (reversed.ok) expect(refunds.map((refund) => refund.bondId)).not.toContain(bondOfFirst);
      else {
        expect(reversed).toEqual({ ok: false, code: 'CREDIT_ALREADY_PAID_OUT' });
        expect(refunds.map((refund) => refund.bondId)).toContain(bondOfFirst);
      }
      const lot = await ledger.lotState('LA');
      for (const refund of refunds) expect(lotRefund(lot, refund.refundId)).toMatchObject({ bondId: refund.bondId, status: 'INSTRUCTED' });
    });
  });

  it('a center asking about its sealed lot while money arrives: each ask refused alike and recorded once, the money in the lot once', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      const vaA = await ledger.virtualAccount('LA');
      const first = await ledger.setup.recordInboundCredit(credit('ASK1', vaA, '900.00'), callOf(ESB));
      const paidBond = first.answer.bondId!;
      const [forfeited, awarded, attributed, credited, withdrawn] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'center-1').forfeitBond(paidBond, { reason: 'kept' }, callOf(CENTER_ACTOR))),
        () => outcomeOf(ledger.replica(s, 'center-2').awardLot('LA', { winnerBondId: paidBond, contractSignedOn: '2026-12-05' }, callOf(CENTER_ACTOR))),
        () => outcomeOf(ledger.replica(s, 'center-3').attributeBond(paidBond, { bidderId: 'PAYER-CO' }, callOf(CENTER_ACTOR))),
        () => outcomeOf(ledger.replica(s, 'esb').recordInboundCredit(credit('ASK2', vaA, '100.00', { payer: OTHER_PAYER }), callOf(ESB))),
        () => outcomeOf(ledger.replica(s, 'center-4').withdrawBidder('LA', { bidderId: 'NEVER-PAID', noticeReceivedAt: '2026-12-02T10:00:00+08:00' }, callOf(CENTER_ACTOR))),
      ] as const);
      expect([forfeited, awarded, attributed]).toEqual([
        { ok: false, code: 'FORFEITURE_NOT_ALLOWED' },
        { ok: false, code: 'BIDS_NOT_OPENED' },
        { ok: false, code: 'BOND_NOT_FOUND' },
      ]);
      expect(withdrawn.ok && !('bondIds' in withdrawn.answer.answer)).toBe(true);
      expect(credited.ok && credited.answer.answer.outcome).toBe('CLASSIFIED');
      const asks: string[] = [];
      for await (const event of ledger.store.readStream(lotStream('LA'))) if (event.type === 'SealedLotAsked') asks.push((event.data as { command: string }).command);
      expect(asks.sort()).toEqual(['AttributeBond', 'AwardLot', 'ForfeitBond']);
      const lot = await ledger.lotState('LA');
      expect(lotBonds(lot).map((bond) => bond.principal).sort()).toEqual(['100.00', '900.00']);
      expect(lot.withdrawals['NEVER-PAID']).toEqual({ beforeDeadline: true });
    });
  });

  it('a termination against a credit received at the deadline: the credit is in the lot and refundable, or returned', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      // A deadline earlier on the day of NOW: a credit received at it has happened (not RECEIVED_IN_FUTURE).
      await ledger.lot('LA', '2026-12-05T09:00:00+08:00');
      const vaA = await ledger.virtualAccount('LA');
      const [credited, terminated] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'esb').recordInboundCredit(credit('DL1', vaA, '500.00', { receivedAt: '2026-12-05T09:00:00+08:00', valueDate: '2026-12-05' }), callOf(ESB))),
        () => outcomeOf(ledger.replica(s, 'center').terminateTender('LA', { reason: 'cancelled' }, callOf(CENTER_ACTOR))),
      ] as const);
      expect(terminated.ok).toBe(true);
      const answer = credited.ok ? credited.answer.answer : undefined;
      const lot = await ledger.lotState('LA');
      const decision = lotCreditDecision(lot, creditIdFor(BANK, 'DL1'), 0);
      if (answer?.outcome === 'CLASSIFIED') {
        expect(decision).toMatchObject({ taken: true });
        expect(lotBond(lot, answer.bondId!)?.status).toBe('REFUND_DUE');
      } else {
        expect(answer).toMatchObject({ outcome: 'RETURNED', reason: 'LOT_CLOSED' });
        expect(decision).toEqual({ taken: false, reason: 'LOT_CLOSED' });
      }
    });
  });

  it('an award’s refund run against a late credit received before the deadline: refunded with the others, or returned', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LW', '2026-12-03T09:00:00+08:00');
      const winner = await ledger.virtualAccount('LW', BANK, 'WINNER');
      const lotVa = await ledger.virtualAccount('LW');
      await ledger.setup.recordInboundCredit(credit('AW1', winner, '800.00', { receivedAt: '2026-12-02T10:00:00+08:00', valueDate: '2026-12-02' }), callOf(ESB));
      await ledger.setup.recordTimePassed('LW', new Date('2026-12-04T00:00:00Z'), callOf('system:lot-clock').context);
      await ledger.setup.awardLot('LW', { winnerBidderId: 'WINNER', contractSignedOn: '2026-12-04' }, callOf(CENTER_ACTOR));
      const late = credit('AW2', lotVa, '300.00', { receivedAt: '2026-12-03T08:59:00+08:00', valueDate: '2026-12-03', payer: OTHER_PAYER });
      const [refunded, credited] = await race(ledger, s, [
        () => outcomeOf(ledger.replica(s, 'center').refundBonds('LW', { refundOn: '2026-12-05' }, callOf(CENTER_ACTOR))),
        () => outcomeOf(ledger.replica(s, 'esb').recordInboundCredit(late, callOf(ESB))),
      ] as const);
      expect(refunded.ok && credited.ok).toBe(true);
      const refunds = refunded.ok ? await refundsOfRun(ledger, 'LW', refunded.answer.answer) : [];
      const answer = credited.ok ? credited.answer.answer : undefined;
      if (answer?.outcome === 'CLASSIFIED') {
        // Taken before the run started: the run refunds it with the winner's.
        expect(refunds.map((refund) => refund.bondId).sort()).toEqual([...new Set([...refunds.map((refund) => refund.bondId), answer.bondId!])].sort());
      } else {
        expect(answer).toMatchObject({ outcome: 'RETURNED', reason: 'LOT_CLOSED' });
      }
    });
  });

  it('virtual accounts issued at once from several replicas: every one a different number, each answered as recorded', async () => {
    await onFreshLedgers(mode, async (ledger, s) => {
      await ledger.lot('LA');
      const issued = await race(
        ledger,
        s,
        Array.from({ length: 4 }, (_, index) => () => outcomeOf(ledger.replica(s, `center-${index}`).issueVirtualAccount('LA', { masterAccountNo: '6217000099990001', bankCode: BANK }, callOf(CENTER_ACTOR)))),
      );
      const numbers = issued.map((outcome) => (outcome.ok ? outcome.answer.answer.virtualAccountNo : outcome.code));
      expect(new Set(numbers).size).toBe(4);
      expect(numbers.every((no) => /^955880\d{13}$/.test(no))).toBe(true);
    });
  });
});

/** The Idempotency-Key of a route's request, as the HTTP layer makes it (apps/ledger/src/write/idempotency/idempotency-key.ts). */
function keyOf(name: string): IdempotencyRequest {
  return { keyHash: `race-key-${name}`, fingerprint: `fingerprint-${name}` };
}

describe.each<RaceStore>(['atomic', 'sequential', 'atomic-checkpoint-pauses', 'eventstoredb-stand-in'])('N requests under one Idempotency-Key, on every command (%s store)', (mode) => {
  jest.setTimeout(120_000);

  /** Every command route, as the call its controller makes. Each runs on a ledger with what it needs in place. */
  const routes: Array<[string, (ledger: RaceLedger, replica: ReturnType<RaceLedger['replica']>, key: IdempotencyRequest, fixture: Fixture) => Promise<KernelAnswer<unknown>>]> = [
    ['POST /v1/tender-centers', (_, r, key) => r.registerTenderCenter({ centerId: 'C-NEW', name: 'New center' }, callOf(OPERATOR, key))],
    ['POST /v1/tender-centers/{centerId}/master-accounts', (_, r, key) => r.openMasterAccount('C1', { bankCode: BANK, accountNo: '6217000099990009', accountName: 'Second' }, callOf(OPERATOR, key))],
    ['POST /v1/interest-rate-schedules', (_, r, key) => r.defineRateSchedule({ scheduleId: 'BANK-SPECIAL', dayCount: 'ACT/365', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0050' }] }, callOf(OPERATOR, key))],
    ['POST /v1/lots', (_, r, key) => r.registerLot({ lotId: 'L-NEW', centerId: 'C1', projectCode: 'P', name: 'New', estimatedPrice: '1000000.00', bondAmount: '20000.00', depositDeadline: '2026-12-10T09:00:00+08:00', bidOpeningTime: '2026-12-10T09:30:00+08:00', basicAccountPolicy: 'OFF', rateScheduleId: 'PBOC-DEMAND' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/lots/{lotId}/virtual-accounts', (_, r, key) => r.issueVirtualAccount('LA', { masterAccountNo: '6217000099990001', bankCode: BANK }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/bidders/{bidderId}/basic-account', (_, r, key) => r.declareBasicAccount('B1', { accountNo: '6222000055556666', accountName: 'B1 Co', bankCode: '103100000026' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/inbound-credits', (_, r, key, f) => r.recordInboundCredit(credit('IDEM1', f.vaA, '250.00'), callOf(ESB, key))],
    ['POST /v1/inbound-credit-batches', (_, r, key, f) => r.recordInboundCredits([credit('IDEM2', f.vaA, '250.00'), credit('IDEM3', UNISSUED, '10.00'), credit('IDEM2', f.vaA, '250.00')], callOf(ESB, key))],
    ['POST /v1/inbound-credits/{creditId}/status', (_, r, key, f) => r.reportCreditStatus(f.classified, { bankRef: 'CLS1', reason: 'not settled' }, callOf(ESB, key))],
    ['POST /v1/suspense/{creditId}/resolution', (_, r, key, f) => r.resolveSuspense(f.suspended, { action: 'MATCH', virtualAccountNo: f.vaA }, callOf(OPERATOR, key))],
    ['POST /v1/lots/{lotId}/withdrawals', (_, r, key) => r.withdrawBidder('LA', { bidderId: 'BIDDER', noticeReceivedAt: '2026-12-02T10:00:00+08:00' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/lots/{lotId}/award', (_, r, key) => r.awardLot('LW', { winnerBidderId: 'WINNER', contractSignedOn: '2026-12-04' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/lots/{lotId}/termination', (_, r, key) => r.terminateTender('LA', { reason: 'cancelled' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/bonds/{bondId}/forfeiture', (_, r, key, f) => r.forfeitBond(f.forfeitable, { reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/lots/{lotId}/refunds', (_, r, key) => r.refundBonds('LR', { refundOn: '2026-12-05' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/refunds/{refundId}/settlement', (_, r, key, f) => r.settleRefund(f.refund, { status: 'FAILED', bankRef: 'OUT1', reason: 'account closed' }, callOf(ESB, key))],
    ['POST /v1/interest-rate-schedules/{scheduleId}/entries', (_, r, key) => r.addRateScheduleEntry('PBOC-DEMAND', { effectiveFrom: '2026-12-06', annualRate: '0.0030' }, callOf(OPERATOR, key))],
    ['POST /v1/lots/{lotId}/signing-refusals', (_, r, key) => r.recordSigningRefusal('LW', { bidderId: 'WINNER', refusedOn: '2026-12-04', reason: 'refused the terms' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/bonds/{bondId}/attribution', (_, r, key, f) => r.attributeBond(f.unattributed, { bidderId: 'PAYER-CO' }, callOf(CENTER_ACTOR, key))],
    ['POST /v1/refunds/{refundId}/redirection', (_, r, key, f) => r.redirectRefund(f.failedRefund, { accountNo: '6222000077778888', bankCode: '103100000026', evidenceRef: 'EV-1', reason: 'account closed' }, callOf(OPERATOR, key))],
  ];

  it.each(routes)('%s runs once; every request gets the first answer', async (name, send) => {
    await onFreshLedgers(mode, async (ledger, s) => {
      const fixture = await fixtureOn(ledger);
      const before = await ledger.eventCount();
      const key = keyOf(name);
      const answers = await race(
        ledger,
        s,
        Array.from({ length: 3 }, (_, index) => () => outcomeOf(send(ledger, ledger.replica(s, `caller-${index}`), key, fixture))),
      );
      expect(answers.every((outcome) => outcome.ok)).toBe(true);
      const bodies = answers.map((outcome) => (outcome.ok ? outcome.answer.answer : undefined));
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect(answers.filter((outcome) => outcome.ok && !outcome.answer.replayed)).toHaveLength(1);

      // The same request once more, alone, on a ledger built alike: what one run writes.
      const alone = await RaceLedger.open(mode);
      try {
        const aloneFixture = await fixtureOn(alone);
        const aloneBefore = await alone.eventCount();
        await send(alone, alone.setup, keyOf(`${name}-alone`), aloneFixture);
        expect((await ledger.eventCount()) - before).toBe((await alone.eventCount()) - aloneBefore);
      } finally {
        await alone.close();
      }
    }, Math.max(2, Math.ceil(RUNS / 3)));
  });
});

interface Fixture {
  vaA: string;
  classified: string;
  suspended: string;
  forfeitable: string;
  refund: string;
  /** On the opened lot LW, paid through its lot account: a bond of no bidder yet. */
  unattributed: string;
  /** LX: terminated, refunded, the settlement FAILED. */
  failedRefund: string;
}

/** A ledger with something for every command to act on. */
async function fixtureOn(ledger: RaceLedger): Promise<Fixture> {
  const esb = callOf(ESB);
  const center = callOf(CENTER_ACTOR);
  await ledger.lot('LA');
  await ledger.lot('LT');
  await ledger.lot('LR');
  await ledger.lot('LF', '2026-12-03T09:00:00+08:00');
  await ledger.lot('LW', '2026-12-03T09:00:00+08:00');
  const vaA = await ledger.virtualAccount('LA');
  const bidderVa = await ledger.virtualAccount('LA', BANK, 'BIDDER');
  const vaT = await ledger.virtualAccount('LT');
  const vaR = await ledger.virtualAccount('LR');
  const vaF = await ledger.virtualAccount('LF', BANK, 'LEAVER');
  const vaW = await ledger.virtualAccount('LW', BANK, 'WINNER');
  const classified = await ledger.setup.recordInboundCredit(credit('CLS1', vaA, '1000.00'), esb);
  await ledger.setup.recordInboundCredit(credit('BID1', bidderVa, '1000.00', { payer: OTHER_PAYER }), esb);
  const suspended = await ledger.setup.recordInboundCredit(credit('SUS1', UNISSUED, '400.00'), esb);
  // LT: terminated and refunded: a refund to settle. LR: terminated: bonds to refund.
  await ledger.setup.recordInboundCredit(credit('T1', vaT, '600.00'), esb);
  await ledger.setup.terminateTender('LT', { reason: 'cancelled' }, center);
  const run = await ledger.setup.refundBonds('LT', { refundOn: '2026-12-05' }, center);
  await ledger.setup.recordInboundCredit(credit('R1', vaR, '650.00'), esb);
  await ledger.setup.terminateTender('LR', { reason: 'cancelled' }, center);
  // LF: a bidder withdrew after the deadline: its bond is forfeitable (Art. 35).
  const leaver = await ledger.setup.recordInboundCredit(credit('F1', vaF, '700.00', { receivedAt: '2026-12-02T10:00:00+08:00', valueDate: '2026-12-02' }), esb);
  await ledger.setup.withdrawBidder('LF', { bidderId: 'LEAVER', noticeReceivedAt: '2026-12-03T10:00:00+08:00' }, center);
  // Opened: before that a forfeiture is refused for any bond (docs/security.md).
  await ledger.setup.recordTimePassed('LF', new Date('2026-12-04T00:00:00Z'), esb.context);
  // LW: bids opened, a winner's bond.
  await ledger.setup.recordInboundCredit(credit('W1', vaW, '800.00', { receivedAt: '2026-12-02T10:00:00+08:00', valueDate: '2026-12-02' }), esb);
  const lotAccountW = await ledger.virtualAccount('LW');
  const unattributed = await ledger.setup.recordInboundCredit(credit('W2', lotAccountW, '800.00', { payer: OTHER_PAYER, receivedAt: '2026-12-02T10:00:00+08:00', valueDate: '2026-12-02' }), esb);
  await ledger.setup.recordTimePassed('LW', new Date('2026-12-04T00:00:00Z'), esb.context);
  // LX: terminated, refunded, and the refund bounced.
  await ledger.lot('LX');
  await ledger.setup.recordInboundCredit(credit('X1', await ledger.virtualAccount('LX'), '500.00'), esb);
  await ledger.setup.terminateTender('LX', { reason: 'cancelled' }, center);
  const [failedRefund] = await refundsOfRun(ledger, 'LX', (await ledger.setup.refundBonds('LX', { refundOn: '2026-12-05' }, center)).answer);
  if (failedRefund === undefined) throw new Error('the refund run on LX instructed no refund');
  await ledger.setup.settleRefund(failedRefund.refundId, { status: 'FAILED', bankRef: 'OUTX1', reason: 'account frozen' }, esb);
  const [refund] = await refundsOfRun(ledger, 'LT', run.answer);
  if (refund === undefined) throw new Error('the refund run instructed no refund');
  return {
    vaA,
    classified: classified.answer.creditId,
    suspended: suspended.answer.creditId,
    forfeitable: leaver.answer.bondId!,
    refund: refund.refundId,
    unattributed: unattributed.answer.bondId!,
    failedRefund: failedRefund.refundId,
  };
}
