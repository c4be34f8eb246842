import {
  amountOfFen,
  balancedPostings,
  emptyTable,
  fenOf,
  own,
  type Posting,
  type Table,
  tableChange,
  tableEntries,
  tableGet,
  tableSet,
  tableUpdate,
  tableValues,
} from '@app/domain';
import { known, postingsOf } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * Ledger balances: every account that appears in any event's `postings`, as DEBITS MINUS CREDITS
 * (`balancesOf` of `libs/domain/src/ledger/balances.ts`: a liability holding 100.00 reads "-100.00"),
 * decimal strings with two decimals. Also, in the same sign, each master account's total over its
 * virtual sub-accounts (the sub-account → master account link comes from `VirtualAccountIssued`) and
 * each bank's suspense. A master account is one bank's account: it is keyed by bank and number
 * (`masterAccountKey`), as the same number may be opened at two banks, and a sub-account joins the
 * master account of its `VirtualAccountIssued`'s `bankCode` and `masterAccountNo`.
 *
 * Each posting set is re-checked with `balancedPostings`, as `balancesOf` does: an unbalanced set in
 * the log is corruption and throws (the runner stops rather than publish wrong balances), so the
 * balances of all accounts always sum to zero. Events without postings move no money.
 */

export interface VirtualAccountLink {
  readonly virtualAccountNo: string;
  readonly masterAccountNo: string;
  /** The master account's bank (the virtual number carries that bank's prefix). */
  readonly bankCode: string;
  readonly lotId: string;
  readonly centerId: string;
  readonly bidderId?: string;
}

export interface MasterAccountBalance {
  readonly accountNo: string;
  readonly bankCode: string;
  readonly centerId: string;
  /** Absent until `MasterAccountOpened` has been seen (a sub-account issued under it names the account first). */
  readonly accountName?: string;
  /** The sum of the balances of its virtual sub-accounts (debits minus credits). */
  readonly subAccountsBalance: string;
  readonly virtualAccountCount: number;
}

export interface BalancesModel extends Checkpointed {
  /** Ledger account id (`virtual:…`, `clearing:…`, …) → balance. */
  readonly accounts: Table<string>;
  /** Virtual account number → its master account. */
  readonly virtualAccounts: Table<VirtualAccountLink>;
  /** `masterAccountKey(bankCode, accountNo)` → the master account and the sum of its sub-accounts. */
  readonly masterAccounts: Table<MasterAccountBalance>;
  /** Bank code → balance of `suspense:{bankCode}` (kept apart so a bank's suspense reads in one step). */
  readonly suspenseByBank: { readonly [bankCode: string]: string };
}

const ZERO = '0.00';

/**
 * A master account's key in `masterAccounts`: `{bankCode}:{accountNo}`. An account number is unique per
 * bank only (the write side's stream is `master-account-{bankCode}-{accountNo}`); served bank codes hold
 * no ':' (configuration), so the key names one account.
 */
export function masterAccountKey(bankCode: string, accountNo: string): string {
  return `${bankCode}:${accountNo}`;
}

/** Exact integer fen (balances and amounts all have two decimals): cheaper per posting than Decimal. */
const plus = (balance: string, change: bigint) => amountOfFen(fenOf(balance) + change);
const signed = (posting: Posting) => (posting.side === 'DEBIT' ? fenOf(posting.amount) : -fenOf(posting.amount));

/** The model as one literal (objects.ts). */
function balancesModel(model: BalancesModel, changes: Partial<BalancesModel>, position = model.position): BalancesModel {
  const accounts = changes.accounts ?? model.accounts;
  const virtualAccounts = changes.virtualAccounts ?? model.virtualAccounts;
  const masterAccounts = changes.masterAccounts ?? model.masterAccounts;
  const suspenseByBank = changes.suspenseByBank ?? model.suspenseByBank;
  return position === undefined
    ? { accounts, virtualAccounts, masterAccounts, suspenseByBank }
    : { accounts, virtualAccounts, masterAccounts, suspenseByBank, position };
}

/** A master account's figures as one literal (objects.ts). */
function masterWith(master: MasterAccountBalance, subAccountsBalance: string, virtualAccountCount: number): MasterAccountBalance {
  const { accountNo, bankCode, centerId, accountName } = master;
  return accountName === undefined
    ? { accountNo, bankCode, centerId, subAccountsBalance, virtualAccountCount }
    : { accountNo, bankCode, centerId, accountName, subAccountsBalance, virtualAccountCount };
}

const VIRTUAL = 'virtual:';
const SUSPENSE = 'suspense:';

function post(model: BalancesModel, postings: readonly Posting[]): BalancesModel {
  let { accounts, masterAccounts, suspenseByBank } = model;
  for (const posting of balancedPostings(postings)) {
    const change = signed(posting);
    const account = posting.account;
    accounts = tableUpdate(accounts, account, (balance) => plus(balance ?? ZERO, change));
    // The account's kind is the text before its first ':' (`virtual:{number}`, `suspense:{bankCode}`).
    if (account.startsWith(VIRTUAL)) {
      const link = tableGet(model.virtualAccounts, account.slice(VIRTUAL.length));
      if (link) {
        masterAccounts = tableChange(masterAccounts, masterAccountKey(link.bankCode, link.masterAccountNo), (master) =>
          masterWith(master, plus(master.subAccountsBalance, change), master.virtualAccountCount),
        );
      }
    } else if (account.startsWith(SUSPENSE)) {
      const identifier = account.slice(SUSPENSE.length);
      suspenseByBank = { ...suspenseByBank, [identifier]: plus(own(suspenseByBank, identifier) ?? ZERO, change) };
    }
  }
  return balancesModel(model, { accounts, masterAccounts, suspenseByBank });
}

function applyBalances(model: BalancesModel, event: ProjectionEvent): BalancesModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'MasterAccountOpened': {
      const { accountNo, bankCode, centerId, accountName } = domainEvent.data;
      const masterAccounts = tableUpdate(model.masterAccounts, masterAccountKey(bankCode, accountNo), (master) => ({
        accountNo,
        bankCode,
        centerId,
        accountName,
        subAccountsBalance: master?.subAccountsBalance ?? ZERO,
        virtualAccountCount: master?.virtualAccountCount ?? 0,
      }));
      return balancesModel(model, { masterAccounts });
    }
    case 'VirtualAccountIssued': {
      const { virtualAccountNo, masterAccountNo, bankCode, lotId, centerId, bidderId } = domainEvent.data;
      if (tableGet(model.virtualAccounts, virtualAccountNo)) return model;
      const link: VirtualAccountLink = {
        virtualAccountNo,
        masterAccountNo,
        bankCode,
        lotId,
        centerId,
        ...(bidderId === undefined ? {} : { bidderId }),
      };
      // Postings never precede the issue in the log, but if they did their sum joins the master here.
      const alreadyPosted = tableGet(model.accounts, `virtual:${virtualAccountNo}`) ?? ZERO;
      // The event's bankCode is the master account's bank: the number alone may name accounts at two banks.
      const masterAccounts = tableUpdate(model.masterAccounts, masterAccountKey(bankCode, masterAccountNo), (master) =>
        masterWith(
          master ?? { accountNo: masterAccountNo, bankCode, centerId, subAccountsBalance: ZERO, virtualAccountCount: 0 },
          plus(master?.subAccountsBalance ?? ZERO, fenOf(alreadyPosted)),
          (master?.virtualAccountCount ?? 0) + 1,
        ),
      );
      return balancesModel(model, { virtualAccounts: tableSet(model.virtualAccounts, virtualAccountNo, link), masterAccounts });
    }
    default: {
      const postings = postingsOf(event);
      return postings.length === 0 ? model : post(model, postings);
    }
  }
}

export const balancesProjection = defineProjection<BalancesModel>(
  'balances',
  { accounts: emptyTable(), virtualAccounts: emptyTable(), masterAccounts: emptyTable(), suspenseByBank: {} },
  applyBalances,
  (model, position) => balancesModel(model, {}, position),
);

// Queries

/** An account's balance, "0.00" for an account never posted to. */
export function accountBalance(model: BalancesModel, account: string): string {
  return tableGet(model.accounts, account) ?? ZERO;
}

/** Every account posted to, sorted by account id. */
export function allAccountBalances(model: BalancesModel): Record<string, string> {
  return Object.fromEntries(tableEntries(model.accounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function virtualAccountBalance(model: BalancesModel, virtualAccountNo: string): { link?: VirtualAccountLink; balance: string } {
  const link = tableGet(model.virtualAccounts, virtualAccountNo);
  const balance = accountBalance(model, `virtual:${virtualAccountNo}`);
  return link ? { link, balance } : { balance };
}

/** The master account of this number at this bank. */
export function masterAccountBalance(model: BalancesModel, bankCode: string, accountNo: string): MasterAccountBalance | undefined {
  return tableGet(model.masterAccounts, masterAccountKey(bankCode, accountNo));
}

/** Every master account of this number, one per bank that holds one, sorted by bank code. */
export function masterAccountsNumbered(model: BalancesModel, accountNo: string): MasterAccountBalance[] {
  return tableValues(model.masterAccounts)
    .filter((master) => master.accountNo === accountNo)
    .sort((a, b) => (a.bankCode < b.bankCode ? -1 : a.bankCode > b.bankCode ? 1 : 0));
}

/** The virtual sub-accounts of one master account (by its bank and number). */
export function virtualAccountsOf(model: BalancesModel, bankCode: string, accountNo: string): VirtualAccountLink[] {
  return tableValues(model.virtualAccounts).filter((link) => link.bankCode === bankCode && link.masterAccountNo === accountNo);
}

/** The balance of `suspense:{bankCode}`. */
export function suspenseBalance(model: BalancesModel, bankCode: string): string {
  return own(model.suspenseByBank, bankCode) ?? ZERO;
}
