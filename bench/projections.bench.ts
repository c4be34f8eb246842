/**
 * `npm run bench:projections` — rebuilding the read models from a log of at least 1,000,000 events,
 * next to the store's own read-all rate and the raw better-sqlite3 row rate measured in the same run on
 * the same file. Not a test: it prints figures for docs/benchmarks.md.
 *
 * The log is made by the real deciders (tender center, master accounts, rate schedules, basic-account
 * registry, virtual-account registry, lots) and the domain's credit decisions (`decideInboundCredit`,
 * `decideSuspenseResolution`, `decideReversal`), given the facts the service's LedgerCommands gathers,
 * each plan committed as the embedded store commits it (one commit, each stream's events together),
 * for a few thousand lots of 10–70 bidders each: bonds credited in one or two tranches, credits the lot
 * refuses and returns (ENFORCE policy), suspense matched (or returned when the lot refuses the match),
 * reversals, deadlines, openings, awards, refunds with interest, failed refunds retried. States are
 * kept per stream in memory (no replay per command) and rows are inserted raw in big transactions with
 * synchronous=OFF: filling is set-up, not measured.
 *
 * Options (environment): BENCH_EVENTS (default 1000000), BENCH_SEED (default 1), BENCH_RUNNER=1 to
 * add the ProjectionRunner's catch-up from zero (subscription and snapshots; ~1 more minute),
 * BENCH_LOG_PATH=file to keep the log there and reuse it on the next run (e.g. to profile).
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type BankDirectory,
  CURRENCY,
  type Decider,
  type DomainEvent,
  type InboundCreditRequest,
  type InboundCreditState,
  type LotRegistered,
  type PayeeFacts,
  PBOC_DEMAND_SCHEDULE,
  type Payer,
  type Plan,
  type RateSchedule,
  type StreamWrite,
  basicAccountDecider,
  basicAccountStream,
  classifyVirtualAccountNo,
  decideInboundCredit,
  decideReversal,
  decideSuspenseResolution,
  eventSchemaVersion,
  inboundCreditFold,
  inboundCreditStream,
  intakeLot,
  isRejection,
  lotDecider,
  lotInPlay,
  lotStream,
  masterAccountDecider,
  masterAccountStream,
  rateScheduleDecider,
  rateScheduleStream,
  receivingBankOf,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
  formatVirtualAccountNo,
  type VirtualAccountIssuedData,
  type BasicAccountState,
  type LotState,
  type StoredEventFold,
  inboundCreditStoredFold,
  lotStoredFold,
  lotBonds,
} from '@app/domain';
import { SqliteEventStore, canonicalJson } from '@app/event-store';
import {
  balancesProjection,
  basicAccountConflictsProjection,
  bondsProjection,
  lotStatementProjection,
  lotSummaryProjection,
  rateSchedulesProjection,
  refundQueueProjection,
  suspenseProjection,
} from '@app/projections';
import { type AnyProjection, ProjectionRunner, ReadModelStore, rebuild } from '@app/projections/runner';
import { prepareSqliteFile } from '../libs/event-store/src/sqlite/sqlite-schema';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const RUN_RUNNER = process.env.BENCH_RUNNER === '1';
const KEPT_LOG = process.env.BENCH_LOG_PATH;

/** The projections the service folds (apps/ledger/src/read/read-models.service.ts), all of them. */
const PROJECTIONS: readonly AnyProjection[] = [
  balancesProjection,
  bondsProjection,
  lotSummaryProjection,
  refundQueueProjection,
  suspenseProjection,
  rateSchedulesProjection,
  basicAccountConflictsProjection,
  lotStatementProjection,
];

// A full collection between phases, so one phase's garbage is not charged to the next.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const folder = mkdtempSync(join(tmpdir(), 'ledger-projections-bench-'));
const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------------
// Making the log

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BANKS = [
  { bankCode: '102100099996', prefix: '955880' },
  { bankCode: '104100000004', prefix: '622848' },
  { bankCode: '105100000017', prefix: '621700' },
] as const;
const BANK_DIRECTORY: BankDirectory = {
  bankCodes: new Set(BANKS.map((bank) => bank.bankCode)),
  prefixes: new Set(BANKS.map((bank) => bank.prefix)),
  bankOfPrefix: (prefix) => BANKS.find((bank) => bank.prefix === prefix)?.bankCode,
  operatingBank: BANKS[0].bankCode,
};
const CENTERS = 20;
const BIDDER_POOL = 20_000;
const LOTS_PER_GROUP = 50;
const SPLIT_365: RateSchedule = {
  scheduleId: 'SPLIT-365',
  dayCount: 'ACT/365',
  entries: [
    { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
    { effectiveFrom: '2026-12-10', annualRate: '0.015' },
  ],
};

interface Bidder {
  bidderId: string;
  payer: Payer;
}

/** A stream's state after `events`. */
function folded<S>(fold: StoredEventFold<S>, before: S, events: readonly DomainEvent[]): S {
  return events.reduce((state, event) => fold.evolve(state, event), before);
}

/** The writes of each stream as one, in the order streams first appear, as the kernel gives an atomic store. */
function mergeByStream(writes: readonly StreamWrite[]): StreamWrite[] {
  const merged = new Map<string, DomainEvent[]>();
  for (const write of writes) if (write.events.length > 0) merged.set(write.stream, [...(merged.get(write.stream) ?? []), ...write.events]);
  return [...merged].map(([stream, events]) => ({ stream, events }));
}

/** Drives the deciders and decisions the way the service's commands do, keeping each stream's state instead of replaying it. */
class LogWriter {
  events = 0;
  private readonly streams = new Map<string, { state: unknown; revision: number }>();
  private readonly insert: Database.Statement<[string, number, string, string, string, string]>;
  private pending: Array<[string, number, string, string, string, string]> = [];
  private readonly flushRows: (rows: Array<[string, number, string, string, string, string]>) => void;
  private clock = Date.parse('2026-11-01T00:00:00Z');

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    this.flushRows = db.transaction((rows: Array<[string, number, string, string, string, string]>) => {
      for (const [stream, revision, id, type, data, metadata] of rows) this.insert.run(stream, revision, id, type, data, metadata);
    });
  }

  execute<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, command: C, actor: string): E[] {
    const state = this.state(decider, stream);
    const decision = decider.decide(command, state);
    if (isRejection(decision)) throw new Error(`${stream}: ${decision.code} ${decision.message}`);
    this.commit([{ stream, events: decision, after: decision.reduce((folded, event) => decider.evolve(folded, event), state) }], actor);
    return [...decision];
  }

  /**
   * Runs a plan of the domain's credit decisions (decided again while it asks to be) as the embedded
   * store commits it: one commit, each stream's events together in the order streams first appear.
   * Answers the plan's answer, or the code of its rejection.
   */
  run<A>(decide: () => Plan<A>, actor: string): A | { rejected: string } {
    for (;;) {
      const plan = decide();
      const writes = mergeByStream(plan.writes).map(({ stream, events }) => {
        // A credit decision writes the credit's anchor and a lot.
        const after: unknown = stream.startsWith('inbound-credit-')
          ? folded(inboundCreditStoredFold, this.state(inboundCreditStoredFold, stream), events)
          : folded(lotStoredFold, this.state(lotStoredFold, stream), events);
        return { stream, events, after };
      });
      this.commit(writes, actor);
      if ('rejection' in plan) return { rejected: plan.rejection.code };
      if ('answer' in plan) return plan.answer;
    }
  }

  /** One command's appends, each stream's events with its state after them; one recordedAt. */
  private commit(writes: ReadonlyArray<{ stream: string; events: readonly DomainEvent[]; after: unknown }>, actor: string): void {
    if (writes.length === 0) return;
    const correlationId = randomUUID();
    this.clock += 1_000;
    // {correlationId, causationId, actor, schemaVersion, recordedAt}, the schema version per event's type.
    const before = JSON.stringify({ correlationId, causationId: correlationId, actor }).slice(0, -1);
    const after = `,"recordedAt":"${new Date(this.clock).toISOString()}"}`;
    for (const { stream, events, after: state } of writes) {
      const entry = this.streams.get(stream) ?? { state, revision: -1 };
      for (const event of events) {
        entry.revision += 1;
        const metadata = `${before},"schemaVersion":${eventSchemaVersion(event.type)}${after}`;
        this.pending.push([stream, entry.revision, randomUUID(), event.type, JSON.stringify(event.data), metadata]);
      }
      entry.state = state;
      this.streams.set(stream, entry);
      this.events += events.length;
    }
    if (this.pending.length >= 20_000) this.flush();
  }

  /** A stream's state as this writer left it (each stream is only ever folded by its own fold). */
  state<S>(fold: { readonly initialState: S }, stream: string): S {
    const known = this.streams.get(stream);
    return known === undefined ? fold.initialState : (known.state as S);
  }

  forget(stream: string): void {
    this.streams.delete(stream);
  }

  flush(): void {
    this.flushRows(this.pending);
    this.pending = [];
  }
}

function buildLog(path: string): { events: number; lots: number; bonds: number; seconds: number } {
  const started = performance.now();
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  prepareSqliteFile(db);
  db.pragma('synchronous = OFF'); // filling is set-up, not a measured phase
  const w = new LogWriter(db);
  const random = mulberry32(SEED);
  const pick = <T>(list: readonly T[]): T => {
    const item = list[Math.floor(random() * list.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  };

  const masters: Array<{ centerId: string; accountNo: string; bank: (typeof BANKS)[number] }> = [];
  for (let c = 1; c <= CENTERS; c += 1) {
    const centerId = `C${String(c).padStart(3, '0')}`;
    w.execute(tenderCenterDecider, tenderCenterStream(centerId), { type: 'RegisterTenderCenter', centerId, name: `Tender center ${c}` }, 'ops:bench');
    for (const bank of BANKS.slice(0, 1 + (c % BANKS.length))) {
      const accountNo = `6217${bank.prefix.slice(0, 3)}${String(c).padStart(6, '0')}`;
      w.execute(
        masterAccountDecider,
        masterAccountStream(bank.bankCode, accountNo),
        { type: 'OpenMasterAccount', centerId, bankCode: bank.bankCode, accountNo, accountName: `Bid bonds ${centerId}`, centerExists: true, virtualAccountPrefix: bank.prefix },
        'ops:bench',
      );
      masters.push({ centerId, accountNo, bank });
    }
  }
  for (const schedule of [PBOC_DEMAND_SCHEDULE, SPLIT_365]) {
    w.execute(rateScheduleDecider, rateScheduleStream(schedule.scheduleId), { type: 'DefineRateSchedule', ...schedule }, 'ops:bench');
  }
  const bidders: Bidder[] = Array.from({ length: BIDDER_POOL }, (_, i) => ({
    bidderId: `BIDDER-${String(i).padStart(6, '0')}`,
    payer: { accountNo: `62220${String(10_000_000_000 + i * 7919)}`, name: `Construction Company No. ${i} Ltd`, bankCode: pick(['103100000026', '105100000017', '308584000013']) },
  }));
  for (const bidder of bidders) {
    if (random() < 0.75) {
      w.execute(
        basicAccountDecider,
        basicAccountStream(bidder.payer.accountNo),
        { type: 'DeclareBasicAccount', bidderId: bidder.bidderId, accountNo: bidder.payer.accountNo, accountName: bidder.payer.name, bankCode: bidder.payer.bankCode, declaredOn: '2026-01-01' },
        'center:bench',
      );
    }
  }

  let bankRefs = 0;
  let lotCount = 0;
  let bondCount = 0;
  const issued = new Map<string, VirtualAccountIssuedData>();

  const issue = (lotId: string, master: (typeof masters)[number], bidderId?: string): VirtualAccountIssuedData => {
    const lot = w.state(lotStoredFold, lotStream(lotId));
    const [event] = w.execute(
      virtualAccountRegistryDecider,
      virtualAccountRegistryStream(master.bank.prefix),
      {
        type: 'IssueVirtualAccount',
        lotId,
        masterAccountNo: master.accountNo,
        ...(bidderId === undefined ? {} : { bidderId }),
        prefix: master.bank.prefix,
        lot: { centerId: lot.terms!.centerId, acceptsVirtualAccounts: !lot.closedToCredits },
        masterAccount: { centerId: master.centerId, bankCode: master.bank.bankCode },
      },
      'center:bench',
    );
    if (event === undefined) throw new Error(`no virtual account issued for lot ${lotId}`);
    issued.set(event.data.virtualAccountNo, event.data);
    return event.data;
  };

  const payeeOf = (payeeAccountNo: string): PayeeFacts => {
    const classification = classifyVirtualAccountNo(payeeAccountNo, BANK_DIRECTORY.prefixes);
    const record = classification.kind === 'VIRTUAL' ? issued.get(payeeAccountNo) : undefined;
    return record ? { classification, issued: record } : { classification };
  };
  /** Bidders that declared the payer's account, at the payer's bank (LedgerFacts.payerDeclaredBy). */
  const declaredBy = (payer: Payer): string[] => {
    const state = w.state(basicAccountDecider, basicAccountStream(payer.accountNo));
    return [...new Set(state.declarations.filter((declared) => declared.bankCode === payer.bankCode).map((declared) => declared.bidderId))];
  };
  const lotOf = (lotId: string | undefined) => (lotId === undefined ? undefined : w.state(lotStoredFold, lotStream(lotId)));
  const anchorOf = (stream: string) => w.state(inboundCreditFold, stream);

  /** POST /v1/inbound-credits, as LedgerCommands.recordInboundCredit gathers its facts for `decideInboundCredit`. */
  const receive = (payer: Payer, payeeAccountNo: string, day: number, amount: string) => {
    const bankRef = `HVPS${String((bankRefs += 1)).padStart(10, '0')}`;
    const dd = String(day).padStart(2, '0');
    const request: InboundCreditRequest = {
      bankRef,
      channel: 'HVPS',
      receivedAt: `2026-12-${dd}T${String(9 + (bankRefs % 8)).padStart(2, '0')}:${String(bankRefs % 60).padStart(2, '0')}:00+08:00`,
      valueDate: `2026-12-${dd}`,
      amount,
      currency: CURRENCY,
      payer,
      payeeAccountNo,
      remittanceInfo: 'bid bond',
    };
    const bankCode = receivingBankOf(request, BANK_DIRECTORY) as string;
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const payee = payeeOf(payeeAccountNo);
    const anchor = inboundCreditStream(bankCode, bankRef);
    const answer = w.run(() => {
      const state = anchorOf(anchor);
      const lotId = intakeLot(state, payee);
      const payerDeclaredBy = lotId === undefined ? [] : declaredBy(payer);
      return decideInboundCredit({ request, requestHash, bankCode, anchor: state, payee, lot: lotOf(lotId), payerDeclaredBy, now: request.receivedAt });
    }, 'esb:bench');
    if ('rejected' in answer) throw new Error(`${anchor}: ${answer.rejected}`);
    return { ...answer, anchor };
  };

  /** A command on a credit (LedgerCommands.onCredit): its anchor, the lot in play or `targetLot`, its payer's declarers. */
  const onCredit = <A>(anchor: string, targetLot: string | undefined, decide: (state: InboundCreditState, lot: LotState | undefined, payerDeclaredBy: string[]) => Plan<A>, actor: string) =>
    w.run(() => {
      const state = anchorOf(anchor);
      const lotId = lotInPlay(state) ?? targetLot;
      return decide(state, lotOf(lotId), state.received && lotId !== undefined ? declaredBy(state.received.payer) : []);
    }, actor);

  while (w.events < TARGET_EVENTS) {
    // A group of lots runs side by side, phase by phase, so their events interleave in the log.
    const group = Array.from({ length: LOTS_PER_GROUP }, () => {
      lotCount += 1;
      const master = pick(masters);
      const lotId = `L${String(lotCount).padStart(6, '0')}`;
      const policy = pick(['FLAG', 'FLAG', 'OFF', 'ENFORCE'] as const);
      const schedule = random() < 0.8 ? PBOC_DEMAND_SCHEDULE : SPLIT_365;
      const terms: LotRegistered['data'] = {
        lotId,
        centerId: master.centerId,
        projectCode: `PRJ-${lotCount}`,
        name: `Highway section ${lotCount} civil works`,
        estimatedPrice: '50000000.00',
        bondAmount: '500000.00',
        depositDeadline: '2026-12-10T09:00:00+08:00',
        bidOpeningTime: '2026-12-10T09:30:00+08:00',
        basicAccountPolicy: policy,
        rateScheduleId: schedule.scheduleId,
      };
      w.execute(lotDecider, lotStream(lotId), { type: 'RegisterLot', ...terms, centerExists: true, rateScheduleExists: true }, 'center:bench');
      const lotAccount = issue(lotId, master);
      const count = 10 + Math.floor(random() * 61);
      const lotBidders = Array.from({ length: count }, () => pick(bidders)).filter((b, i, all) => all.indexOf(b) === i);
      const ownAccounts = new Map(lotBidders.slice(0, 2).map((b) => [b.bidderId, issue(lotId, master, b.bidderId)]));
      const payments = lotBidders.flatMap((bidder) => {
        const account = ownAccounts.get(bidder.bidderId) ?? lotAccount;
        return random() < 0.2
          ? [{ bidder, account, day: 1 + Math.floor(random() * 4), amount: '200000.00' }, { bidder, account, day: 5 + Math.floor(random() * 4), amount: '300000.00' }]
          : [{ bidder, account, day: 1 + Math.floor(random() * 8), amount: pick(['500000.00', '500000.00', '500000.00', '450000.00', '520000.00']) }];
      });
      payments.sort((a, b) => a.day - b.day);
      return { lotId, master, schedule, lotAccount, lotBidders, payments };
    });

    // Deposits, interleaved across the group's lots; a stray payment per lot goes to suspense and is matched.
    const longest = Math.max(...group.map((lot) => lot.payments.length));
    const reversible: Array<{ creditId: string; anchor: string; bankRef: string }> = [];
    for (let i = 0; i < longest; i += 1) {
      for (const lot of group) {
        const payment = lot.payments[i];
        if (!payment) continue;
        const result = receive(payment.bidder.payer, payment.account.virtualAccountNo, payment.day, payment.amount);
        if (i === 3 && result.outcome === 'CLASSIFIED' && random() < 0.5) {
          reversible.push({ creditId: result.creditId, anchor: result.anchor, bankRef: result.bankRef });
        } else {
          w.forget(result.anchor); // a credit stream is written once here: keep only the states still needed
        }
      }
    }
    for (const lot of group) {
      const unknown = formatVirtualAccountNo(lot.master.bank.prefix, 900_000_000_000 + lotCount * 100 + (bankRefs % 100));
      const stray = receive(pick(lot.lotBidders).payer, unknown, 9, '500000.00');
      // An operator matches it to the lot's account; a match the lot refuses writes nothing, and the money is returned.
      const virtualAccountNo = lot.lotAccount.virtualAccountNo;
      const payee = payeeOf(virtualAccountNo);
      const matched = onCredit(
        stray.anchor,
        lot.lotId,
        (anchor, target, payerDeclaredBy) => decideSuspenseResolution({ creditId: stray.creditId, anchor, resolution: { action: 'MATCH', virtualAccountNo, payee }, lot: target, payerDeclaredBy }),
        'ops:bench',
      );
      if ('rejected' in matched) {
        const returned = onCredit(stray.anchor, undefined, (anchor, target, payerDeclaredBy) => decideSuspenseResolution({ creditId: stray.creditId, anchor, resolution: { action: 'RETURN' }, lot: target, payerDeclaredBy }), 'ops:bench');
        if ('rejected' in returned) throw new Error(`${stray.anchor}: ${returned.rejected}`);
      }
      w.forget(stray.anchor);
    }
    for (const credit of reversible) {
      const { creditId, bankRef } = credit;
      const reversed = onCredit(credit.anchor, undefined, (anchor, lot, payerDeclaredBy) => decideReversal({ creditId, anchor, bankRef, reason: 'not settled by HVPS', lot, payerDeclaredBy }), 'esb:bench');
      if ('rejected' in reversed) throw new Error(`${credit.anchor}: ${reversed.rejected}`);
      w.forget(credit.anchor);
    }

    // The scheduler: deadline, then opening; then award (or termination) and refunds with interest.
    for (const now of ['2026-12-10T09:00:30+08:00', '2026-12-10T09:30:30+08:00']) {
      for (const lot of group) w.execute(lotDecider, lotStream(lot.lotId), { type: 'RecordTimePassed', now }, 'system:scheduler');
    }
    for (const lot of group) {
      const stream = lotStream(lot.lotId);
      const bonds = lotBonds(w.state(lotDecider, stream));
      bondCount += bonds.length;
      const winner = bonds.find((bond) => bond.bidderId !== undefined && bond.status === 'HELD' && bond.principal !== '0.00')?.bidderId;
      if (winner !== undefined && random() < 0.95) {
        w.execute(lotDecider, stream, { type: 'AwardLot', winnerBidderId: winner, contractSignedOn: '2026-12-18', now: '2026-12-18T18:00:00+08:00' }, 'center:bench');
      } else {
        w.execute(lotDecider, stream, { type: 'TerminateTender', reason: 'tender cancelled', now: '2026-12-12T10:00:00+08:00' }, 'center:bench');
      }
      let failed = false;
      for (const event of w.execute(lotDecider, stream, { type: 'RefundBonds', refundOn: '2026-12-21', schedule: lot.schedule, now: '2026-12-21T18:00:00+08:00' }, 'ops:bench')) {
        if (event.type !== 'RefundInstructed') continue; // RefundBonds records only refunds
        const { refundId } = event.data;
        const fail = random() < 0.03;
        failed ||= fail;
        w.execute(lotDecider, stream, fail ? { type: 'SettleRefund', refundId, status: 'FAILED', bankRef: `OUT-${refundId}`, reason: 'account closed', now: '2026-12-23T10:00:00+08:00' } : { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId}`, now: '2026-12-23T10:00:00+08:00' }, 'esb:bench');
      }
      if (failed) {
        for (const event of w.execute(lotDecider, stream, { type: 'RefundBonds', refundOn: '2026-12-28', schedule: lot.schedule, now: '2026-12-28T18:00:00+08:00' }, 'ops:bench')) {
          if (event.type !== 'RefundInstructed') continue;
          const { refundId } = event.data;
          w.execute(lotDecider, stream, { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: `OUT-${refundId}`, now: '2026-12-23T10:00:00+08:00' }, 'esb:bench');
        }
      }
      w.forget(stream);
    }
    process.stderr.write(`\r  ${w.events.toLocaleString('en-US')} events, ${lotCount} lots`);
  }
  w.flush();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log('');
  return { events: w.events, lots: lotCount, bonds: bondCount, seconds: (performance.now() - started) / 1_000 };
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Rate {
  events: number;
  seconds: number;
  rate: number;
}

const rateOf = (events: number, started: number): Rate => {
  const seconds = (performance.now() - started) / 1_000;
  return { events, seconds, rate: events / seconds };
};

function rawRead(path: string, parse: boolean): Rate {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  let rows = 0;
  const statement = db.prepare<[], { data: string; metadata: string }>('SELECT position, stream, revision, event_id, type, data, metadata FROM events ORDER BY position');
  for (const row of statement.iterate()) {
    if (parse) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    rows += 1;
  }
  const rate = rateOf(rows, started);
  db.close();
  return rate;
}

async function storeRead(store: SqliteEventStore): Promise<Rate> {
  const started = performance.now();
  let events = 0;
  for await (const _event of store.readAll()) events += 1;
  return rateOf(events, started);
}

async function timedRebuild(store: SqliteEventStore, projections: readonly AnyProjection[], events: number) {
  collectGarbage();
  const started = performance.now();
  const models = await rebuild(store, projections);
  const rate = rateOf(events, started);
  return { rate, models, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const cores = cpus().length;
  console.log(`# projections benchmark — ${cores} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  const path = KEPT_LOG ?? join(folder, 'events.db');
  let built: ReturnType<typeof buildLog>;
  if (KEPT_LOG && existsSync(KEPT_LOG)) {
    const db = new Database(KEPT_LOG, { readonly: true });
    const events = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
    const lots = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'LotRegistered'").get()!.n;
    const bonds = db.prepare<[], { n: number }>("SELECT COUNT(DISTINCT json_extract(data, '$.bondId')) AS n FROM events WHERE type = 'BondCredited'").get()!.n;
    db.close();
    built = { events, lots, bonds, seconds: 0 };
    log(`reusing the log at ${KEPT_LOG}`);
  } else {
    log('building the log with the real deciders…');
    built = buildLog(path);
  }
  const fileMb = statSync(path).size / 2 ** 20;
  log(`built ${fmt(built.events)} events (${built.lots} lots, ${fmt(built.bonds)} bonds) in ${secs(built.seconds)} s, ${fileMb.toFixed(0)} MiB`);

  const raw = rawRead(path, false);
  log(`raw rows: ${fmt(raw.rate)}/s`);
  const rawParsed = rawRead(path, true);
  log(`raw rows + JSON.parse: ${fmt(rawParsed.rate)}/s`);
  const store = SqliteEventStore.open({ path });
  const readAll = await storeRead(store);
  log(`store.readAll(): ${fmt(readAll.rate)}/s`);
  if (readAll.events !== built.events) throw new Error(`read ${readAll.events} events, built ${built.events}`);

  const all = await timedRebuild(store, PROJECTIONS, built.events);
  log(`rebuild, all projections: ${fmt(all.rate.rate)}/s`);
  const sizes = PROJECTIONS.map((projection) => ({ name: projection.name, bytes: Buffer.byteLength(JSON.stringify(all.models[projection.name])) }));

  // One snapshot of every model into an empty file (every table entry written: the runner's later
  // snapshots write only what changed), one transaction with synchronous=FULL, and its load.
  const readModelsPath = join(folder, 'read-models.db');
  const readModels = ReadModelStore.open({ path: readModelsPath });
  const rebuiltTo = all.models.balances?.position;
  if (rebuiltTo === undefined) throw new Error('the rebuild folded no event');
  let started = performance.now();
  readModels.save(PROJECTIONS.map((projection) => ({ name: projection.name, model: all.models[projection.name], position: BigInt(rebuiltTo) })));
  const saveSeconds = (performance.now() - started) / 1_000;
  const readModelsMb = statSync(readModelsPath).size / 2 ** 20;
  started = performance.now();
  for (const projection of PROJECTIONS) readModels.load(projection.name);
  const loadSeconds = (performance.now() - started) / 1_000;
  readModels.close();
  const heapAll = all.heapMb;
  (all as { models?: unknown }).models = undefined;

  const alone: Array<{ name: string; rate: Rate }> = [];
  for (const projection of PROJECTIONS) {
    const { rate } = await timedRebuild(store, [projection], built.events);
    log(`rebuild, ${projection.name} alone: ${fmt(rate.rate)}/s`);
    alone.push({ name: projection.name, rate });
  }

  // The runner: catch-up from zero through the subscription, snapshots at its defaults.
  let runnerRate: Rate | undefined;
  let snapshots = 0;
  let snapshotSeconds = 0;
  let longestSnapshot = 0;
  if (RUN_RUNNER) {
    const runnerModels = ReadModelStore.open({ path: join(folder, 'runner-read-models.db') });
    const runner = new ProjectionRunner({
      store,
      readModels: runnerModels,
      projections: PROJECTIONS,
      onSnapshot: ({ durationMs }) => {
        snapshots += 1;
        snapshotSeconds += durationMs / 1_000;
        longestSnapshot = Math.max(longestSnapshot, durationMs / 1_000);
      },
    });
    collectGarbage();
    started = performance.now();
    await runner.start();
    await runner.caughtUp(600_000);
    runnerRate = rateOf(built.events, started);
    log(`runner catch-up: ${fmt(runnerRate.rate)}/s (${snapshots} snapshots, ${secs(snapshotSeconds)} s)`);
    await runner.stop();
    runnerModels.close();
  }
  await store.close();

  const pct = (n: number) => `${((100 * n) / readAll.rate).toFixed(0)}%`;
  console.log('');
  console.log(
    `Log: ${fmt(built.events)} events made by the real deciders (${fmt(built.lots)} lots, ${fmt(built.bonds)} bonds), ${fileMb.toFixed(0)} MiB` +
      (built.seconds > 0 ? `, built in ${secs(built.seconds)} s.` : ' (reused).'),
  );
  console.log('');
  console.log('| measure | events/s | seconds | vs store.readAll() |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| raw better-sqlite3 rows (not parsed) | ${fmt(raw.rate)} | ${secs(raw.seconds)} | ${pct(raw.rate)} |`);
  console.log(`| raw rows + JSON.parse of data and metadata | ${fmt(rawParsed.rate)} | ${secs(rawParsed.seconds)} | ${pct(rawParsed.rate)} |`);
  console.log(`| store.readAll() (RecordedEvent, JSON parsed) | ${fmt(readAll.rate)} | ${secs(readAll.seconds)} | 100% |`);
  console.log(`| **rebuild, all ${PROJECTIONS.length} projections** (readAll + fold) | **${fmt(all.rate.rate)}** | ${secs(all.rate.seconds)} | ${pct(all.rate.rate)} |`);
  for (const { name, rate } of alone) console.log(`| rebuild, ${name} alone | ${fmt(rate.rate)} | ${secs(rate.seconds)} | ${pct(rate.rate)} |`);
  if (runnerRate) {
    console.log(
      `| runner catch-up from zero (subscription, ${snapshots} snapshots taking ${secs(snapshotSeconds)} s, longest ${secs(longestSnapshot)} s) | ${fmt(runnerRate.rate)} | ${secs(runnerRate.seconds)} | ${pct(runnerRate.rate)} |`,
    );
  }
  const rebuildRatio = all.rate.rate / readAll.rate;
  console.log('');
  console.log(
    `Target (#17): rebuild of all ${PROJECTIONS.length} projections ≥ 25% of store.readAll() events/s in the same run: ` +
      `${fmt(all.rate.rate)} / ${fmt(readAll.rate)} = ${pct(all.rate.rate)} ${rebuildRatio >= 0.25 ? 'PASS' : 'MISS'}`,
  );
  console.log('');
  console.log(`Heap after the full rebuild: ${heapAll.toFixed(0)} MiB. Models as JSON: ${(sizes.reduce((s, x) => s + x.bytes, 0) / 2 ** 20).toFixed(0)} MiB (${sizes.map((s) => `${s.name} ${(s.bytes / 2 ** 20).toFixed(1)}`).join(', ')}). One snapshot of every model into an empty file (every entry): ${readModelsMb.toFixed(0)} MiB, saved in ${secs(saveSeconds)} s, loaded in ${secs(loadSeconds)} s.`);
  rmSync(folder, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  rmSync(folder, { recursive: true, force: true });
  process.exit(1);
});
