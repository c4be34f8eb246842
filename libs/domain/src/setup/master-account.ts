import { type Decider, type DomainEvent, type Rejection, conflict, notFound, ruleBroken, unreachable } from '../decider';
import { isValidVirtualAccountPrefix } from '../virtual-account';

/**
 * Master account (保证金实体账户): the real account a tender center holds at a bank, under which
 * virtual sub-accounts are issued. One stream per bank and account number: an account number is
 * opened once per bank, whichever center asks (two banks may each have an account of the same
 * number). The bank's virtual-account prefix (configuration) is recorded with the opening: it names
 * the allocation stream the account's virtual numbers are issued from.
 */

export const MASTER_ACCOUNT_STREAM_PREFIX = 'master-account-';

/** Bank codes this ledger serves carry no `-`, so the name is unambiguous. */
export function masterAccountStream(bankCode: string, accountNo: string): string {
  return `${MASTER_ACCOUNT_STREAM_PREFIX}${bankCode}-${accountNo}`;
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
      return conflict('MASTER_ACCOUNT_EXISTS', `master account ${accountNo} is already opened at bank ${bankCode}`, 'accountNo');
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
      default:
        return unreachable(event.type);
    }
  },
};

/**
 * The master account a request names by number alone (issuing a virtual account; the master-account
 * balance query): the account of that number at `bankCode` when the request names a bank, else the
 * only one of that number, else the only one of that number held by `centerId`. Undefined with a
 * rejection when none or several fit. `opened` are the accounts of that number, one per bank, in any
 * shape that names bank and center (the write side's opened data, a read model's entries).
 */
export function masterAccountNamed<A extends Pick<MasterAccountOpenedData, 'bankCode' | 'centerId'> = MasterAccountOpenedData>(
  accountNo: string,
  opened: readonly A[],
  centerId: string | undefined,
  bankCode: string | undefined,
): A | Rejection {
  const atBank = bankCode === undefined ? opened : opened.filter((account) => account.bankCode === bankCode);
  const ofCenter = atBank.length > 1 ? atBank.filter((account) => account.centerId === centerId) : atBank;
  const [only] = ofCenter;
  if (only !== undefined && ofCenter.length === 1) return only;
  if (atBank.length === 0) return notFound('MASTER_ACCOUNT_NOT_FOUND', `no master account ${accountNo}${bankCode === undefined ? '' : ` at bank ${bankCode}`}`, 'masterAccountNo');
  return ruleBroken(
    'AMBIGUOUS_MASTER_ACCOUNT',
    `master account number ${accountNo} is held at several banks (${atBank.map((account) => account.bankCode).join(', ')}); name the bank in bankCode`,
    'masterAccountNo',
  );
}
