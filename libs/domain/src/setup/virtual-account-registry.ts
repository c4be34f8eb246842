import { type Decider, type DomainEvent, notFound, ruleBroken, unreachable } from '../decider';
import {
  MAX_VIRTUAL_ACCOUNT_SEQUENCE,
  VIRTUAL_ACCOUNT_PREFIX_LENGTH,
  formatVirtualAccountNo,
  isValidVirtualAccountPrefix,
  nextSequence,
} from '../virtual-account';

/**
 * Virtual account registry (虚拟子账户): ONE stream per bank prefix, `virtual-accounts-{prefix}`.
 * Every event issues one number, and the number's sequence is the event's position in the stream:
 * sequence n is at revision n-1 (`revisionOfSequence`). Hence
 * - allocation is collision-free under concurrency: the handler appends the next number with the
 *   expected revision it read (NO_STREAM for the first), so two concurrent issues cannot both win;
 * - the inbound path finds a number's record by reading one revision of one stream (prefix and
 *   sequence come out of `classifyVirtualAccountNo`), and checks the event's `virtualAccountNo`.
 *
 * The state holds only the last issued sequence, taken from the last event itself (not counted), so
 * the handler may replay just the stream's last event (read backwards, one event) to decide.
 */

export const VIRTUAL_ACCOUNT_REGISTRY_STREAM_PREFIX = 'virtual-accounts-';

export function virtualAccountRegistryStream(prefix: string): string {
  return `${VIRTUAL_ACCOUNT_REGISTRY_STREAM_PREFIX}${prefix}`;
}

/** The revision of `virtual-accounts-{prefix}` that holds the issue of `sequence`: sequence - 1. */
export function revisionOfSequence(sequence: bigint): bigint {
  if (sequence < 1n || sequence > MAX_VIRTUAL_ACCOUNT_SEQUENCE) {
    throw new RangeError(`virtual account sequence must be in 1..${MAX_VIRTUAL_ACCOUNT_SEQUENCE}, got ${sequence}`);
  }
  return sequence - 1n;
}

// Commands

/** Facts about the lot, resolved by the handler from the lot's stream. */
export interface IssuingLotFacts {
  readonly centerId: string;
  /** False once the tender is terminated or refunds have started. */
  readonly acceptsVirtualAccounts: boolean;
}

/** Facts about the master account, resolved by the handler from `master-account-{accountNo}`. */
export interface IssuingMasterAccountFacts {
  readonly centerId: string;
  readonly bankCode: string;
}

export interface IssueVirtualAccount {
  readonly type: 'IssueVirtualAccount';
  readonly lotId: string;
  readonly masterAccountNo: string;
  /** Present for a per-bidder account, absent for a lot-level one. */
  readonly bidderId?: string;
  /**
   * The virtual-account prefix of the master account's bank (the stream this command is decided on).
   * A malformed prefix is a configuration error: `decide` throws a RangeError.
   */
  readonly prefix: string;
  /** undefined: no such lot. */
  readonly lot: IssuingLotFacts | undefined;
  /** undefined: no such master account. */
  readonly masterAccount: IssuingMasterAccountFacts | undefined;
}

export type VirtualAccountRegistryCommand = IssueVirtualAccount;

// Events

export interface VirtualAccountIssuedData {
  /** 19 digits: prefix, 12-digit sequence, Luhn check digit. */
  readonly virtualAccountNo: string;
  /** Decimal string, 1..999999999999; the event is at revision sequence - 1 of its stream. */
  readonly sequence: string;
  readonly lotId: string;
  readonly centerId: string;
  readonly masterAccountNo: string;
  readonly bankCode: string;
  /** Only on a per-bidder account. */
  readonly bidderId?: string;
}

export type VirtualAccountIssued = DomainEvent<'VirtualAccountIssued', VirtualAccountIssuedData>;

export type VirtualAccountRegistryEvent = VirtualAccountIssued;

// State

export interface VirtualAccountRegistryState {
  /** The prefix of the numbers issued so far; undefined before the first. */
  readonly prefix: string | undefined;
  /** The last sequence issued; undefined before the first. */
  readonly lastIssued: bigint | undefined;
}

export const virtualAccountRegistryDecider: Decider<
  VirtualAccountRegistryCommand,
  VirtualAccountRegistryEvent,
  VirtualAccountRegistryState
> = {
  initialState: { prefix: undefined, lastIssued: undefined },

  decide(command, state) {
    const { lotId, masterAccountNo, bidderId, prefix, lot, masterAccount } = command;
    if (!isValidVirtualAccountPrefix(prefix)) {
      throw new RangeError(`virtual account prefix must be 6 digits not starting with 0, got ${JSON.stringify(prefix)}`);
    }
    if (state.prefix !== undefined && state.prefix !== prefix) {
      throw new Error(`IssueVirtualAccount for prefix ${prefix} decided on the registry of prefix ${state.prefix}`);
    }
    if (lot === undefined) return notFound('LOT_NOT_FOUND', `lot ${lotId} does not exist`, 'lotId');
    if (masterAccount === undefined) {
      return notFound('MASTER_ACCOUNT_NOT_FOUND', `master account ${masterAccountNo} does not exist`, 'masterAccountNo');
    }
    if (masterAccount.centerId !== lot.centerId) {
      return ruleBroken(
        'MASTER_ACCOUNT_OF_ANOTHER_CENTER',
        `master account ${masterAccountNo} belongs to tender center ${masterAccount.centerId}, lot ${lotId} to ${lot.centerId}`,
        'masterAccountNo',
      );
    }
    if (!lot.acceptsVirtualAccounts) {
      return ruleBroken('LOT_CLOSED', `lot ${lotId} is terminated or refunding and takes no new virtual accounts`, 'lotId');
    }
    if (state.lastIssued === MAX_VIRTUAL_ACCOUNT_SEQUENCE) {
      return ruleBroken(
        'VIRTUAL_ACCOUNT_NUMBERS_EXHAUSTED',
        `every virtual account number under prefix ${prefix} (bank ${masterAccount.bankCode}) has been issued; ` +
          'the bank has to configure a new prefix',
        'masterAccountNo',
      );
    }
    const sequence = nextSequence(state.lastIssued);
    const data: VirtualAccountIssuedData = {
      virtualAccountNo: formatVirtualAccountNo(prefix, sequence),
      sequence: sequence.toString(),
      lotId,
      centerId: lot.centerId,
      masterAccountNo,
      bankCode: masterAccount.bankCode,
      ...(bidderId === undefined ? {} : { bidderId }),
    };
    return [{ type: 'VirtualAccountIssued', data }];
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'VirtualAccountIssued':
        return {
          prefix: event.data.virtualAccountNo.slice(0, VIRTUAL_ACCOUNT_PREFIX_LENGTH),
          lastIssued: BigInt(event.data.sequence),
        };
      default:
        return unreachable(event.type);
    }
  },
};
