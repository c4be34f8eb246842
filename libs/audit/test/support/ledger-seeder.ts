import { createHash } from 'node:crypto';
import { type CommandContext, CommandKernel, eventMetadata } from '@app/command-kernel';
import {
  refundsAnswered,
  CURRENCY,
  type InboundCreditAnswer,
  type InboundCreditRequest,
  type InboundCreditState,
  type LotRegistered,
  type LotState,
  type Payer,
  type RateSchedule,
  type RefundInstructed,
  builtInRateScheduleEvent,
  creditRefOf,
  eventSchemaVersion,
  inboundCreditStoredFold,
  inboundCreditStream,
  lotStoredFold,
  lotStream,
  rateScheduleStream,
} from '@app/domain';
import {
  type AppendResult,
  type EventStore,
  type JsonObject,
  NO_STREAM,
  type ProposedEvent,
  SqliteEventStore,
  type StreamAppend,
} from '@app/event-store';
import { Banks } from '../../../../apps/ledger/src/write/banks';
import { type CommandCall, LedgerCommands } from '../../../../apps/ledger/src/write/ledger-commands';
import { LedgerFacts } from '../../../../apps/ledger/src/write/ledger-facts';

export interface Bank {
  readonly bankCode: string;
  readonly prefix: string;
}

export interface SeederOptions {
  /**
   * Names the counter the event and correlation ids are made from. A seeder writing more into a file
   * another seeder wrote needs its own, or its ids would repeat the first one's.
   */
  readonly ids?: string;
}

type InboundCredit = Omit<InboundCreditRequest, 'channel' | 'currency'> & Partial<Pick<InboundCreditRequest, 'channel' | 'currency'>>;

/**
 * Writes a ledger into a real SQLite event store the way the service does, without HTTP: every command
 * is the service's own `LedgerCommands` (apps/ledger/src/write), run by a `CommandKernel` on the store,
 * with the facts the service reads (`LedgerFacts`) and the banks it serves. The store's clock is the
 * scenario's (`at`), and event and correlation ids come from a counter, so the same scenario writes the
 * same file.
 *
 * `stoppedAfter` runs a command as on a store that commits streams one by one (EventStoreDB) when the
 * process stops after some of its appends: the half-written command the audit reports as unfinished.
 * Events no command would write go straight to `store`.
 */
export class LedgerSeeder {
  private now = new Date('2026-11-01T00:00:00Z');
  private counter = 0;
  private readonly banks: Banks;
  private readonly kernel: CommandKernel;
  readonly commands: LedgerCommands;

  private constructor(
    readonly store: SqliteEventStore,
    banks: readonly Bank[],
    private readonly ids: string,
  ) {
    this.banks = new Banks(banks.map((bank) => ({ bankCode: bank.bankCode, virtualAccountPrefix: bank.prefix })));
    ({ kernel: this.kernel, commands: this.commands } = this.writeSideOn(store));
  }

  static open(path: string, banks: readonly Bank[], options: SeederOptions = {}): LedgerSeeder {
    let seeder: LedgerSeeder | undefined;
    const store = SqliteEventStore.open({ path, clock: () => seeder!.now });
    seeder = new LedgerSeeder(store, banks, options.ids ?? 'ledger-seeder');
    return seeder;
  }

  /** The time the store records for what follows, and the service's clock. */
  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** A version-4-shaped UUID from the counter: deterministic, distinct. */
  private nextId(): string {
    const h = createHash('sha256').update(`${this.ids}:${(this.counter += 1)}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'.charAt(parseInt(h.charAt(16), 16) & 3)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private context(actor: string): CommandContext {
    const id = this.nextId();
    return { correlationId: id, causationId: id, actor };
  }

  private call(actor: string): CommandCall {
    return { context: this.context(actor) };
  }

  /** The service's write side on a store: its kernel (event ids from the counter) and its commands. */
  private writeSideOn(store: EventStore): { kernel: CommandKernel; commands: LedgerCommands } {
    const kernel = new CommandKernel(store, { schemaVersionOf: eventSchemaVersion, eventId: () => this.nextId() });
    return { kernel, commands: new LedgerCommands(kernel, new LedgerFacts(store, this.banks), () => this.now) };
  }

  // Set-up

  /** What the service appends at start (BuiltInRateSchedule). */
  async builtInSchedule(): Promise<void> {
    const event = builtInRateScheduleEvent();
    const data = JSON.parse(JSON.stringify(event.data)) as JsonObject;
    const metadata = eventMetadata({ correlationId: 'startup', causationId: 'startup', actor: 'system:ledger' }, eventSchemaVersion(event.type));
    await this.store.appendToStream(rateScheduleStream(event.data.scheduleId), [{ id: this.nextId(), type: event.type, data, metadata }], { expectedRevision: NO_STREAM });
  }

  async defineSchedule(schedule: RateSchedule): Promise<void> {
    await this.commands.defineRateSchedule({ ...schedule, entries: schedule.entries.map((entry) => ({ ...entry })) }, this.call('operator:ops-1'));
  }

  async registerCenter(centerId: string, name: string): Promise<void> {
    await this.commands.registerTenderCenter({ centerId, name }, this.call('operator:ops-1'));
  }

  async openMasterAccount(centerId: string, bankCode: string, accountNo: string, accountName: string): Promise<void> {
    await this.commands.openMasterAccount(centerId, { bankCode, accountNo, accountName }, this.call(`center:${centerId}`));
  }

  async declareBasicAccount(bidderId: string, payer: Payer): Promise<void> {
    await this.commands.declareBasicAccount(bidderId, { accountNo: payer.accountNo, accountName: payer.name, bankCode: payer.bankCode }, this.call(`bidder:${bidderId}`));
  }

  async registerLot(terms: LotRegistered['data']): Promise<void> {
    await this.commands.registerLot(terms, this.call(`center:${terms.centerId}`));
  }

  async issueVirtualAccount(lotId: string, masterAccountNo: string, bidderId?: string): Promise<string> {
    const centerId = (await this.lotState(lotId)).terms?.centerId;
    const body = bidderId === undefined ? { masterAccountNo } : { masterAccountNo, bidderId };
    return (await this.commands.issueVirtualAccount(lotId, body, this.call(`center:${centerId}`))).answer!.virtualAccountNo;
  }

  // The lot's life

  async lotState(lotId: string): Promise<LotState> {
    return this.kernel.read(lotStream(lotId), lotStoredFold);
  }

  /** The lot clock at the current time: deposits closed and bids opened once due. */
  async recordTimePassed(lotId: string): Promise<void> {
    await this.commands.recordTimePassed(lotId, this.now, this.context('system:scheduler'));
  }

  async withdraw(lotId: string, bidderId: string, noticeReceivedAt: string): Promise<void> {
    await this.commands.withdrawBidder(lotId, { bidderId, noticeReceivedAt }, this.call(await this.centerActor(lotId)));
  }

  async award(lotId: string, winnerBidderId: string, contractSignedOn: string): Promise<void> {
    await this.commands.awardLot(lotId, { winnerBidderId, contractSignedOn }, this.call(await this.centerActor(lotId)));
  }

  /** Terminated at the current time. */
  async terminate(lotId: string, reason: string): Promise<void> {
    await this.commands.terminateTender(lotId, { reason }, this.call(await this.centerActor(lotId)));
  }

  /** Forfeited on the ground of a withdrawal after the deadline (Art. 35), the one the seeded histories record. */
  async forfeit(lotId: string, bondId: string, reason: string): Promise<void> {
    await this.commands.forfeitBond(bondId, { reason, ground: 'WITHDRAWN_AFTER_DEADLINE' }, this.call(await this.centerActor(lotId)));
  }

  /** POST /v1/lots/{lotId}/refunds. */
  async refund(lotId: string, refundOn: string): Promise<RefundInstructed['data'][]> {
    const before = (await this.lotEvents(lotId)).length;
    const answer = (await this.commands.refundBonds(lotId, { refundOn }, this.call(await this.centerActor(lotId)))).answer;
    // A sealed lot's answer withholds the refunds (docs/security.md); the seeder, the ESB too, reads them from the lot.
    const instructed = (await this.lotEvents(lotId)).slice(before).flatMap((event) => (event.type === 'RefundInstructed' ? [event.data as RefundInstructed['data']] : []));
    return [...(refundsAnswered(answer) ?? instructed)];
  }

  private async lotEvents(lotId: string): Promise<Array<{ type: string; data: unknown }>> {
    const events: Array<{ type: string; data: unknown }> = [];
    for await (const event of this.store.readStream(lotStream(lotId))) events.push(event);
    return events;
  }

  async settle(refundId: string, status: 'SETTLED' | 'FAILED', bankRef: string, reason?: string): Promise<void> {
    await this.commands.settleRefund(refundId, { status, bankRef, ...(reason === undefined ? {} : { reason }) }, this.call('esb:refunds'));
  }

  private async centerActor(lotId: string): Promise<string> {
    return `center:${(await this.lotState(lotId)).terms?.centerId}`;
  }

  // Inbound money

  /** POST /v1/inbound-credits at the request's receivedAt. */
  async receive(request: InboundCredit): Promise<InboundCreditAnswer> {
    const full: InboundCreditRequest = { channel: 'HVPS', currency: CURRENCY, ...request };
    this.at(full.receivedAt);
    return (await this.commands.recordInboundCredit(full, this.call('esb:inbound'))).answer;
  }

  /** POST /v1/inbound-credits/{creditId}/status REVERSED. */
  async reverse(creditId: string, reason: string): Promise<void> {
    const bankRef = creditRefOf(creditId)!.bankRef;
    await this.commands.reportCreditStatus(creditId, { bankRef, reason }, this.call('esb:inbound'));
  }

  /** POST /v1/suspense/{creditId}/resolution RETURN. */
  async returnFromSuspense(creditId: string): Promise<void> {
    await this.commands.resolveSuspense(creditId, { action: 'RETURN' }, this.call('operator:ops-1'));
  }

  /** POST /v1/suspense/{creditId}/resolution MATCH. */
  async matchSuspense(creditId: string, virtualAccountNo: string): Promise<void> {
    await this.commands.resolveSuspense(creditId, { action: 'MATCH', virtualAccountNo }, this.call('operator:ops-1'));
  }

  async credit(creditId: string): Promise<InboundCreditState> {
    const ref = creditRefOf(creditId)!;
    return this.kernel.read(inboundCreditStream(ref.bankCode, ref.bankRef), inboundCreditStoredFold);
  }

  // Logs the service does not leave on this store

  /**
   * Runs a command through the service's commands on a store that commits a command's streams one by
   * one (as EventStoreDB does) and stops for good after `appends` of them, as a process killed in the
   * middle of a command would: what was appended stays, the rest never is. Resolves once it stopped;
   * rejects if the command finished (or failed) before.
   */
  async stoppedAfter(appends: number, command: (commands: LedgerCommands, call: CommandCall) => Promise<unknown>, actor = 'esb:inbound'): Promise<void> {
    const stopping = new StoppingStore(this.store, appends);
    try {
      await command(this.writeSideOn(stopping.store).commands, this.call(actor));
    } catch (error) {
      if (error === STOPPED) return;
      throw error;
    }
    throw new Error(`the command finished within ${appends} appends`);
  }
}

const STOPPED = new Error('the process stopped');

/** The store seen by a process that commits streams one by one and stops after `appends` appends. */
class StoppingStore {
  readonly store: EventStore;
  private left: number;

  constructor(store: EventStore, appends: number) {
    this.left = appends;
    const appendOne = async (streamName: string, events: ProposedEvent[], options: { expectedRevision: StreamAppend['expectedRevision'] }) => {
      if (this.left <= 0) throw STOPPED;
      this.left -= 1;
      return store.appendToStream(streamName, events, options);
    };
    this.store = Object.assign(Object.create(store) as EventStore, {
      multiStreamAppend: 'sequential' as const,
      appendToStream: appendOne,
      appendToStreams: async (list: StreamAppend[]) => {
        const results: AppendResult[] = [];
        for (const append of list) results.push(await appendOne(append.streamName, append.events, append));
        return results;
      },
    });
  }
}
