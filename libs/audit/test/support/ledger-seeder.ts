import { createHash } from 'node:crypto';
import {
  CURRENCY,
  type CreditOutcome,
  type Decider,
  type DomainEvent,
  type InboundCreditRequest,
  type LotCommand,
  type LotEvent,
  type LotRegistered,
  type LotState,
  type Payer,
  type RateSchedule,
  type RefundInstructed,
  type VirtualAccountIssuedData,
  basicAccountDecider,
  basicAccountStream,
  bankRefOf,
  builtInRateScheduleEvent,
  classifyVirtualAccountNo,
  creditBondCommand,
  creditIdFor,
  inboundCreditDecider,
  inboundCreditStream,
  lotDecider,
  lotIdOf,
  lotStream,
  masterAccountDecider,
  masterAccountStream,
  outcomeOfLotRefusal,
  rateScheduleDecider,
  rateScheduleStream,
  revisionOfSequence,
  suspenseForPayee,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
  tableGet,
} from '@app/domain';
import { NO_STREAM, SqliteEventStore, canonicalJson } from '@app/event-store';
import { AggregateRepository } from '../../../../apps/ledger/src/commands/aggregate-repository';
import { LedgerMetrics } from '../../../../apps/ledger/src/metrics/ledger-metrics';
import type { CommandContext } from '../../../../apps/ledger/src/commands/command-context';
import { RejectionError } from '../../../../apps/ledger/src/commands/rejection-error';

export interface Bank {
  readonly bankCode: string;
  readonly prefix: string;
}

/**
 * Writes a ledger into a real SQLite event store the way the service's command handlers do, without
 * HTTP: the real deciders, run by the service's AggregateRepository (read the stream, decide, append
 * with the expected revision), facts read from the other streams, the inbound flow's order (lot
 * first, credit anchor second). The store's clock is the scenario's (`at`), and event ids come from a
 * counter, so the same scenario writes the same file.
 */
export class LedgerSeeder {
  private now = new Date('2026-11-01T00:00:00Z');
  private counter = 0;
  private readonly repository: AggregateRepository;

  private constructor(
    readonly store: SqliteEventStore,
    private readonly banks: readonly Bank[],
  ) {
    this.repository = new AggregateRepository(store, new LedgerMetrics());
  }

  static open(path: string, banks: readonly Bank[]): LedgerSeeder {
    let seeder: LedgerSeeder | undefined;
    const store = SqliteEventStore.open({ path, clock: () => seeder!.now });
    seeder = new LedgerSeeder(store, banks);
    return seeder;
  }

  /** The time the store records for what follows. */
  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** A version-4-shaped UUID from the counter: deterministic, distinct. */
  private nextId(): string {
    const h = createHash('sha256').update(`ledger-seeder:${(this.counter += 1)}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private context(actor: string): CommandContext {
    const id = this.nextId();
    return { correlationId: id, causationId: id, actor };
  }

  private async execute<C, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    build: (state: S) => C | Promise<C>,
    actor: string,
  ): Promise<{ events: readonly E[]; state: S }> {
    return this.repository.execute(stream, decider, build, this.context(actor), { eventId: () => this.nextId() });
  }

  // Set-up

  /** What the service appends at start. */
  async builtInSchedule(): Promise<void> {
    const event = builtInRateScheduleEvent();
    const data = JSON.parse(JSON.stringify(event.data));
    const id = this.nextId();
    await this.store.appendToStream(rateScheduleStream(event.data.scheduleId), [
      { id, type: event.type, data, metadata: { correlationId: 'startup', causationId: 'startup', actor: 'system:ledger', schemaVersion: 1 } },
    ], { expectedRevision: NO_STREAM });
  }

  async defineSchedule(schedule: RateSchedule): Promise<void> {
    await this.execute(rateScheduleStream(schedule.scheduleId), rateScheduleDecider, () => ({ type: 'DefineRateSchedule' as const, ...schedule }), 'operator:ops-1');
  }

  async registerCenter(centerId: string, name: string): Promise<void> {
    await this.execute(tenderCenterStream(centerId), tenderCenterDecider, () => ({ type: 'RegisterTenderCenter' as const, centerId, name }), 'operator:ops-1');
  }

  async openMasterAccount(centerId: string, bankCode: string, accountNo: string, accountName: string): Promise<void> {
    const centerExists = (await this.repository.load(tenderCenterStream(centerId), tenderCenterDecider)).state.exists;
    const prefix = this.banks.find((bank) => bank.bankCode === bankCode)?.prefix;
    await this.execute(
      masterAccountStream(accountNo),
      masterAccountDecider,
      () => ({ type: 'OpenMasterAccount' as const, centerId, bankCode, accountNo, accountName, centerExists, virtualAccountPrefix: prefix }),
      `center:${centerId}`,
    );
  }

  async declareBasicAccount(bidderId: string, payer: Payer): Promise<void> {
    await this.execute(
      basicAccountStream(payer.accountNo),
      basicAccountDecider,
      () => ({ type: 'DeclareBasicAccount' as const, bidderId, accountNo: payer.accountNo, accountName: payer.name, bankCode: payer.bankCode }),
      `bidder:${bidderId}`,
    );
  }

  async registerLot(terms: LotRegistered['data']): Promise<void> {
    const centerExists = (await this.repository.load(tenderCenterStream(terms.centerId), tenderCenterDecider)).state.exists;
    const rateScheduleExists = (await this.schedule(terms.rateScheduleId)) !== undefined;
    await this.lot(terms.lotId, { type: 'RegisterLot', ...terms, centerExists, rateScheduleExists }, `center:${terms.centerId}`);
  }

  async issueVirtualAccount(lotId: string, masterAccountNo: string, bidderId?: string): Promise<string> {
    const master = (await this.repository.load(masterAccountStream(masterAccountNo), masterAccountDecider)).state;
    if (!master.exists) throw new Error(`no master account ${masterAccountNo}`);
    const lot = await this.lotState(lotId);
    const { events } = await this.execute(
      virtualAccountRegistryStream(master.virtualAccountPrefix),
      virtualAccountRegistryDecider,
      () => ({
        type: 'IssueVirtualAccount' as const,
        lotId,
        masterAccountNo,
        ...(bidderId === undefined ? {} : { bidderId }),
        prefix: master.virtualAccountPrefix,
        lot: lot.terms ? { centerId: lot.terms.centerId, acceptsVirtualAccounts: !lot.closedToCredits } : undefined,
        masterAccount: { centerId: master.centerId, bankCode: master.bankCode },
      }),
      `center:${master.centerId}`,
    );
    return events[0].data.virtualAccountNo;
  }

  // Lot

  async lot(lotId: string, command: LotCommand, actor = 'system:scheduler'): Promise<readonly LotEvent[]> {
    return (await this.execute(lotStream(lotId), lotDecider, () => command, actor)).events;
  }

  async lotState(lotId: string): Promise<LotState> {
    return (await this.repository.load(lotStream(lotId), lotDecider)).state;
  }

  /** POST /v1/lots/{lotId}/refunds: the lot's schedule resolved from its stream. */
  async refund(lotId: string, refundOn: string): Promise<RefundInstructed['data'][]> {
    const terms = (await this.lotState(lotId)).terms!;
    const schedule = (await this.schedule(terms.rateScheduleId))!;
    const events = await this.lot(lotId, { type: 'RefundBonds', refundOn, schedule }, `center:${terms.centerId}`);
    return events.map((event) => (event as RefundInstructed).data);
  }

  async settle(refundId: string, status: 'SETTLED' | 'FAILED', bankRef: string, reason?: string): Promise<void> {
    const command: LotCommand = { type: 'SettleRefund', refundId, status, bankRef, ...(reason === undefined ? {} : { reason }) };
    await this.lot(lotIdOf(refundId, 'R')!, command, 'esb:refunds');
  }

  private async schedule(scheduleId: string): Promise<RateSchedule | undefined> {
    const { state } = await this.repository.load(rateScheduleStream(scheduleId), rateScheduleDecider);
    return state.exists ? state.schedule : undefined;
  }

  // Inbound money, as RecordInboundCreditHandler, ReportCreditStatusHandler and ResolveSuspenseHandler

  /** POST /v1/inbound-credits at the request's receivedAt. */
  async receive(request: Omit<InboundCreditRequest, 'channel' | 'currency'> & Partial<Pick<InboundCreditRequest, 'channel' | 'currency'>>) {
    const full: InboundCreditRequest = { channel: 'HVPS', currency: CURRENCY, ...request };
    this.at(full.receivedAt);
    const creditId = creditIdFor(full.bankRef);
    const requestHash = createHash('sha256').update(canonicalJson(full)).digest('hex');
    const outcome = await this.classify({ ...full, creditId, requestHash });
    await this.execute(inboundCreditStream(full.bankRef), inboundCreditDecider, () => ({ type: 'RecordInboundCredit' as const, creditId, requestHash, request: full, outcome }), 'esb:inbound');
    return { ...outcome, creditId };
  }

  private async classify(received: InboundCreditRequest & { creditId: string; requestHash: string }): Promise<CreditOutcome> {
    if (received.currency !== CURRENCY) return { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };
    const { issued, bankCode, suspended } = await this.payee(received.payeeAccountNo);
    if (suspended) return suspended;
    if (!issued) return { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode };
    try {
      const { state } = await this.execute(lotStream(issued.lotId), lotDecider, async () => creditBondCommand(received, 'INBOUND', issued, await this.declarers(received.payer)), 'esb:inbound');
      return { outcome: 'CLASSIFIED', ...placementIn(state, received.creditId) };
    } catch (error) {
      const outcome = error instanceof RejectionError ? outcomeOfLotRefusal(error.rejection, issued.lotId, issued.bankCode) : undefined;
      if (outcome) return outcome;
      throw error;
    }
  }

  private async payee(payeeAccountNo: string): Promise<{ issued?: VirtualAccountIssuedData; bankCode: string; suspended?: CreditOutcome }> {
    const classification = classifyVirtualAccountNo(payeeAccountNo, this.banks.map((bank) => bank.prefix));
    const bankCode =
      classification.kind === 'VIRTUAL' || classification.kind === 'BAD_CHECK_DIGIT'
        ? this.banks.find((bank) => bank.prefix === classification.prefix)!.bankCode
        : this.banks[0].bankCode;
    const suspended = suspenseForPayee(classification, bankCode);
    if (suspended || classification.kind !== 'VIRTUAL') return { bankCode, suspended };
    const stream = virtualAccountRegistryStream(classification.prefix);
    for await (const event of this.store.readStream(stream, { fromRevision: revisionOfSequence(classification.sequence), maxCount: 1 })) {
      const issued = event.data as unknown as VirtualAccountIssuedData;
      if (issued.virtualAccountNo === payeeAccountNo) return { issued, bankCode };
    }
    return { bankCode };
  }

  private async declarers(payer: Payer): Promise<string[]> {
    const { state } = await this.repository.load(basicAccountStream(payer.accountNo), basicAccountDecider);
    return [...new Set(state.declarations.filter((d) => d.bankCode === payer.bankCode).map((d) => d.bidderId))];
  }

  private async credit(creditId: string) {
    return (await this.repository.load(inboundCreditStream(bankRefOf(creditId)!), inboundCreditDecider)).state;
  }

  /** POST /v1/inbound-credits/{creditId}/status REVERSED: the lot first, then the anchor. */
  async reverse(creditId: string, reason: string): Promise<void> {
    const credit = await this.credit(creditId);
    const bankRef = credit.received!.bankRef;
    if (credit.placement && credit.status !== 'REVERSED') {
      await this.execute(lotStream(credit.placement.lotId), lotDecider, () => ({ type: 'ReverseCredit' as const, creditId, bankRef, reason }), 'esb:inbound');
    }
    await this.execute(inboundCreditStream(bankRef), inboundCreditDecider, () => ({ type: 'RecordReversal' as const, bankRef, reason }), 'esb:inbound');
  }

  /** POST /v1/suspense/{creditId}/resolution RETURN. */
  async returnFromSuspense(creditId: string): Promise<void> {
    await this.execute(
      inboundCreditStream(bankRefOf(creditId)!),
      inboundCreditDecider,
      () => ({ type: 'RecordSuspenseResolution' as const, resolution: { action: 'RETURN' as const } }),
      'operator:ops-1',
    );
  }

  /** POST /v1/suspense/{creditId}/resolution MATCH: the lot's BondCredited (from suspense), then the anchor. */
  async matchSuspense(creditId: string, virtualAccountNo: string): Promise<void> {
    const received = (await this.credit(creditId)).received!;
    const { issued } = await this.payee(virtualAccountNo);
    if (!issued) throw new Error(`no virtual account ${virtualAccountNo}`);
    const { state } = await this.execute(lotStream(issued.lotId), lotDecider, async () => creditBondCommand(received, 'SUSPENSE', issued, await this.declarers(received.payer)), 'operator:ops-1');
    const placement = placementIn(state, creditId);
    await this.execute(
      inboundCreditStream(received.bankRef),
      inboundCreditDecider,
      () => ({ type: 'RecordSuspenseResolution' as const, resolution: { action: 'MATCH' as const, ...placement } }),
      'operator:ops-1',
    );
  }
}

function placementIn(lot: LotState, creditId: string) {
  const credit = tableGet(lot.credits, creditId)!;
  const bond = lot.bonds[credit.bondId];
  return {
    lotId: lot.terms!.lotId,
    bondId: credit.bondId,
    virtualAccountNo: credit.virtualAccountNo,
    flags: credit.flags,
    ...(bond.bidderId === undefined ? {} : { bidderId: bond.bidderId }),
  };
}
