import { type Decider, type DomainEvent, conflict, notFound, ruleBroken } from '../decider';
import { isValidVirtualAccountPrefix } from '../virtual-account';

/**
 * Master account (保证金实体账户): the real account a tender center holds at a bank, under which
 * virtual sub-accounts are issued. One stream per account number, so an account number is opened
 * once across all centers. The bank's virtual-account prefix (configuration) is recorded with the
 * opening: it names the allocation stream the account's virtual numbers are issued from.
 */

export const MASTER_ACCOUNT_STREAM_PREFIX = 'master-account-';

export function masterAccountStream(accountNo: string): string {
  return `${MASTER_ACCOUNT_STREAM_PREFIX}${accountNo}`;
}

// Commands

export interface OpenMasterAccount {
  readonly type: 'OpenMasterAccount';
  readonly centerId: string;
  readonly bankCode: string;
  readonly accountNo: string;
  readonly accountName: string;
  /** Fact resolved by the handler: the stream `tender-center-{centerId}` holds a registration. */
  readonly centerExists: boolean;
  /**
   * The bank's configured virtual-account prefix; undefined when this ledger does not serve the bank.
   * A defined but malformed prefix is a configuration error: `decide` throws a RangeError.
   */
  readonly virtualAccountPrefix: string | undefined;
}

export type MasterAccountCommand = OpenMasterAccount;

// Events

export interface MasterAccountOpenedData {
  readonly centerId: string;
  readonly bankCode: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly virtualAccountPrefix: string;
}

export type MasterAccountOpened = DomainEvent<'MasterAccountOpened', MasterAccountOpenedData>;

export type MasterAccountEvent = MasterAccountOpened;

// State

export type MasterAccountState =
  | { readonly exists: false }
  | ({ readonly exists: true } & MasterAccountOpenedData);

export const masterAccountDecider: Decider<MasterAccountCommand, MasterAccountEvent, MasterAccountState> = {
  initialState: { exists: false },

  decide(command, state) {
    const { centerId, bankCode, accountNo, accountName, virtualAccountPrefix } = command;
    if (virtualAccountPrefix !== undefined && !isValidVirtualAccountPrefix(virtualAccountPrefix)) {
      throw new RangeError(
        `configured virtual account prefix of bank ${bankCode} is malformed: ${JSON.stringify(virtualAccountPrefix)}`,
      );
    }
    if (!command.centerExists) {
      return notFound('TENDER_CENTER_NOT_FOUND', `tender center ${centerId} does not exist`, 'centerId');
    }
    if (state.exists) {
      return conflict('MASTER_ACCOUNT_EXISTS', `master account ${accountNo} is already opened`, 'accountNo');
    }
    if (virtualAccountPrefix === undefined) {
      return ruleBroken('BANK_NOT_SUPPORTED', `bank ${bankCode} is not served by this ledger`, 'bankCode');
    }
    return [
      { type: 'MasterAccountOpened', data: { centerId, bankCode, accountNo, accountName, virtualAccountPrefix } },
    ];
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'MasterAccountOpened': {
        const { centerId, bankCode, accountNo, accountName, virtualAccountPrefix } = event.data;
        return { exists: true, centerId, bankCode, accountNo, accountName, virtualAccountPrefix };
      }
    }
  },
};
