import { createHash } from 'node:crypto';
import {
  type BankDirectory,
  CURRENCY,
  type CreditStatusAnswer,
  type Decider,
  type InboundCreditAnswer,
  type InboundCreditRequest,
  type InboundCreditState,
  type LotCommand,
  type LotEvent,
  type LotRegistered,
  type LotState,
  type PayeeFacts,
  type Payer,
  type Plan,
  type RateSchedule,
  type Rejection,
  type SuspenseResolutionAnswer,
  type VirtualAccountIssuedData,
  basicAccountDecider,
  basicAccountStream,
  classifyVirtualAccountNo,
  creditRefOf,
  decideInboundCredit,
  decideReversal,
  decideSuspenseResolution,
  inboundCreditFold,
  inboundCreditStream,
  intakeLot,
  isRejection,
  lotDecider,
  lotInPlay,
  lotStream,
  masterAccountDecider,
  masterAccountNamed,
  masterAccountStream,
  notFound,
  rateScheduleDecider,
  rateScheduleStream,
  receivingBankOf,
  replay,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
} from '@app/domain';
import { canonicalJson } from '@app/event-store';
import type { ProjectionEvent } from '../src/projection';
import { at } from './at';

export class RejectedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
  }
}

interface StoredEvent {
  readonly type: string;
  readonly data: object;
}

/** A stream's fold: a decider's, or the credit anchor's `inboundCreditFold`. */
type Fold<E, S> = Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>;

/** Thrown through a command by `stopAfterWrites`: the "process" stopped. */
class Stopped extends Error {}

/**
 * An in-memory, synchronous ledger for tests, every append recorded in one global log with stream
 * revisions and global positions (from 1000, in steps of 7, as a real store's need not be contiguous).
 * It decides as the service does, with the domain's own decisions: the set-up and lot commands with
 * their deciders, the inbound credit, its suspense resolution and its reversal with
 * `decideInboundCredit`, `decideSuspenseResolution` and `decideReversal` over the states and facts the
 * service's `LedgerCommands` gathers (receiving bank, payee number, lot in play, declared payers).
 * A plan's writes are appended in the plan's order, one stream after the other, as a store that
 * commits streams one by one does (the embedded store commits them at once, each stream's events
 * together); a plan that asks to be decided again is, after its writes.
 */
export class LedgerHarness {
  readonly log: ProjectionEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly issued = new Map<string, VirtualAccountIssuedData>();
  private readonly prefixes = new Map<string, string>(); // prefix → bankCode
  private nextPosition = 1000n;
  /** Writes left before the "process" stops (`stopAfterWrites`); undefined: it never does. */
  private writesLeft: number | undefined;

  /** `operatingBank`: the ledger's first bank, which takes money sent to numbers naming no bank of ours. */
  constructor(private readonly operatingBank = '102100099996') {}

  /** The events of one stream, typed as the caller expects. */
  stream<E>(name: string): E[] {
    return (this.streams.get(name) ?? []) as unknown as E[];
  }

  /**
   * Appends events as they are, past every decision: a log an older version wrote (e.g. its
   * SuspenseMatchVoided), or a corrupt one.
   */
  appendPastDecisions(streamName: string, events: readonly StoredEvent[]): void {
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

  private append(streamName: string, events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    if (this.writesLeft !== undefined) {
      if (this.writesLeft === 0) throw new Stopped('the process stopped');
      this.writesLeft -= 1;
    }
    this.appendPastDecisions(streamName, events);
  }

  /**
   * Runs `command` as a process that stops for good after `writes` appends (one stream each): what was
   * appended stays, the rest of the command never happens, and nothing is answered. What it leaves is a
   * half-written command, which the next command on the same credit finishes. Throws if the command
   * finished (or was refused) before it stopped.
   */
  stopAfterWrites(writes: number, command: (harness: this) => unknown): void {
    this.writesLeft = writes;
    try {
      command(this);
    } catch (error) {
      if (error instanceof Stopped) return;
      throw error;
    } finally {
      this.writesLeft = undefined;
    }
    throw new Error(`the command finished within ${writes} writes`);
  }

  /** Decides a command on a stream and appends the events; a rejection throws `RejectedError`. */
  execute<C, E extends StoredEvent, S>(decider: Decider<C, E, S>, streamName: string, command: C): E[] {
    const state = this.state(decider, streamName);
    const decision = decider.decide(command, state);
    if (isRejection(decision)) throw new RejectedError(decision);
    this.append(streamName, decision);
    return [...decision];
  }

  state<E, S>(fold: Fold<E, S>, streamName: string): S {
    return replay(fold, this.stream<E>(streamName));
  }

  /**
   * Runs a plan decided by `decide` (called again while the plan asks for it): appends its writes in
   * order, then answers its answer or throws its rejection.
   */
  private run<A>(decide: () => Plan<A>): A {
    for (;;) {
      const plan = decide();
      for (const write of plan.writes) this.append(write.stream, write.events);
      if ('rejection' in plan) throw new RejectedError(plan.rejection);
      if ('answer' in plan) return plan.answer;
    }
  }

  // Set-up

  registerCenter(centerId: string): void {
    this.execute(tenderCenterDecider, tenderCenterStream(centerId), { type: 'RegisterTenderCenter', centerId, name: `Center ${centerId}` });
  }

  /** A master account at `bankCode`; `prefix` is the bank's virtual-account prefix, which the ledger serves from now on. */
  openMasterAccount(centerId: string, bankCode: string, accountNo: string, prefix: string): void {
    this.prefixes.set(prefix, bankCode);
    this.execute(masterAccountDecider, masterAccountStream(bankCode, accountNo), {
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
      // The bank's declaration (no centerId): valid for every center, as the tests' lots expect.
      declaredOn: '2026-01-01',
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

  /** A virtual account under the master account of that number (at `bankCode` when several banks hold one). */
  issueVirtualAccount(lotId: string, masterAccountNo: string, bidderId?: string, bankCode?: string): string {
    const lot = this.lotState(lotId);
    const opened = [...this.banks.bankCodes]
      .map((bank) => this.state(masterAccountDecider, masterAccountStream(bank, masterAccountNo)))
      .filter((state) => state.exists);
    const master = masterAccountNamed(masterAccountNo, opened, lot.terms?.centerId, bankCode);
    if ('rejected' in master) throw new RejectedError(master);
    const event = at(this.execute(virtualAccountRegistryDecider, virtualAccountRegistryStream(master.virtualAccountPrefix), {
      type: 'IssueVirtualAccount',
      lotId,
      masterAccountNo,
      ...(bidderId === undefined ? {} : { bidderId }),
      prefix: master.virtualAccountPrefix,
      lot: lot.terms ? { centerId: lot.terms.centerId, acceptsVirtualAccounts: !lot.closedToCredits } : undefined,
      masterAccount: { centerId: master.centerId, bankCode: master.bankCode },
    }), 0);
    this.issued.set(event.data.virtualAccountNo, event.data);
    return event.data.virtualAccountNo;
  }

  // Lot

  lot(lotId: string, command: LotCommand): LotEvent[] {
    return this.execute(lotDecider, lotStream(lotId), command);
  }

  /** The lot's state as the decider replays it from its stream. */
  lotState(lotId: string): LotState {
    return this.state(lotDecider, lotStream(lotId));
  }

  // Inbound money, gathered as LedgerCommands gathers it and decided by the domain's decisions

  /** The banks this ledger serves: the operating bank and every bank a master account was opened with. */
  private get banks(): BankDirectory {
    const bankCodes = new Set([this.operatingBank, ...this.prefixes.values()]);
    return {
      bankCodes,
      prefixes: new Set(this.prefixes.keys()),
      bankOfPrefix: (prefix) => this.prefixes.get(prefix),
      operatingBank: this.operatingBank,
    };
  }

  private payee(payeeAccountNo: string): PayeeFacts {
    const classification = classifyVirtualAccountNo(payeeAccountNo, [...this.prefixes.keys()]);
    const issued = classification.kind === 'VIRTUAL' ? this.issued.get(payeeAccountNo) : undefined;
    return issued ? { classification, issued } : { classification };
  }

  private payerDeclaredBy(payer: Payer): string[] {
    const state = this.state(basicAccountDecider, basicAccountStream(payer.accountNo));
    return [...new Set(state.declarations.filter((d) => d.bankCode === payer.bankCode).map((d) => d.bidderId))];
  }

  /** The credit's anchor state. */
  credit(creditId: string): InboundCreditState {
    const ref = creditRefOf(creditId);
    return ref ? this.state(inboundCreditFold, inboundCreditStream(ref.bankCode, ref.bankRef)) : inboundCreditFold.initialState;
  }

  /** POST /v1/inbound-credits; answers as the service does (the credit's outcome). */
  receive(request: Omit<InboundCreditRequest, 'channel' | 'currency'> & Partial<Pick<InboundCreditRequest, 'channel' | 'currency'>>): InboundCreditAnswer {
    const full: InboundCreditRequest = { channel: 'HVPS', currency: CURRENCY, ...request };
    const bankCode = receivingBankOf(full, this.banks);
    if (typeof bankCode !== 'string') throw new RejectedError(bankCode);
    const requestHash = createHash('sha256').update(canonicalJson(full)).digest('hex');
    const payee = this.payee(full.payeeAccountNo);
    return this.run(() => {
      const anchor = this.state(inboundCreditFold, inboundCreditStream(bankCode, full.bankRef));
      const lotId = intakeLot(anchor, payee);
      const lot = lotId === undefined ? undefined : this.lotState(lotId);
      const payerDeclaredBy = lotId === undefined ? [] : this.payerDeclaredBy(full.payer);
      return decideInboundCredit({ request: full, requestHash, bankCode, anchor, payee, lot, payerDeclaredBy, now: full.receivedAt });
    });
  }

  /** POST /v1/inbound-credits/{creditId}/status REVERSED. */
  reverse(creditId: string, reason = 'not settled'): CreditStatusAnswer {
    const bankRef = creditRefOf(creditId)?.bankRef ?? '';
    return this.onCredit(creditId, undefined, (anchor, lot, payerDeclaredBy) => decideReversal({ creditId, anchor, bankRef, reason, lot, payerDeclaredBy }));
  }

  /** POST /v1/suspense/{creditId}/resolution RETURN. */
  returnFromSuspense(creditId: string): SuspenseResolutionAnswer {
    return this.onCredit(creditId, undefined, (anchor, lot, payerDeclaredBy) =>
      decideSuspenseResolution({ creditId, anchor, resolution: { action: 'RETURN' }, lot, payerDeclaredBy }),
    );
  }

  /**
   * POST /v1/suspense/{creditId}/resolution MATCH: requested on the credit, taken by the lot, recorded
   * on the credit; a match the lot refuses throws its reason and writes nothing.
   */
  matchSuspense(creditId: string, virtualAccountNo: string): SuspenseResolutionAnswer {
    const payee = this.payee(virtualAccountNo);
    return this.onCredit(creditId, payee.issued?.lotId, (anchor, lot, payerDeclaredBy) =>
      decideSuspenseResolution({ creditId, anchor, resolution: { action: 'MATCH', virtualAccountNo, payee }, lot, payerDeclaredBy }),
    );
  }

  /** A command on a credit: its anchor, the lot in play (or `targetLot`), who declared its payer's account. */
  private onCredit<A>(
    creditId: string,
    targetLot: string | undefined,
    decide: (anchor: InboundCreditState, lot: LotState | undefined, payerDeclaredBy: string[]) => Plan<A>,
  ): A {
    const ref = creditRefOf(creditId);
    if (!ref) throw new RejectedError(notFound('CREDIT_NOT_FOUND', `no credit ${creditId}`, 'creditId'));
    return this.run(() => {
      const anchor = this.state(inboundCreditFold, inboundCreditStream(ref.bankCode, ref.bankRef));
      const lotId = lotInPlay(anchor) ?? targetLot;
      const lot = lotId === undefined ? undefined : this.lotState(lotId);
      const payerDeclaredBy = anchor.received && lotId !== undefined ? this.payerDeclaredBy(anchor.received.payer) : [];
      return decide(anchor, lot, payerDeclaredBy);
    });
  }
}
