import {
  type CommandContext,
  type CommandKernel,
  type Fold,
  type IdempotencyRequest,
  type KernelAnswer,
  RejectionError,
  type SequencedCommand,
  type SequencedOutcome,
  type StreamReader,
  inSequence,
} from '@app/command-kernel';
import {
  type AwardWinner,
  type CreditStatusAnswer,
  type DayCount,
  type Decider,
  type DomainEvent,
  type ForfeitureGround,
  type RateSchedule,
  refundRun,
  type InboundCreditAnswer,
  type InboundCreditRequest,
  type InboundCreditState,
  type LotCommand,
  type LotRegistered,
  type LotState,
  type Plan,
  type RateEntry,
  type Rejection,
  type SuspenseResolutionAnswer,
  type BasicAccountAnswer,
  type BasicAccountState,
  accountsToRead,
  basicAccountStoredFold,
  basicAccountStream,
  bidderStoredFold,
  bidderStream,
  decideBasicAccountDeclaration,
  creditNotFound,
  creditRefOf,
  decideInboundCredit,
  decideReversal,
  decideSuspenseResolution,
  inboundCreditStoredFold,
  inboundCreditStream,
  intakeLot,
  isRejection,
  recordedBy,
  refusalOf,
  refundRunAnswer,
  withdrawalAnswer,
  writesOf,
  lotDecider,
  lotIdOf,
  lotInPlay,
  lotStoredFold,
  lotStream,
  masterAccountDecider,
  masterAccountNamed,
  masterAccountStoredFold,
  masterAccountStream,
  notFound,
  rateScheduleDecider,
  rateScheduleStoredFold,
  rateScheduleStream,
  receivingBankOf,
  tenderCenterDecider,
  tenderCenterStoredFold,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStoredFold,
  virtualAccountRegistryStream,
  lotBond,
  lotBonds,
  lotRefund,
} from '@app/domain';
import { canonicalJson } from '@app/event-store';
import { createHash } from 'node:crypto';
import type { LedgerFacts } from './ledger-facts';

/** POST /v1/lots/{lotId}/virtual-accounts. */
export interface VirtualAccountAnswer {
  virtualAccountNo: string;
  lotId: string;
  masterAccountNo: string;
  bidderId?: string;
}

/** A command as a caller asks for it: who, on behalf of which request, under which Idempotency-Key. */
export interface CommandCall {
  readonly context: CommandContext;
  readonly idempotency?: IdempotencyRequest | undefined;
}

/** What makes two bodies under one bank reference the same: their canonical JSON, hashed. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** A stream's decider and the fold the kernel reads the stream with (the decider's evolve behind the stream's decoder). */
interface Aggregate<C, E, S> {
  readonly decider: Decider<C, E, S>;
  readonly fold: Fold<S>;
}

const TENDER_CENTER = { decider: tenderCenterDecider, fold: tenderCenterStoredFold };
const MASTER_ACCOUNT = { decider: masterAccountDecider, fold: masterAccountStoredFold };
const RATE_SCHEDULE = { decider: rateScheduleDecider, fold: rateScheduleStoredFold };
const LOT = { decider: lotDecider, fold: lotStoredFold };

/** A bond or refund id names its lot; one this ledger cannot have made is simply unknown. */
function lotOf(id: string, kind: 'B' | 'R', code: string, field: string): string {
  const lotId = lotIdOf(id, kind);
  if (lotId === undefined) throw new RejectionError(notFound(code, `no ${field.replace(/Id$/, '')} ${id}`, field));
  return lotId;
}

/**
 * Every command of the ledger, framework-free: each gathers the facts its decision needs through the
 * kernel's reader and hands them to one pure domain function (a decider, or a multi-stream decision of
 * `@app/domain`), whose plan the kernel appends. The Nest command handlers, the audit's seeder and the
 * race tests all run commands through this class.
 */
export class LedgerCommands {
  constructor(
    private readonly kernel: CommandKernel,
    private readonly facts: LedgerFacts,
    private readonly clock: () => Date,
  ) {}

  // ---- set-up ----

  registerTenderCenter(body: { centerId: string; name: string }, call: CommandCall) {
    return this.onOneStream('RegisterTenderCenter', tenderCenterStream(body.centerId), TENDER_CENTER, call, async () => ({
      type: 'RegisterTenderCenter' as const,
      centerId: body.centerId,
      name: body.name,
    }));
  }

  openMasterAccount(centerId: string, body: { bankCode: string; accountNo: string; accountName: string }, call: CommandCall) {
    return this.onOneStream('OpenMasterAccount', masterAccountStream(body.bankCode, body.accountNo), MASTER_ACCOUNT, call, async (_, reader) => ({
      type: 'OpenMasterAccount' as const,
      centerId,
      bankCode: body.bankCode,
      accountNo: body.accountNo,
      accountName: body.accountName,
      centerExists: await this.facts.centerExists(reader, centerId),
      virtualAccountPrefix: this.facts.banks.prefixOf(body.bankCode),
    }));
  }

  defineRateSchedule(body: { scheduleId: string; dayCount: DayCount; entries: RateEntry[] }, call: CommandCall) {
    return this.onOneStream('DefineRateSchedule', rateScheduleStream(body.scheduleId), RATE_SCHEDULE, call, async () => ({
      type: 'DefineRateSchedule' as const,
      scheduleId: body.scheduleId,
      dayCount: body.dayCount,
      entries: body.entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })),
    }));
  }

  /** POST /v1/interest-rate-schedules/{scheduleId}/entries: the schedule's decider judges the date against today. */
  addRateScheduleEntry(scheduleId: string, body: RateEntry, call: CommandCall) {
    const now = this.clock().toISOString();
    return this.onOneStream('AddRateScheduleEntry', rateScheduleStream(scheduleId), RATE_SCHEDULE, call, async () => ({
      type: 'AddRateScheduleEntry' as const,
      scheduleId,
      effectiveFrom: body.effectiveFrom,
      annualRate: body.annualRate,
      now,
    }));
  }

  registerLot(body: LotRegistered['data'], call: CommandCall) {
    const { lotId, centerId, projectCode, name, estimatedPrice, bondAmount, depositDeadline, bidOpeningTime, basicAccountPolicy, rateScheduleId } = body;
    return this.onOneStream('RegisterLot', lotStream(lotId), LOT, call, async (_, reader) => ({
      type: 'RegisterLot' as const,
      lotId,
      centerId,
      projectCode,
      name,
      estimatedPrice,
      bondAmount,
      depositDeadline,
      bidOpeningTime,
      basicAccountPolicy,
      rateScheduleId,
      centerExists: await this.facts.centerExists(reader, centerId),
      rateScheduleExists: (await this.facts.rateSchedule(reader, rateScheduleId)) !== undefined,
    }));
  }

  /**
   * Numbers are allocated in the registry stream of the master account's bank prefix: the expected
   * revision makes two concurrent requests take two different sequences.
   */
  async issueVirtualAccount(lotId: string, body: { masterAccountNo: string; bidderId?: string; bankCode?: string }, call: CommandCall) {
    return this.kernel.run<VirtualAccountAnswer>({
      name: 'IssueVirtualAccount',
      context: call.context,
      idempotency: call.idempotency,
      // The registry is known only once the master account is: queue behind every registry's issues.
      streams: [...this.facts.banks.prefixes].map(virtualAccountRegistryStream),
      decide: async (reader) => {
        const lot = await reader.read(lotStream(lotId), lotStoredFold, { fresh: true });
        const candidates = await this.facts.masterAccountsNumbered(reader, body.masterAccountNo);
        const master = masterAccountNamed(body.masterAccountNo, candidates, lot.terms?.centerId, body.bankCode);
        if ('rejected' in master) return { writes: [], rejection: master };
        const stream = virtualAccountRegistryStream(master.virtualAccountPrefix);
        const registry = await reader.read(stream, virtualAccountRegistryStoredFold);
        const decision = virtualAccountRegistryDecider.decide(
          {
            type: 'IssueVirtualAccount',
            lotId,
            masterAccountNo: body.masterAccountNo,
            ...(body.bidderId === undefined ? {} : { bidderId: body.bidderId }),
            prefix: master.virtualAccountPrefix,
            lot: lot.terms ? { centerId: lot.terms.centerId, acceptsVirtualAccounts: !lot.closedToCredits } : undefined,
            masterAccount: { centerId: master.centerId, bankCode: master.bankCode },
          },
          registry,
        );
        // A refusal may record the ask (a probe of a sealed lot): appended, then answered.
        if (isRejection(decision)) return { writes: writesOf({ stream, events: recordedBy(decision) }), rejection: refusalOf(decision) };
        // A decision that is no rejection issues exactly one number.
        const { virtualAccountNo, masterAccountNo, bidderId } = decision[0]!.data;
        return {
          writes: [{ stream, events: decision }],
          answer: { virtualAccountNo, lotId, masterAccountNo, ...(bidderId === undefined ? {} : { bidderId }) },
        };
      },
    });
  }

  /**
   * POST /v1/bidders/{bidderId}/basic-account, decided whole by `decideBasicAccountDeclaration` on the
   * bidder's stream and the streams of the accounts it names. `centerId` is the declaring center (the
   * caller's own), undefined for the bank's (an operator's) declaration.
   */
  declareBasicAccount(
    bidderId: string,
    body: { accountNo: string; accountName: string; bankCode: string; centerId?: string | undefined; evidenceRef?: string | undefined },
    call: CommandCall,
  ): Promise<KernelAnswer<BasicAccountAnswer>> {
    const now = this.clock().toISOString();
    const bidder = bidderStream(bidderId);
    const request = { bidderId, ...body };
    return this.kernel.run({
      name: 'DeclareBasicAccount',
      context: call.context,
      idempotency: call.idempotency,
      streams: [bidder, basicAccountStream(body.accountNo)],
      decide: async (reader) => {
        const state = await reader.read(bidder, bidderStoredFold);
        const accounts = new Map<string, BasicAccountState>();
        for (const accountNo of accountsToRead(state, request)) accounts.set(accountNo, await reader.read(basicAccountStream(accountNo), basicAccountStoredFold));
        const accountState = (accountNo: string): BasicAccountState => {
          const read = accounts.get(accountNo);
          if (!read) throw new Error(`the declaration asked about account ${accountNo}, which accountsToRead did not name`);
          return read;
        };
        return decideBasicAccountDeclaration({ request, now, bidder: state, accounts: accountState });
      },
    });
  }

  // ---- inbound money ----

  /** POST /v1/inbound-credits: decided whole by `decideInboundCredit`. */
  async recordInboundCredit(request: InboundCreditRequest, call: CommandCall): Promise<KernelAnswer<InboundCreditAnswer>> {
    const credit = await this.inboundCredit(request);
    if ('rejected' in credit) throw new RejectionError(credit);
    return this.kernel.run({ name: 'RecordInboundCredit', context: call.context, idempotency: call.idempotency, ...credit });
  }

  /**
   * POST /v1/inbound-credit-batches: each credit decided exactly as `recordInboundCredit` decides it alone,
   * on the states the credits before it in the package leave, and the whole package appended at once (one
   * transaction on an atomic store). An entry that is already a rejection (a malformed item) stays one.
   */
  async recordInboundCredits(
    requests: ReadonlyArray<InboundCreditRequest | Rejection>,
    call: CommandCall,
  ): Promise<KernelAnswer<Array<SequencedOutcome<InboundCreditAnswer>>>> {
    const credits = await Promise.all(requests.map((request) => ('rejected' in request ? request : this.inboundCredit(request))));
    return this.kernel.run({ name: 'RecordInboundCredits', context: call.context, idempotency: call.idempotency, ...inSequence(credits) });
  }

  /** One inbound credit as the kernel runs it: the streams it may write and its decision; a bank we do not serve is refused. */
  private async inboundCredit(request: InboundCreditRequest): Promise<SequencedCommand<InboundCreditAnswer> | Rejection> {
    const bankCode = receivingBankOf(request, this.facts.banks);
    if (typeof bankCode !== 'string') return bankCode;
    const anchor = inboundCreditStream(bankCode, request.bankRef);
    const requestHash = fingerprintOf(request);
    const payee = await this.facts.payee(request.payeeAccountNo);
    const now = this.clock().toISOString();
    return {
      streams: payee.issued ? [anchor, lotStream(payee.issued.lotId)] : [anchor],
      decide: async (reader) => {
        const anchorState = await reader.read(anchor, inboundCreditStoredFold, { expectNew: true });
        const lotId = intakeLot(anchorState, payee);
        const lot = lotId === undefined ? undefined : await reader.read(lotStream(lotId), lotStoredFold);
        // Declarations as valid for the lot's center (its own, the bank's): another center's never decide it.
        const payerDeclaredBy = lot?.terms ? await this.facts.payerDeclaredBy(reader, request.payer, lot.terms.centerId) : [];
        return decideInboundCredit({ request, requestHash, bankCode, anchor: anchorState, payee, lot, payerDeclaredBy, now });
      },
    };
  }

  /** POST /v1/inbound-credits/{creditId}/status: decided whole by `decideReversal`. */
  reportCreditStatus(creditId: string, body: { bankRef: string; reason: string }, call: CommandCall): Promise<KernelAnswer<CreditStatusAnswer>> {
    return this.onCredit('ReportCreditStatus', creditId, call, undefined, (anchor, lot, payerDeclaredBy) =>
      decideReversal({ creditId, anchor, bankRef: body.bankRef, reason: body.reason, lot, payerDeclaredBy }),
    );
  }

  /** POST /v1/suspense/{creditId}/resolution: decided whole by `decideSuspenseResolution`. */
  async resolveSuspense(
    creditId: string,
    body: { action: 'MATCH' | 'RETURN'; virtualAccountNo?: string },
    call: CommandCall,
  ): Promise<KernelAnswer<SuspenseResolutionAnswer>> {
    const target = body.action === 'MATCH' ? { virtualAccountNo: body.virtualAccountNo!, payee: await this.facts.payee(body.virtualAccountNo!) } : undefined;
    return this.onCredit('ResolveSuspense', creditId, call, target?.payee.issued?.lotId, (anchor, lot, payerDeclaredBy) =>
      decideSuspenseResolution({
        creditId,
        anchor,
        resolution: target ? { action: 'MATCH', ...target } : { action: 'RETURN' },
        lot,
        payerDeclaredBy,
      }),
    );
  }

  /** A command on a credit: its anchor, the lot in play (or `targetLot`), and who declared its payer's account. */
  private async onCredit<A>(
    name: string,
    creditId: string,
    call: CommandCall,
    targetLot: string | undefined,
    decide: (anchor: InboundCreditState, lot: LotState | undefined, payerDeclaredBy: string[]) => Plan<A>,
  ): Promise<KernelAnswer<A>> {
    const ref = creditRefOf(creditId);
    if (!ref) throw new RejectionError(creditNotFound(creditId));
    const anchor = inboundCreditStream(ref.bankCode, ref.bankRef);
    return this.kernel.run({
      name,
      context: call.context,
      idempotency: call.idempotency,
      streams: targetLot === undefined ? [anchor] : [anchor, lotStream(targetLot)],
      decide: async (reader) => {
        const anchorState = await reader.read(anchor, inboundCreditStoredFold);
        const lotId = lotInPlay(anchorState) ?? targetLot;
        const lot = lotId === undefined ? undefined : await reader.read(lotStream(lotId), lotStoredFold);
        const received = anchorState.received;
        const payerDeclaredBy = received && lot?.terms ? await this.facts.payerDeclaredBy(reader, received.payer, lot.terms.centerId) : [];
        return decide(anchorState, lot, payerDeclaredBy);
      },
    });
  }

  // ---- bidding life cycle ----

  withdrawBidder(lotId: string, body: { bidderId: string; noticeReceivedAt: string }, call: CommandCall) {
    const now = this.clock().toISOString();
    return this.onOneStream(
      'WithdrawBidder',
      lotStream(lotId),
      LOT,
      call,
      async () => ({ type: 'WithdrawBidder' as const, bidderId: body.bidderId, noticeReceivedAt: body.noticeReceivedAt, now }),
      withdrawalAnswer,
    );
  }

  /** Art. 74: the winner refuses to sign (POST /v1/lots/{lotId}/signing-refusals). */
  recordSigningRefusal(lotId: string, body: { bidderId: string; refusedOn: string; reason: string }, call: CommandCall) {
    const now = this.clock().toISOString();
    return this.onLot('RecordSigningRefusal', lotId, call, async () => ({ type: 'RecordSigningRefusal', bidderId: body.bidderId, refusedOn: body.refusedOn, reason: body.reason, now }));
  }

  /** The winner by bidder or by bond: AwardDto lets exactly one of the two through. */
  awardLot(lotId: string, body: { winnerBidderId?: string; winnerBondId?: string; contractSignedOn: string }, call: CommandCall) {
    const winner: AwardWinner = body.winnerBondId === undefined ? { winnerBidderId: body.winnerBidderId! } : { winnerBondId: body.winnerBondId };
    const now = this.clock().toISOString();
    return this.onLot('AwardLot', lotId, call, async () => ({ type: 'AwardLot', ...winner, contractSignedOn: body.contractSignedOn, now }));
  }

  terminateTender(lotId: string, body: { reason: string }, call: CommandCall) {
    const now = this.clock().toISOString();
    return this.onLot('TerminateTender', lotId, call, async () => ({ type: 'TerminateTender', reason: body.reason, now }));
  }

  forfeitBond(bondId: string, body: { reason: string; ground?: ForfeitureGround | undefined }, call: CommandCall) {
    const lotId = lotOf(bondId, 'B', 'BOND_NOT_FOUND', 'bondId');
    return this.onLot('ForfeitBond', lotId, call, async () => ({ type: 'ForfeitBond', bondId, reason: body.reason, ground: body.ground }));
  }

  /**
   * The answer lists the refunds instructed and, per refundable bond the run could not instruct, the
   * reason (`refundRun`): an instruction changes no other bond, so the state after it gives the same list.
   */
  refundBonds(lotId: string, body: { refundOn: string }, call: CommandCall) {
    const now = this.clock().toISOString();
    let schedule: RateSchedule | undefined;
    return this.onOneStream(
      'RefundBonds',
      lotStream(lotId),
      LOT,
      call,
      async (state, reader): Promise<LotCommand> => {
        schedule = state.terms ? await this.facts.rateSchedule(reader, state.terms.rateScheduleId) : undefined;
        // A lot's schedule exists: the lot was registered only after it was found.
        return { type: 'RefundBonds', refundOn: body.refundOn, schedule: schedule!, now };
      },
      // Answered only when the run recorded something, so the lot and its schedule were found.
      (events, state) =>
        refundRunAnswer(events, state, { lotId, refundOn: body.refundOn, notInstructed: () => refundRun(lotBonds(state), body.refundOn, schedule!).notInstructed }),
    );
  }

  settleRefund(refundId: string, body: { status: 'SETTLED' | 'FAILED'; bankRef: string; reason?: string }, call: CommandCall) {
    const lotId = lotOf(refundId, 'R', 'REFUND_NOT_FOUND', 'refundId');
    return this.onOneStream(
      'SettleRefund',
      lotStream(lotId),
      LOT,
      call,
      async () => ({ type: 'SettleRefund' as const, refundId, status: body.status, bankRef: body.bankRef, ...(body.reason === undefined ? {} : { reason: body.reason }), now: this.clock().toISOString() }),
      (_, state) => {
        // The decider settled this refund of this bond: both are in the state after it.
        const refund = lotRefund(state, refundId)!;
        return { refundId, bondId: refund.bondId, status: refund.status, bankRef: refund.bankRef, bondStatus: lotBond(state, refund.bondId)!.status };
      },
    );
  }

  /** POST /v1/bonds/{bondId}/attribution: the bond's bidder as it stands after the command. */
  attributeBond(bondId: string, body: { bidderId: string }, call: CommandCall) {
    const lotId = lotOf(bondId, 'B', 'BOND_NOT_FOUND', 'bondId');
    return this.onOneStream(
      'AttributeBond',
      lotStream(lotId),
      LOT,
      call,
      async () => ({ type: 'AttributeBond' as const, bondId, bidderId: body.bidderId }),
      // Attributed now or before to this bidder: the decider refuses anything else.
      () => ({ lotId, bondId, bidderId: body.bidderId }),
    );
  }

  /** POST /v1/refunds/{refundId}/redirection: where the bond's next refund pays, after the command. */
  redirectRefund(refundId: string, body: { accountNo: string; accountName?: string; bankCode: string; evidenceRef: string; reason: string }, call: CommandCall) {
    const lotId = lotOf(refundId, 'R', 'REFUND_NOT_FOUND', 'refundId');
    const to = { accountNo: body.accountNo, bankCode: body.bankCode, ...(body.accountName === undefined ? {} : { name: body.accountName }) };
    return this.onOneStream(
      'RedirectRefund',
      lotStream(lotId),
      LOT,
      call,
      async () => ({ type: 'RedirectRefund' as const, refundId, to, evidenceRef: body.evidenceRef, reason: body.reason }),
      (_, state) => {
        // The decider redirected this refund's bond (now or before): both are in the state after it, with `refundTo`.
        const bond = lotBond(state, lotRefund(state, refundId)!.bondId)!;
        return { lotId, refundId, bondId: bond.bondId, refundTo: bond.refundTo!, bondStatus: bond.status };
      },
    );
  }

  /** The lot clock: "deposits closed", "bids opened" and overdue refunds once their time has come (idempotent). */
  recordTimePassed(lotId: string, now: Date, context: CommandContext) {
    return this.onLot('RecordTimePassed', lotId, { context }, async () => ({ type: 'RecordTimePassed', now: now.toISOString() }));
  }

  private onLot(name: string, lotId: string, call: CommandCall, build: (state: LotState) => Promise<LotCommand>) {
    return this.onOneStream(name, lotStream(lotId), LOT, call, build);
  }

  /**
   * A command on one stream, decided by its aggregate's decider. The answer is the data of the event it
   * recorded unless `answer` says otherwise (it gets the events and the state after them).
   */
  private onOneStream<C, E extends DomainEvent, S, A = E['data']>(
    name: string,
    stream: string,
    { decider, fold }: Aggregate<C, E, S>,
    call: CommandCall,
    build: (state: S, reader: StreamReader) => Promise<C>,
    answer: (events: readonly E[], state: S) => A = (events) => events[0]?.data as A,
  ): Promise<KernelAnswer<A>> {
    return this.kernel.run({
      name,
      context: call.context,
      idempotency: call.idempotency,
      streams: [stream],
      decide: async (reader): Promise<Plan<A>> => {
        const state = await reader.read(stream, fold);
        const decision = decider.decide(await build(state, reader), state);
        // A refusal may record the ask (a probe of a sealed lot): appended, then answered.
        if (isRejection(decision)) return { writes: writesOf({ stream, events: recordedBy(decision) }), rejection: refusalOf(decision) };
        const after = decision.reduce<S>((folded, event) => decider.evolve(folded, event), state);
        return { writes: [{ stream, events: decision }], answer: answer(decision, after) };
      },
    });
  }
}

