import { type Decider, type DomainEvent, conflict, unreachable } from '../decider';
import type { CalendarDate } from '../interest';

/**
 * Basic-account registry (基本存款账户), per account number: who holds the account as basic account, and
 * for whom. No interbank channel tells whether a payer account is a basic account, so declarations are
 * kept, each attributed to the center that made it, or to the bank (an operator's: confirmed, valid for
 * every center). One stream per account number, `basic-account-{accountNo}`, so the inbound path finds
 * the declarations of a credit's payer account with one read. One account per bidder and scope is kept
 * by the bidder's stream (bidder-basic-accounts.ts), which writes here; docs/rules.md "Basic accounts".
 */

export const BASIC_ACCOUNT_STREAM_PREFIX = 'basic-account-';

export function basicAccountStream(accountNo: string): string {
  return `${BASIC_ACCOUNT_STREAM_PREFIX}${accountNo}`;
}

/** Whose a declaration is: a center's own, or the bank's (`centerId` undefined). */
export interface DeclarationScope {
  /** The declaring center; undefined: the bank's, made by an operator, valid for every center. */
  readonly centerId?: string | undefined;
}

// Commands

/** The account stream's part of a declaration (decideBasicAccountDeclaration gives it its date and scope). */
export interface DeclareBasicAccount extends DeclarationScope {
  readonly type: 'DeclareBasicAccount';
  readonly bidderId: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly bankCode: string;
  /** The business date (Asia/Shanghai) of the declaration. */
  readonly declaredOn: CalendarDate;
  /** The document a change rests on (e.g. the new account's opening permit number). */
  readonly evidenceRef?: string | undefined;
  /** The account this one replaces for the bidder in the same scope. */
  readonly replaces?: AccountRef | undefined;
}

export type BasicAccountCommand = DeclareBasicAccount;

export interface AccountRef {
  readonly accountNo: string;
  readonly bankCode: string;
}

// Events

/**
 * Version 2 (docs/events.md): `centerId` (absent: the bank's), `declaredOn`, `evidenceRef`, `replaces`.
 * A version-1 event has no `declaredOn`: it was made when the registry was one shared list, and reads
 * as a legacy declaration (`BasicAccountHolding.legacy`).
 */
export interface BasicAccountDeclaredData {
  readonly bidderId: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly bankCode: string;
  readonly centerId?: string;
  readonly declaredOn?: CalendarDate;
  readonly evidenceRef?: string;
  readonly replaces?: AccountRef;
}

export type BasicAccountDeclared = DomainEvent<'BasicAccountDeclared', BasicAccountDeclaredData>;

/** The bidder's basic account in this scope is now another one: the holding recorded here ends. */
export interface BasicAccountReplacedData {
  readonly bidderId: string;
  readonly accountNo: string;
  readonly bankCode: string;
  /** The scope whose holding ends (absent: the bank's). */
  readonly centerId?: string;
  readonly replacedBy: AccountRef;
  /** The scope that made the change: the same, or the bank's when an operator's declaration overrides a center's. */
  readonly changedByCenterId?: string;
  readonly replacedOn: CalendarDate;
  readonly evidenceRef: string;
}

export type BasicAccountReplaced = DomainEvent<'BasicAccountReplaced', BasicAccountReplacedData>;

export type BasicAccountEvent = BasicAccountDeclared | BasicAccountReplaced;

// State

/** A declaration in force: the account is the bidder's basic account for its scope. */
export interface BasicAccountHolding {
  readonly bidderId: string;
  readonly bankCode: string;
  readonly accountName: string;
  /** Absent: the bank's (or, when `legacy`, nobody's in particular). */
  readonly centerId?: string;
  readonly declaredOn?: CalendarDate;
  readonly evidenceRef?: string;
  /** A version-1 declaration: valid for every center until the bidder is declared again for it. */
  readonly legacy?: true;
}

export interface BasicAccountState {
  /** The account number; undefined while nobody has declared it. */
  readonly accountNo: string | undefined;
  /** Every declaration as made, in order (replaced ones included). */
  readonly declarations: readonly BasicAccountDeclaredData[];
  /** The declarations in force, in declaration order. */
  readonly holdings: readonly BasicAccountHolding[];
}

function sameScope(a: DeclarationScope & { legacy?: true }, b: DeclarationScope): boolean {
  return a.legacy === undefined && a.centerId === b.centerId;
}

/** The holding of a bidder in a scope (bank code included: an account number is unique per bank only). */
export function holdingOf(state: BasicAccountState, bidderId: string, bankCode: string, scope: DeclarationScope): BasicAccountHolding | undefined {
  return state.holdings.find((held) => held.bidderId === bidderId && held.bankCode === bankCode && sameScope(held, scope));
}

/** The bank's holdings of the account at a bank: confirmed by an operator, for every center. */
export function bankHoldings(state: BasicAccountState, bankCode: string): BasicAccountHolding[] {
  return state.holdings.filter((held) => held.bankCode === bankCode && held.legacy === undefined && held.centerId === undefined);
}

export const basicAccountDecider: Decider<BasicAccountCommand, BasicAccountEvent, BasicAccountState> = {
  initialState: { accountNo: undefined, declarations: [], holdings: [] },

  decide(command, state) {
    const { bidderId, accountNo, accountName, bankCode, centerId, declaredOn, evidenceRef, replaces } = command;
    if (holdingOf(state, bidderId, bankCode, command)) {
      return conflict('BASIC_ACCOUNT_ALREADY_DECLARED', `bidder ${bidderId} has already declared ${accountNo} as its basic account`, 'accountNo');
    }
    // A center may not claim for another bidder an account the bank confirmed: the bank's record stands.
    const confirmed = bankHoldings(state, bankCode).find((held) => held.bidderId !== bidderId);
    if (centerId !== undefined && confirmed) {
      return conflict('BASIC_ACCOUNT_CONFIRMED', `the bank confirmed ${accountNo} as the basic account of bidder ${confirmed.bidderId}; an operator changes it`, 'accountNo');
    }
    const data: BasicAccountDeclaredData = {
      bidderId,
      accountNo,
      accountName,
      bankCode,
      declaredOn,
      ...(centerId === undefined ? {} : { centerId }),
      ...(evidenceRef === undefined ? {} : { evidenceRef }),
      ...(replaces === undefined ? {} : { replaces: { accountNo: replaces.accountNo, bankCode: replaces.bankCode } }),
    };
    return [{ type: 'BasicAccountDeclared', data }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BasicAccountDeclared': {
        const { bidderId, accountNo, accountName, bankCode, centerId, declaredOn, evidenceRef } = event.data;
        // Version 1 has no declaredOn: a legacy declaration, nobody's in particular.
        const holding: BasicAccountHolding =
          declaredOn === undefined
            ? { bidderId, bankCode, accountName, legacy: true }
            : {
                bidderId,
                bankCode,
                accountName,
                declaredOn,
                ...(centerId === undefined ? {} : { centerId }),
                ...(evidenceRef === undefined ? {} : { evidenceRef }),
              };
        // A legacy repeat by the same bidder (version 1 refused those too) adds no second holding.
        const repeat = holding.legacy && state.holdings.some((held) => held.legacy && held.bidderId === bidderId && held.bankCode === bankCode);
        return {
          accountNo,
          declarations: [...state.declarations, event.data],
          holdings: repeat ? state.holdings : [...state.holdings, holding],
        };
      }
      case 'BasicAccountReplaced': {
        const { bidderId, bankCode, centerId } = event.data;
        const ends = (held: BasicAccountHolding) => held.bidderId === bidderId && held.bankCode === bankCode && sameScope(held, { centerId });
        return { ...state, holdings: state.holdings.filter((held) => !ends(held)) };
      }
      default:
        return unreachable(event);
    }
  },
};

/**
 * The bidders whose basic account this is for a lot of `centerId`, paid from `bankCode`: what a credit's
 * ENFORCE / FLAG check and the AMBIGUOUS_PAYER rule rest on. The most authoritative declarations valid
 * for the center decide: the bank's (confirmed), else the center's own, else legacy (version-1) ones whose
 * bidder has not been declared again for the center (`redeclared`). Another center's declarations never
 * count: they decide only that center's lots.
 */
export function basicAccountHoldersFor(
  state: BasicAccountState,
  lot: { readonly centerId: string; readonly bankCode: string },
  redeclared: (bidderId: string) => boolean,
): string[] {
  const atBank = state.holdings.filter((held) => held.bankCode === lot.bankCode);
  const bank = atBank.filter((held) => held.legacy === undefined && held.centerId === undefined);
  const own = atBank.filter((held) => held.legacy === undefined && held.centerId === lot.centerId);
  const legacy = atBank.filter((held) => held.legacy === true && !redeclared(held.bidderId));
  const deciding = bank.length > 0 ? bank : own.length > 0 ? own : legacy;
  return [...new Set(deciding.map((held) => held.bidderId))];
}

/**
 * The legacy holders `basicAccountHoldersFor` would ask about (whose bidder streams the shell reads):
 * none while a bank or own declaration decides, so a new ledger reads nothing more.
 */
export function legacyHoldersToCheck(state: BasicAccountState, lot: { readonly centerId: string; readonly bankCode: string }): string[] {
  const atBank = state.holdings.filter((held) => held.bankCode === lot.bankCode);
  if (atBank.some((held) => held.legacy === undefined && (held.centerId === undefined || held.centerId === lot.centerId))) return [];
  return [...new Set(atBank.filter((held) => held.legacy === true).map((held) => held.bidderId))];
}
