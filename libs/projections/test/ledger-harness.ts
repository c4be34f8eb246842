import {
  CURRENCY,
  type CreditBond,
  type CreditOutcome,
  type CreditSource,
  type Decider,
  type InboundCreditReceived,
  type InboundCreditRequest,
  type LotCommand,
  type LotEvent,
  type LotRegistered,
  type Payer,
  type RateSchedule,
  type Rejection,
  type VirtualAccountIssuedData,
  basicAccountDecider,
  basicAccountStream,
  bankRefOf,
  classifyVirtualAccountNo,
  creditBondCommand,
  creditIdFor,
  inboundCreditDecider,
  inboundCreditStream,
  isRejection,
  lotDecider,
  lotStream,
  masterAccountDecider,
  masterAccountStream,
  outcomeOfLotRefusal,
  rateScheduleDecider,
  rateScheduleStream,
  replay,
  suspenseForPayee,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
  tableGet,
} from '@app/domain';
import type { ProjectionEvent } from '../src/projection';

export class RejectedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
  }
}

interface StoredEvent {
  readonly type: string;
  readonly data: object;
}

/**
 * An in-memory ledger for tests: the real deciders of `@app/domain`, driven the way the command
 * handlers of apps/ledger drive them (facts resolved from other streams, lot first and credit anchor
 * second), every append recorded in one global log with stream revisions and global positions.
 * Positions start at 1000 and go up in steps of 7, as a real store's need not be contiguous.
 */
export class LedgerHarness {
  readonly log: ProjectionEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly issued = new Map<string, VirtualAccountIssuedData>();
  private readonly prefixes = new Map<string, string>(); // prefix → bankCode
  private nextPosition = 1000n;

  constructor(private readonly operatingBank = '102100099996') {}

  /** The events of one stream, typed as the caller expects. */
  stream<E>(name: string): E[] {
    return (this.streams.get(name) ?? []) as unknown as E[];
  }

  private append(streamName: string, events: readonly StoredEvent[]): void {
    const stream = this.streams.get(streamName) ?? [];
    for (const event of events) {
      // Through JSON, as a store would keep it: what the projections see is what a replay reads.
      const data = JSON.parse(JSON.stringify(event.data)) as object;
      this.log.push({ type: event.type, data, streamName, position: this.nextPosition, revision: BigInt(stream.length) });
      stream.push({ type: event.type, data });
      this.nextPosition += 7n;
    }
    this.streams.set(streamName, stream);
  }

  /** Decides a command on a stream and appends the events; a rejection throws `RejectedError`. */
  execute<C, E extends StoredEvent, S>(decider: Decider<C, E, S>, streamName: string, command: C): E[] {
    const state = replay(decider, this.stream<E>(streamName));
    const decision = decider.decide(command, state);
    if (isRejection(decision)) throw new RejectedError(decision);
    this.append(streamName, decision);
    return [...decision];
  }

  state<C, E, S>(decider: Decider<C, E, S>, streamName: string): S {
    return replay(decider, this.stream<E>(streamName));
  }

  // Set-up

  registerCenter(centerId: string): void {
    this.execute(tenderCenterDecider, tenderCenterStream(centerId), { type: 'RegisterTenderCenter', centerId, name: `Center ${centerId}` });
  }

  openMasterAccount(centerId: string, bankCode: string, accountNo: string, prefix: string): void {
    this.prefixes.set(prefix, bankCode);
    this.execute(masterAccountDecider, masterAccountStream(accountNo), {
      type: 'OpenMasterAccount',
      centerId,
      bankCode,
      accountNo,
      accountName: `Bid bonds ${centerId}`,
      centerExists: this.state(tenderCenterDecider, tenderCenterStream(centerId)).exists,
      virtualAccountPrefix: prefix,
    });
  }

  defineSchedule(schedule: RateSchedule): void {
    this.execute(rateScheduleDecider, rateScheduleStream(schedule.scheduleId), {
      type: 'DefineRateSchedule',
      scheduleId: schedule.scheduleId,
      dayCount: schedule.dayCount,
      entries: schedule.entries,
    });
  }

  declareBasicAccount(bidderId: string, payer: Payer): void {
    this.execute(basicAccountDecider, basicAccountStream(payer.accountNo), {
      type: 'DeclareBasicAccount',
      bidderId,
      accountNo: payer.accountNo,
      accountName: payer.name,
      bankCode: payer.bankCode,
    });
  }

  registerLot(terms: LotRegistered['data']): void {
    this.lot(terms.lotId, {
      type: 'RegisterLot',
      ...terms,
      centerExists: this.state(tenderCenterDecider, tenderCenterStream(terms.centerId)).exists,
      rateScheduleExists: this.state(rateScheduleDecider, rateScheduleStream(terms.rateScheduleId)).exists,
    });
  }

  issueVirtualAccount(lotId: string, masterAccountNo: string, bidderId?: string): string {
    const master = this.state(masterAccountDecider, masterAccountStream(masterAccountNo));
    if (!master.exists) throw new Error(`no master account ${masterAccountNo}`);
    const lot = this.state(lotDecider, lotStream(lotId));
    const [event] = this.execute(virtualAccountRegistryDecider, virtualAccountRegistryStream(master.virtualAccountPrefix), {
      type: 'IssueVirtualAccount',
      lotId,
      masterAccountNo,
      ...(bidderId === undefined ? {} : { bidderId }),
      prefix: master.virtualAccountPrefix,
      lot: lot.terms ? { centerId: lot.terms.centerId, acceptsVirtualAccounts: !lot.closedToCredits } : undefined,
      masterAccount: { centerId: master.centerId, bankCode: master.bankCode },
    });
    this.issued.set(event.data.virtualAccountNo, event.data);
    return event.data.virtualAccountNo;
  }

  // Lot

  lot(lotId: string, command: LotCommand): LotEvent[] {
    return this.execute(lotDecider, lotStream(lotId), command);
  }

  /** The lot's state as the decider replays it from its stream. */
  lotState(lotId: string) {
    return this.state(lotDecider, lotStream(lotId));
  }

  // Inbound money, as RecordInboundCreditHandler / ReportCreditStatusHandler / ResolveSuspenseHandler do it

  private payerDeclaredBy(payer: Payer): string[] {
    const state = this.state(basicAccountDecider, basicAccountStream(payer.accountNo));
    return [...new Set(state.declarations.filter((d) => d.bankCode === payer.bankCode).map((d) => d.bidderId))];
  }

  private creditBond(received: InboundCreditReceived['data'], source: CreditSource, issued: VirtualAccountIssuedData): CreditBond {
    return creditBondCommand(received, source, issued, this.payerDeclaredBy(received.payer));
  }

  private placementIn(lotId: string, creditId: string) {
    const lot = this.lotState(lotId);
    const credit = tableGet(lot.credits, creditId)!;
    const bond = lot.bonds[credit.bondId];
    return {
      lotId,
      bondId: credit.bondId,
      virtualAccountNo: credit.virtualAccountNo,
      flags: credit.flags,
      ...(bond.bidderId === undefined ? {} : { bidderId: bond.bidderId }),
    };
  }

  private classify(received: InboundCreditReceived['data']): CreditOutcome {
    if (received.currency !== CURRENCY) return { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };
    const classification = classifyVirtualAccountNo(received.payeeAccountNo, [...this.prefixes.keys()]);
    const bankCode =
      classification.kind === 'VIRTUAL' || classification.kind === 'BAD_CHECK_DIGIT'
        ? this.prefixes.get(classification.prefix)!
        : this.operatingBank;
    const suspended = suspenseForPayee(classification, bankCode);
    if (suspended) return suspended;
    const issued = this.issued.get(received.payeeAccountNo);
    if (!issued) return { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode };
    try {
      this.lot(issued.lotId, this.creditBond(received, 'INBOUND', issued));
      return { outcome: 'CLASSIFIED', ...this.placementIn(issued.lotId, received.creditId) };
    } catch (error) {
      const outcome = error instanceof RejectedError ? outcomeOfLotRefusal(error.rejection, issued.lotId, issued.bankCode) : undefined;
      if (outcome) return outcome;
      throw error;
    }
  }

  /** POST /v1/inbound-credits; answers the outcome. */
  receive(request: Omit<InboundCreditRequest, 'channel' | 'currency'> & Partial<Pick<InboundCreditRequest, 'channel' | 'currency'>>): CreditOutcome & { creditId: string } {
    const full: InboundCreditRequest = { channel: 'HVPS', currency: CURRENCY, ...request };
    const creditId = creditIdFor(full.bankRef);
    const requestHash = `hash-of-${full.bankRef}-${full.amount}`;
    const anchor = inboundCreditStream(full.bankRef);
    const known = this.state(inboundCreditDecider, anchor);
    const outcome = known.received ? known.firstOutcome! : this.classify({ ...full, creditId, requestHash });
    this.execute(inboundCreditDecider, anchor, { type: 'RecordInboundCredit', creditId, requestHash, request: full, outcome });
    return { ...outcome, creditId };
  }

  /** POST /v1/inbound-credits/{creditId}/status REVERSED. */
  reverse(creditId: string, reason = 'not settled'): void {
    const anchor = inboundCreditStream(bankRefOf(creditId)!);
    const credit = this.state(inboundCreditDecider, anchor);
    if (credit.placement && credit.status !== 'REVERSED') {
      this.lot(credit.placement.lotId, { type: 'ReverseCredit', creditId, bankRef: credit.received!.bankRef, reason });
    }
    this.execute(inboundCreditDecider, anchor, { type: 'RecordReversal', bankRef: credit.received!.bankRef, reason });
  }

  /** POST /v1/suspense/{creditId}/resolution RETURN. */
  returnFromSuspense(creditId: string): void {
    this.execute(inboundCreditDecider, inboundCreditStream(bankRefOf(creditId)!), {
      type: 'RecordSuspenseResolution',
      resolution: { action: 'RETURN' },
    });
  }

  /**
   * The lot half of POST /v1/suspense/{creditId}/resolution MATCH: the bond credit from suspense. Split
   * from `recordMatch` so a test can interleave another resolution, as concurrent requests can.
   */
  matchIntoLot(creditId: string, virtualAccountNo: string) {
    const credit = this.state(inboundCreditDecider, inboundCreditStream(bankRefOf(creditId)!));
    const issued = this.issued.get(virtualAccountNo)!;
    this.lot(issued.lotId, this.creditBond(credit.received!, 'SUSPENSE', issued));
    return this.placementIn(issued.lotId, creditId);
  }

  /** The anchor half of a MATCH; when another resolution won meanwhile, the lot's credit is voided (and the refusal thrown). */
  recordMatch(creditId: string, placement: ReturnType<LedgerHarness['matchIntoLot']>): void {
    try {
      this.execute(inboundCreditDecider, inboundCreditStream(bankRefOf(creditId)!), {
        type: 'RecordSuspenseResolution',
        resolution: { action: 'MATCH', ...placement },
      });
    } catch (error) {
      if (error instanceof RejectedError && error.rejection.code === 'NOT_IN_SUSPENSE') {
        this.lot(placement.lotId, { type: 'VoidSuspenseMatch', creditId });
      }
      throw error;
    }
  }

  matchSuspense(creditId: string, virtualAccountNo: string): void {
    this.recordMatch(creditId, this.matchIntoLot(creditId, virtualAccountNo));
  }
}
