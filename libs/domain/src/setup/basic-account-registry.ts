import { type Decider, type DomainEvent, conflict, unreachable } from '../decider';

/**
 * Basic-account registry (基本存款账户): bidders declare their basic account; no interbank channel tells
 * whether a payer account is one. One stream per declared account number, `basic-account-{accountNo}`,
 * so the inbound path learns who declared a credit's payer account with one read.
 *
 * The law gives every entity one basic account, so two bidders declaring the same account is a data
 * problem, not a request to refuse: it is recorded, and the inbound path reports a credit from such an
 * account as AMBIGUOUS_PAYER (`declaredBy` has more than one bidder).
 */

export const BASIC_ACCOUNT_STREAM_PREFIX = 'basic-account-';

export function basicAccountStream(accountNo: string): string {
  return `${BASIC_ACCOUNT_STREAM_PREFIX}${accountNo}`;
}

// Commands

export interface DeclareBasicAccount {
  readonly type: 'DeclareBasicAccount';
  readonly bidderId: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly bankCode: string;
}

export type BasicAccountCommand = DeclareBasicAccount;

// Events

export interface BasicAccountDeclaredData {
  readonly bidderId: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly bankCode: string;
}

export type BasicAccountDeclared = DomainEvent<'BasicAccountDeclared', BasicAccountDeclaredData>;

export type BasicAccountEvent = BasicAccountDeclared;

// State

export interface BasicAccountState {
  /** The account number; undefined while nobody has declared it. */
  readonly accountNo: string | undefined;
  /** Ids of the bidders that declared the account, in declaration order, each once. */
  readonly declaredBy: readonly string[];
  /** Every declaration as made (name and bank as each declarer gave them), in order. */
  readonly declarations: readonly BasicAccountDeclaredData[];
}

export const basicAccountDecider: Decider<BasicAccountCommand, BasicAccountEvent, BasicAccountState> = {
  initialState: { accountNo: undefined, declaredBy: [], declarations: [] },

  decide(command, state) {
    const { bidderId, accountNo, accountName, bankCode } = command;
    if (state.declaredBy.includes(bidderId)) {
      return conflict(
        'BASIC_ACCOUNT_ALREADY_DECLARED',
        `bidder ${bidderId} has already declared ${accountNo} as its basic account`,
        'accountNo',
      );
    }
    return [{ type: 'BasicAccountDeclared', data: { bidderId, accountNo, accountName, bankCode } }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BasicAccountDeclared': {
        const { bidderId, accountNo, accountName, bankCode } = event.data;
        return {
          accountNo,
          declaredBy: [...state.declaredBy, bidderId],
          declarations: [...state.declarations, { bidderId, accountNo, accountName, bankCode }],
        };
      }
      default:
        return unreachable(event.type);
    }
  },
};
