import { unreachable } from '../decider';
import { compareFen, fenOf } from '../money';
import type { BondCredited, CreditFlag, ForfeitureGround, LotEvent, Payer } from './lot-events';
import { businessDateOf } from './business-time';

/**
 * A bond's life, the one home of its rules: the lot decider (`evolveLot`) and every read model that
 * keeps bonds (the bonds projection, the lot summary's counts) change a bond only through these
 * functions, so no reader can drift from what the lot decides.
 */

export type BondStatus = 'HELD' | 'REFUND_DUE' | 'REFUND_PENDING' | 'REFUNDED' | 'FORFEITED';

/** One credit's money inside a bond: interest counts per tranche from its value date. */
export interface BondTranche {
  readonly creditId: string;
  readonly amount: string;
  readonly valueDate: string;
  readonly virtualAccountNo: string;
  readonly bankCode: string;
}

/** What the lot's rules decide about a bond; the decider's state and the bonds read model add their own fields. */
export interface BondFacts {
  readonly bondId: string;
  readonly bidderId?: string;
  /** The account the bond came from and is refunded to (原路退回). */
  readonly payer: Payer;
  /** Sum of the tranches, as `principalAfter` of the lot's last event on the bond; "0.00" once every credit is reversed. */
  readonly principal: string;
  readonly tranches: readonly BondTranche[];
  readonly status: BondStatus;
  /** NOT_BASIC_ACCOUNT once any credit carried it; the amount flag of the principal against the lot's bond amount. */
  readonly flags: readonly CreditFlag[];
  /** The center may keep the bond: `forfeitureGround` says on which legal ground. */
  readonly forfeitable: boolean;
  /** Set with `forfeitable`: withdrawn after the deadline (Art. 35), or its bidder refused to sign (Art. 74). */
  readonly forfeitureGround?: ForfeitureGround;
  /** The legal refund date: withdrawal notice + 5 days, contract + 5 days, or the termination day. */
  readonly refundDueBy?: string;
  /**
   * The business day the bond became refundable (REFUND_DUE): the withdrawal notice's, the contract's,
   * the termination's, a late credit's receipt, or a failed refund's `failedOn`. No refund of it may be
   * dated before (refund-rules.ts). Absent while held.
   */
  readonly refundableSince?: string;
  /**
   * Where the bond's refunds go instead of `payer`, since an operator redirected a failed one
   * (RefundRedirected): the last redirection holds for every later attempt. Absent: `payer` (原路退回).
   */
  readonly refundTo?: Payer;
}

/** The lot events that change bonds. */
export type BondEvent = Extract<
  LotEvent,
  {
    type:
      | 'BondCredited'
      | 'CreditReversed'
      | 'SuspenseMatchVoided'
      | 'BidderWithdrew'
      | 'LotAwarded'
      | 'TenderTerminated'
      | 'BondForfeited'
      | 'RefundInstructed'
      | 'RefundSettled'
      | 'RefundFailed'
      | 'WinnerRefusedToSign'
      | 'BondAttributed'
      | 'RefundRedirected';
  }
>;

/** Every type of BondEvent, once: the compiler refuses this list when it misses one or names another. */
const BOND_EVENT_TYPE_LIST: { readonly [type in BondEvent['type']]: true } = {
  BondCredited: true,
  CreditReversed: true,
  SuspenseMatchVoided: true,
  BidderWithdrew: true,
  LotAwarded: true,
  TenderTerminated: true,
  BondForfeited: true,
  RefundInstructed: true,
  RefundSettled: true,
  RefundFailed: true,
  WinnerRefusedToSign: true,
  BondAttributed: true,
  RefundRedirected: true,
};
/** The lot events that change bonds, as a list (the lot clock watches them). */
// Object.keys types its result string[]; the record has exactly BondEvent's types.
export const BOND_EVENT_TYPES = Object.keys(BOND_EVENT_TYPE_LIST) as readonly BondEvent['type'][];

/** The fields of a bond an event changes. */
export type BondChange = { -readonly [field in Exclude<keyof BondFacts, 'bondId' | 'payer'>]?: BondFacts[field] };

/** The amount flag a bond carries for its principal against the lot's bond amount. */
export function amountFlag(principal: string, bondAmount: string): CreditFlag | undefined {
  const order = compareFen(fenOf(principal), fenOf(bondAmount));
  return order < 0 ? 'AMOUNT_BELOW_BOND' : order > 0 ? 'AMOUNT_ABOVE_BOND' : undefined;
}

/** A bond's flags: NOT_BASIC_ACCOUNT sticks once any of its credits had it; the amount flag follows the principal. */
export function bondFlags(notBasic: boolean, principal: string, bondAmount: string): CreditFlag[] {
  const amount = amountFlag(principal, bondAmount);
  const flags: CreditFlag[] = notBasic ? ['NOT_BASIC_ACCOUNT'] : [];
  if (amount) flags.push(amount);
  return flags;
}

/** The bond a lot's first credit into it opens: HELD, or REFUND_DUE when it arrives after the award (Art. 57). */
export function openedBond(credit: BondCredited['data'], bondAmount: string): BondFacts {
  const tranche = trancheOf(credit);
  return {
    bondId: credit.bondId,
    ...(credit.bidderId === undefined ? {} : { bidderId: credit.bidderId }),
    payer: credit.payer,
    principal: credit.principalAfter,
    tranches: [tranche],
    status: nextBondStatus(undefined, { type: 'BondCredited', data: credit }),
    flags: bondFlags(credit.flags.includes('NOT_BASIC_ACCOUNT'), credit.principalAfter, bondAmount),
    forfeitable: false,
    ...(credit.refundDueBy === undefined ? {} : { refundDueBy: credit.refundDueBy, refundableSince: businessDateOf(credit.receivedAt) }),
  };
}

function trancheOf(credit: BondCredited['data']): BondTranche {
  return {
    creditId: credit.creditId,
    amount: credit.amount,
    valueDate: credit.valueDate,
    virtualAccountNo: credit.virtualAccountNo,
    bankCode: credit.bankCode,
  };
}

/**
 * The status of a bond after a lot event that names it (undefined: a bond not yet opened), or that
 * concerns every bond of the lot (an award, a termination).
 */
export function nextBondStatus(status: BondStatus | undefined, event: BondEvent): BondStatus {
  switch (event.type) {
    case 'BondCredited':
      return status ?? (event.data.refundDueBy === undefined ? 'HELD' : 'REFUND_DUE');
    case 'BidderWithdrew':
      // Before the deadline: refunded within 5 days; after: held, but forfeitable (Art. 35).
      return event.data.beforeDeadline ? 'REFUND_DUE' : held(status);
    case 'WinnerRefusedToSign':
      // Held, but forfeitable (Art. 74).
      return held(status);
    case 'LotAwarded':
    case 'TenderTerminated': {
      // Every bond still held is refunded by the due date (Art. 31, 57).
      const before = held(status);
      return before === 'HELD' ? 'REFUND_DUE' : before;
    }
    case 'BondForfeited':
      return 'FORFEITED';
    case 'RefundInstructed':
      return 'REFUND_PENDING';
    case 'RefundSettled':
      return 'REFUNDED';
    case 'RefundFailed':
      // The payment bounced: the bond is refundable again.
      return 'REFUND_DUE';
    case 'CreditReversed':
    case 'SuspenseMatchVoided':
    case 'BondAttributed':
    case 'RefundRedirected':
      return held(status);
    default:
      return unreachable(event);
  }
}

/** A status an event keeps, for a bond it names: the bond exists. */
function held(status: BondStatus | undefined): BondStatus {
  if (status === undefined) throw new RangeError('a lot event names a bond the lot has not opened');
  return status;
}

/** Still owed to its payer: neither refunded nor forfeited. */
export function isOwed(status: BondStatus): boolean {
  return status === 'HELD' || status === 'REFUND_DUE' || status === 'REFUND_PENDING';
}

/**
 * Whether a bond is owed after `event`, from whether it was before: no event's effect on that depends on
 * more of the status (checked for every status in bond.unit.spec.ts), so a reader that only counts owed
 * bonds need not keep their statuses. A bond not yet opened is `owed` undefined.
 */
export function owedAfter(owed: boolean | undefined, event: BondEvent): boolean {
  return isOwed(nextBondStatus(owed === undefined ? undefined : owed ? 'HELD' : 'REFUNDED', event));
}

/**
 * How a lot event changes a bond it concerns (the credited, reversed, withdrawn, forfeited or refunded
 * bond; every bond of the lot for an award or a termination): the fields that change, or undefined when
 * none does. A bond's first credit opens it instead (`openedBond`).
 */
export function bondChange(bond: BondFacts, event: BondEvent, bondAmount: string): BondChange | undefined {
  switch (event.type) {
    case 'BondCredited': {
      const d = event.data;
      // The bidder is part of the bond's id (`bondIdFor`): a later credit names the same one.
      return {
        principal: d.principalAfter,
        tranches: [...bond.tranches, trancheOf(d)],
        flags: bondFlags(bond.flags.includes('NOT_BASIC_ACCOUNT') || d.flags.includes('NOT_BASIC_ACCOUNT'), d.principalAfter, bondAmount),
      };
    }
    case 'CreditReversed':
    case 'SuspenseMatchVoided': {
      // The credit's money leaves the bond.
      const { creditId, principalAfter } = event.data;
      return {
        principal: principalAfter,
        tranches: bond.tranches.filter((tranche) => tranche.creditId !== creditId),
        flags: bondFlags(bond.flags.includes('NOT_BASIC_ACCOUNT'), principalAfter, bondAmount),
      };
    }
    case 'BidderWithdrew': {
      const { beforeDeadline, refundDueBy, noticeReceivedAt } = event.data;
      if (!beforeDeadline) return { forfeitable: true, forfeitureGround: 'WITHDRAWN_AFTER_DEADLINE' };
      const status = nextBondStatus(bond.status, event);
      const refundableSince = businessDateOf(noticeReceivedAt);
      return refundDueBy === undefined ? { status, refundableSince } : { status, refundDueBy, refundableSince };
    }
    case 'WinnerRefusedToSign':
      return { forfeitable: true, forfeitureGround: 'REFUSED_TO_SIGN' };
    case 'LotAwarded':
    case 'TenderTerminated': {
      const status = nextBondStatus(bond.status, event);
      // An earlier due date (a withdrawal's) is kept.
      if (status === bond.status) return undefined;
      const refundableSince = event.type === 'LotAwarded' ? event.data.contractSignedOn : businessDateOf(event.data.terminatedAt);
      return { status, refundDueBy: bond.refundDueBy ?? event.data.refundsDueBy, refundableSince };
    }
    case 'RefundFailed': {
      const status = nextBondStatus(bond.status, event);
      // Refundable again from the day of the failure (a version-1 failure, without it, keeps the first day).
      return event.data.failedOn === undefined ? { status } : { status, refundableSince: event.data.failedOn };
    }
    case 'BondForfeited':
    case 'RefundInstructed':
    case 'RefundSettled':
      return { status: nextBondStatus(bond.status, event) };
    case 'BondAttributed':
      // The bond keeps its id: only who it belongs to is now known.
      return { bidderId: event.data.bidderId };
    case 'RefundRedirected':
      return { refundTo: event.data.to };
    default:
      return unreachable(event);
  }
}
