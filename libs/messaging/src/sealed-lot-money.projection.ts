import { amountOfFen, fenOf, sealedDataAccess } from '@app/domain';
import {
  type Checkpointed,
  type ProjectionEvent,
  type Table,
  defineProjection,
  emptyTable,
  known,
  masterAccountKey,
  postingsOf,
  tableDelete,
  tableEntries,
  tableGet,
  tableHas,
  tableSet,
  tableUpdate,
} from '@app/projections';

/**
 * What sealed lots' money moved on the accounts the publisher shows at all times (bank-level ledger
 * accounts, master-account totals), so that it can leave it out until each lot's bids are opened
 * (docs/topics.md "Confidentiality"). Without it a consumer of `ledger.balances.v2` reads each payment
 * into a sealed lot, its amount and its time, off the clearing account or the master account's total.
 *
 * An event is a lot's when its data names the lot (`lotId`: credits, reversals, suspense matches into
 * the lot, refunds, forfeitures), else when its postings touch one of the lot's virtual accounts. Its
 * postings are held back while `sealedDataAccess('subscriber', …)` withholds the lot's money; at the
 * lot's `BidsOpened` the policy shows it and the lot's part is released. Money of no lot (a credit
 * suspended for an unknown account, its return or reversal) is bank-level and held back by no lot.
 */

/** Debits minus credits one lot moved while sealed. */
export interface SealedLotMoney {
  /** Ledger account id (`clearing:…`, `suspense:…`, …; never `virtual:…`) → amount. */
  readonly accounts: Table<string>;
  /** `masterAccountKey(bankCode, accountNo)` of @app/projections → amount moved on its sub-accounts. */
  readonly masters: Table<string>;
}

export interface SealedLotMoneyModel extends Checkpointed {
  /** Virtual account number → its lot and its master account (`masterAccountKey`). */
  readonly virtualAccounts: Table<{ readonly lotId: string; readonly master: string }>;
  /** Lots whose `BidsOpened` was seen: the phase the policy is asked about. */
  readonly openedLots: Table<true>;
  /** Lot id → what it moved while sealed; dropped at its opening. A lot terminated unopened stays. */
  readonly lots: Table<SealedLotMoney>;
  /** The sums over `lots`, per account and per master account: what the published figures leave out. */
  readonly withheld: SealedLotMoney;
  /**
   * Ledger accounts moved by money outside sealed lots, or released by an opening: only these are
   * published (an account that only a sealed lot's money ever moved would appear with its first credit).
   */
  readonly shownAccounts: Table<true>;
}

const NO_MONEY: SealedLotMoney = { accounts: emptyTable(), masters: emptyTable() };

function model(
  m: SealedLotMoneyModel,
  changes: Partial<Omit<SealedLotMoneyModel, 'position'>>,
  position = m.position,
): SealedLotMoneyModel {
  const virtualAccounts = changes.virtualAccounts ?? m.virtualAccounts;
  const openedLots = changes.openedLots ?? m.openedLots;
  const lots = changes.lots ?? m.lots;
  const withheld = changes.withheld ?? m.withheld;
  const shownAccounts = changes.shownAccounts ?? m.shownAccounts;
  return position === undefined
    ? { virtualAccounts, openedLots, lots, withheld, shownAccounts }
    : { virtualAccounts, openedLots, lots, withheld, shownAccounts, position };
}

/** Whether the policy withholds the lot's money from subscribers now; an unknown lot is sealed (fail closed). */
export function lotMoneyWithheld(m: SealedLotMoneyModel, lotId: string): boolean {
  return sealedDataAccess('subscriber', { bidsOpened: tableHas(m.openedLots, lotId) }) !== 'SHOWN';
}

const add = (table: Table<string>, key: string, fen: bigint, sign: 1n | -1n = 1n): Table<string> => {
  const sum = fenOf(tableGet(table, key) ?? '0.00') + sign * fen;
  // A figure back at zero leaves the table: nothing to leave out there.
  return sum === 0n ? tableDelete(table, key) : tableSet(table, key, amountOfFen(sum));
};

/** The lot an event's money belongs to: the one its data names, else the one of a virtual account it posts to. */
function lotOf(m: SealedLotMoneyModel, event: ProjectionEvent, accounts: readonly string[]): string | undefined {
  const named = (event.data as { lotId?: unknown } | null)?.lotId;
  if (typeof named === 'string') return named;
  for (const account of accounts) {
    if (account.startsWith('virtual:')) {
      const link = tableGet(m.virtualAccounts, account.slice('virtual:'.length));
      if (link) return link.lotId;
    }
  }
  return undefined;
}

function hold(m: SealedLotMoneyModel, lotId: string, event: ProjectionEvent): SealedLotMoneyModel {
  let { accounts, masters } = tableGet(m.lots, lotId) ?? NO_MONEY;
  let withheld = m.withheld;
  for (const posting of postingsOf(event)) {
    const fen = posting.side === 'DEBIT' ? fenOf(posting.amount) : -fenOf(posting.amount);
    if (posting.account.startsWith('virtual:')) {
      // A sub-account moves its master account's total; the sub-account itself is sealed with its lot.
      const link = tableGet(m.virtualAccounts, posting.account.slice('virtual:'.length));
      if (!link) continue;
      masters = add(masters, link.master, fen);
      withheld = { accounts: withheld.accounts, masters: add(withheld.masters, link.master, fen) };
    } else {
      accounts = add(accounts, posting.account, fen);
      withheld = { accounts: add(withheld.accounts, posting.account, fen), masters: withheld.masters };
    }
  }
  return model(m, { lots: tableSet(m.lots, lotId, { accounts, masters }), withheld });
}

function show(shownAccounts: Table<true>, accounts: Iterable<string>): Table<true> {
  let shown = shownAccounts;
  for (const account of accounts) if (!account.startsWith('virtual:') && !tableHas(shown, account)) shown = tableSet(shown, account, true);
  return shown;
}

function release(m: SealedLotMoneyModel, lotId: string): SealedLotMoneyModel {
  const money = tableGet(m.lots, lotId);
  if (!money) return m;
  let { accounts, masters } = m.withheld;
  for (const [account, amount] of tableEntries(money.accounts)) accounts = add(accounts, account, fenOf(amount), -1n);
  for (const [master, amount] of tableEntries(money.masters)) masters = add(masters, master, fenOf(amount), -1n);
  return model(m, {
    lots: tableDelete(m.lots, lotId),
    withheld: { accounts, masters },
    shownAccounts: show(m.shownAccounts, tableEntries(money.accounts).map(([account]) => account)),
  });
}

function applySealedLotMoney(m: SealedLotMoneyModel, event: ProjectionEvent): SealedLotMoneyModel {
  // Most events are neither: read their postings without decoding them.
  const domainEvent = event.type === 'VirtualAccountIssued' || event.type === 'BidsOpened' ? known(event) : undefined;
  switch (domainEvent?.type) {
    case 'VirtualAccountIssued': {
      const { virtualAccountNo, lotId, bankCode, masterAccountNo } = domainEvent.data;
      if (tableHas(m.virtualAccounts, virtualAccountNo)) return m;
      return model(m, { virtualAccounts: tableSet(m.virtualAccounts, virtualAccountNo, { lotId, master: masterAccountKey(bankCode, masterAccountNo) }) });
    }
    case 'BidsOpened': {
      const { lotId } = domainEvent.data;
      const opened = model(m, { openedLots: tableUpdate(m.openedLots, lotId, () => true) });
      return lotMoneyWithheld(opened, lotId) ? opened : release(opened, lotId);
    }
    default: {
      const postings = postingsOf(event);
      if (postings.length === 0) return m;
      const accounts = postings.map((posting) => posting.account);
      const lotId = lotOf(m, event, accounts);
      if (lotId !== undefined && lotMoneyWithheld(m, lotId)) return hold(m, lotId, event);
      return model(m, { shownAccounts: show(m.shownAccounts, accounts) });
    }
  }
}

/** The publisher's record of sealed lots' money (pure, like the projections of @app/projections). */
export const sealedLotMoneyProjection = defineProjection<SealedLotMoneyModel>(
  'sealed-lot-money',
  { virtualAccounts: emptyTable(), openedLots: emptyTable(), lots: emptyTable(), withheld: NO_MONEY, shownAccounts: emptyTable() },
  applySealedLotMoney,
  (m, position) => model(m, {}, position),
);

/** What sealed lots' money moved on a ledger account, as debits minus credits in fen (0 when nothing). */
export function withheldFromAccount(m: SealedLotMoneyModel, account: string): bigint {
  return fenOf(tableGet(m.withheld.accounts, account) ?? '0.00');
}

/** What sealed lots' money moved on a master account's sub-accounts, in fen. */
export function withheldFromMaster(m: SealedLotMoneyModel, bankCode: string, accountNo: string): bigint {
  return fenOf(tableGet(m.withheld.masters, masterAccountKey(bankCode, accountNo)) ?? '0.00');
}

/** The lot's sealed-time money, if any is still held back (its opening releases it). */
export function sealedMoneyOf(m: SealedLotMoneyModel, lotId: string): SealedLotMoney | undefined {
  return tableGet(m.lots, lotId);
}
