import { CommandKernel, type KernelAnswer, RejectionError } from '@app/command-kernel';
import { replayLedger } from '@app/audit';
import {
  type InboundCreditRequest,
  type InboundCreditState,
  type LotState,
  PBOC_DEMAND_SCHEDULE,
  eventSchemaVersion,
  formatVirtualAccountNo,
  inboundCreditStoredFold,
  inboundCreditStream,
  lotStoredFold,
  lotStream,
} from '@app/domain';
import { type EventStore, EventStoreDbEventStore, SqliteEventStore } from '@app/event-store';
import type { Scheduler } from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Banks } from '../../../src/write/banks';
import { type CommandCall, LedgerCommands } from '../../../src/write/ledger-commands';
import { LedgerFacts } from '../../../src/write/ledger-facts';
import { balances } from '../ledger-harness';
import { startEventStoreDbStandIn } from '../../../../../libs/event-store/test/eventstoredb-stand-in/stand-in-server';
import { ScheduledEventStore } from './scheduled-store';

/**
 * The stores a race runs on: the embedded SQLite file committing a command's streams at once (`atomic`)
 * or one by one (`sequential`, EventStoreDB's semantics), on the event loop or in its writer thread (the
 * service with LEDGER_DB_WRITER=thread); the atomic ones also with their commits paused and resumed by
 * the race as the WAL checkpointer pauses them (`checkpointerPauses`); and the EventStoreDB adapter
 * itself, through the real client, on the wire-level stand-in (libs/event-store/test/eventstoredb-stand-in).
 */
export type RaceStore =
  | 'atomic'
  | 'sequential'
  | 'atomic-writer-thread'
  | 'atomic-checkpoint-pauses'
  | 'atomic-writer-thread-checkpoint-pauses'
  | 'eventstoredb-stand-in';

/**
 * More pauses than any race here needs: each resume lets the queued commits go before the next pause, so a
 * race still running after this many has stopped committing (an entry lost or left in the queue).
 */
const MOST_PAUSES_PER_RACE = 200;

/** Two banks, so bank references and master accounts can repeat across them. */
export const BANK = '102100099996';
export const BANK2 = '105100000017';
const BANKS = new Banks([
  { bankCode: BANK, virtualAccountPrefix: '955880' },
  { bankCode: BANK2, virtualAccountPrefix: '622601' },
]);
export const CENTER = 'C1';
/** One account number, opened at both banks. */
export const MASTER = '6217000099990001';
/** "Now" for every command that reads the clock (a termination). */
export const NOW = new Date('2026-12-05T02:00:00Z');

export const PAYER = { accountNo: '6222000011112222', name: 'Alice Construction Co', bankCode: '103100000026' };
export const OTHER_PAYER = { accountNo: '6222000033334444', name: 'Bob Engineering Ltd', bankCode: '104100000004' };

/** A number under bank 1's prefix never issued: money to it is suspended. */
export const UNISSUED = formatVirtualAccountNo('955880', 987_654_321n);

let calls = 0;
/** A command's call as a request would make it: its own correlation id, an Idempotency-Key when given. */
export function callOf(actor: string, idempotency?: CommandCall['idempotency']): CommandCall {
  calls += 1;
  const context = { correlationId: `race-${calls}`, causationId: `race-${calls}`, actor };
  return idempotency ? { context, idempotency } : { context };
}

export function credit(bankRef: string, payeeAccountNo: string, amount: string, overrides: Partial<InboundCreditRequest> = {}): InboundCreditRequest {
  return {
    bankRef,
    channel: 'HVPS',
    receivedAt: '2026-12-01T10:00:00+08:00',
    valueDate: '2026-12-01',
    amount,
    currency: 'CNY',
    payer: PAYER,
    payeeAccountNo,
    ...overrides,
  };
}

/** What a racing request ended with: its answer, or the code it was refused with. */
export type Outcome<A> = { ok: true; answer: KernelAnswer<A> } | { ok: false; code: string };

export async function outcomeOf<A>(request: Promise<KernelAnswer<A>>): Promise<Outcome<A>> {
  try {
    return { ok: true, answer: await request };
  } catch (error) {
    if (error instanceof RejectionError) return { ok: false, code: error.rejection.code };
    throw error;
  }
}

/**
 * A ledger in a real SQLite file, atomic or sequential, set up without races (a center with a master
 * account of the same number at two banks, lots, virtual accounts), whose commands then race through
 * replicas: each its own command kernel and facts (its own remembered states), as separate service
 * processes on one store would be, every store call cut by the scheduler.
 */
export class RaceLedger {
  readonly setup: LedgerCommands;

  private constructor(
    readonly store: EventStore,
    private readonly dispose: () => Promise<void>,
    /** The store whose commits `checkpointerPauses` pauses, in the checkpoint-pauses modes. */
    private readonly pausable: SqliteEventStore | undefined,
  ) {
    this.setup = commandsOn(store);
  }

  static async open(kind: RaceStore): Promise<RaceLedger> {
    const ledger = kind === 'eventstoredb-stand-in' ? await onStandIn() : await onSqlite(kind);
    const operator = callOf('operator:race');
    await ledger.setup.defineRateSchedule({ scheduleId: PBOC_DEMAND_SCHEDULE.scheduleId, dayCount: PBOC_DEMAND_SCHEDULE.dayCount, entries: [...PBOC_DEMAND_SCHEDULE.entries] }, operator);
    await ledger.setup.registerTenderCenter({ centerId: CENTER, name: 'Municipal tender center' }, operator);
    for (const bankCode of [BANK, BANK2]) await ledger.setup.openMasterAccount(CENTER, { bankCode, accountNo: MASTER, accountName: 'Bid bonds' }, operator);
    return ledger;
  }

  /** A lot open for deposits until `deadline` (bids open half an hour later). */
  async lot(lotId: string, deadline = '2026-12-10T09:00:00+08:00', policy: 'ENFORCE' | 'FLAG' | 'OFF' = 'OFF'): Promise<void> {
    const opening = new Date(Date.parse(deadline) + 30 * 60_000).toISOString();
    await this.setup.registerLot(
      {
        lotId,
        centerId: CENTER,
        projectCode: 'PRJ-RACE',
        name: `Lot ${lotId}`,
        estimatedPrice: '100000000.00',
        bondAmount: '50000.00',
        depositDeadline: deadline,
        bidOpeningTime: opening,
        basicAccountPolicy: policy,
        rateScheduleId: PBOC_DEMAND_SCHEDULE.scheduleId,
      },
      callOf('operator:race'),
    );
  }

  async virtualAccount(lotId: string, bankCode = BANK, bidderId?: string): Promise<string> {
    const body = { masterAccountNo: MASTER, bankCode, ...(bidderId === undefined ? {} : { bidderId }) };
    return (await this.setup.issueVirtualAccount(lotId, body, callOf('operator:race'))).answer.virtualAccountNo;
  }

  /** A replica whose every store call the scheduler interleaves with the other replicas'. */
  replica(scheduler: Scheduler, name: string): LedgerCommands {
    return commandsOn(new ScheduledEventStore(this.store, scheduler, name));
  }

  async anchor(bankCode: string, bankRef: string): Promise<InboundCreditState> {
    return new CommandKernel(this.store, { schemaVersionOf: eventSchemaVersion }).read(inboundCreditStream(bankCode, bankRef), inboundCreditStoredFold);
  }

  async lotState(lotId: string): Promise<LotState> {
    return new CommandKernel(this.store, { schemaVersionOf: eventSchemaVersion }).read(lotStream(lotId), lotStoredFold);
  }

  async eventCount(): Promise<number> {
    let count = 0;
    for await (const _ of this.store.readAll()) count += 1;
    return count;
  }

  /** Every ledger account's balance over every posting of the log. */
  balances(): Promise<Map<string, string>> {
    return balances(this.store);
  }

  /** The auditors' replay: chains, double entry, custody (master = Σ virtual + suspense), interest, every credit's fate. */
  async auditFindings(): Promise<string[]> {
    const replay = await replayLedger(this.store);
    return replay.findings.map((finding) => `${finding.code}: ${finding.message}`);
  }

  /**
   * In the checkpoint-pauses modes, while `racing` runs: the store's commits paused through the WAL
   * checkpointer's own pause (`SqliteEventStore.pauseWriters`) and resumed, each at a point the scheduler
   * chooses, as often as the race lasts. Meanwhile appends wait in the store's queue; a commit answered
   * during a pause fails the race (one the writer thread would start then and answer after the resume is
   * not seen: the pause lasts one turn of the event loop). Resolves at once in the other modes.
   */
  async checkpointerPauses(s: Scheduler, racing: Promise<unknown>): Promise<void> {
    const store = this.pausable;
    if (store === undefined) return;
    let settled = false;
    const stop = () => (settled = true);
    void racing.then(stop, stop);
    for (let pause = 1; ; pause += 1) {
      await s.schedule(Promise.resolve(), `checkpointer: pause ${pause}`);
      if (settled) return;
      if (pause > MOST_PAUSES_PER_RACE) throw new Error(`the race still runs after ${MOST_PAUSES_PER_RACE} pauses of the writers: its commits stopped`);
      const resume = await store.pauseWriters();
      const commits = store.commitStats().commits;
      // Paused over a turn of the event loop, where the store's flush runs: the scheduler releases its points
      // within one turn, so a pause and resume in the same turn would hold nothing.
      await nextTurn();
      await s.schedule(Promise.resolve(), `checkpointer: resume ${pause}`);
      const during = store.commitStats().commits - commits;
      resume();
      if (during !== 0) throw new Error(`${during} commit(s) while the writers were paused (pause ${pause})`);
      await nextTurn(); // the flush the resume asked for runs before the next pause (else pauses could hold the queue for ever)
    }
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.dispose();
  }

  /** @internal */
  static on(store: EventStore, dispose: () => Promise<void>, pausable?: SqliteEventStore): RaceLedger {
    return new RaceLedger(store, dispose, pausable);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function onSqlite(kind: Exclude<RaceStore, 'eventstoredb-stand-in'>): Promise<RaceLedger> {
  const folder = await mkdtemp(join(tmpdir(), 'ledger-races-'));
  const inThread = kind === 'atomic-writer-thread' || kind === 'atomic-writer-thread-checkpoint-pauses';
  const store = SqliteEventStore.open({
    path: join(folder, 'ledger.db'),
    multiStreamAppend: kind === 'sequential' ? 'sequential' : 'atomic',
    writer: inThread ? 'thread' : 'inline',
  });
  const pauses = kind === 'atomic-checkpoint-pauses' || kind === 'atomic-writer-thread-checkpoint-pauses';
  return RaceLedger.on(store, () => rm(folder, { recursive: true, force: true }), pauses ? store : undefined);
}

async function onStandIn(): Promise<RaceLedger> {
  const standIn = await startEventStoreDbStandIn();
  return RaceLedger.on(EventStoreDbEventStore.connect(standIn.connectionString), () => standIn.close());
}

function commandsOn(store: ConstructorParameters<typeof CommandKernel>[0]): LedgerCommands {
  const kernel = new CommandKernel(store, { schemaVersionOf: eventSchemaVersion });
  return new LedgerCommands(kernel, new LedgerFacts(store, BANKS), () => NOW);
}
