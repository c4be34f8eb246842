import { type BasicAccountHolding, type BasicAccountState, type Table, basicAccountDecider, emptyTable, tableEntries, tableGet, tableSet } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * The operator's queue of basic-account conflicts (issue #14 item 5, docs/rules.md "Basic accounts"):
 * declarations in force that contradict the law's one basic account per company — an account held by
 * several bidders, or a bidder holding several accounts — across centers (or legacy declarations). They
 * decide no other center's lot (`basicAccountHoldersFor`); an operator settles one by declaring the bank's
 * account for the bidder (with evidence), which shadows or ends the others. Folded with the account
 * stream's own evolve; GET /v1/basic-account-conflicts lists what is open now.
 */
export interface BasicAccountConflictsModel extends Checkpointed {
  /** By account number: the declarations in force (every bank's; a number is unique per bank only). A table: a declaration copies no other account's. */
  readonly accounts: Table<readonly BasicAccountHolding[]>;
}

function applyConflicts(model: BasicAccountConflictsModel, event: ProjectionEvent): BasicAccountConflictsModel {
  const domainEvent = known(event);
  if (domainEvent.type !== 'BasicAccountDeclared' && domainEvent.type !== 'BasicAccountReplaced') return model;
  const { accountNo } = domainEvent.data;
  const before: BasicAccountState = { accountNo, declarations: [], holdings: tableGet(model.accounts, accountNo) ?? [] };
  const after = basicAccountDecider.evolve(before, domainEvent);
  const accounts = tableSet(model.accounts, accountNo, after.holdings);
  return model.position === undefined ? { accounts } : { accounts, position: model.position };
}

export const basicAccountConflictsProjection = defineProjection<BasicAccountConflictsModel>(
  'basic-account-conflicts',
  { accounts: emptyTable() },
  applyConflicts,
  (model, position) => ({ accounts: model.accounts, position }),
);

export interface ConflictingDeclaration extends BasicAccountHolding {
  readonly accountNo: string;
}

export type BasicAccountConflict =
  | { readonly kind: 'ACCOUNT_SHARED'; readonly bankCode: string; readonly accountNo: string; readonly declarations: readonly ConflictingDeclaration[] }
  | { readonly kind: 'BIDDER_ACCOUNTS_DIFFER'; readonly bidderId: string; readonly declarations: readonly ConflictingDeclaration[] };

/**
 * The open conflicts: accounts (bank and number) whose declarations in force name several bidders, then
 * bidders whose declarations in force name several accounts; accounts in number order. Where the bank
 * declared an account, its declaration shadows the centers' and legacy ones of that account (they decide
 * no lot).
 */
export function basicAccountConflicts(model: BasicAccountConflictsModel): BasicAccountConflict[] {
  const inForce: ConflictingDeclaration[] = [];
  const accounts = tableEntries(model.accounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [accountNo, holdings] of accounts) {
    for (const bankCode of new Set(holdings.map((held) => held.bankCode))) {
      const atBank = holdings.filter((held) => held.bankCode === bankCode);
      const bank = atBank.filter((held) => held.legacy === undefined && held.centerId === undefined);
      for (const held of bank.length > 0 ? bank : atBank) inForce.push({ ...held, accountNo });
    }
  }
  const conflicts: BasicAccountConflict[] = [];
  const byAccount = groupBy(inForce, (held) => `${held.bankCode}\u0000${held.accountNo}`);
  for (const declarations of byAccount.values()) {
    const [first] = declarations;
    if (first && new Set(declarations.map((held) => held.bidderId)).size > 1) {
      conflicts.push({ kind: 'ACCOUNT_SHARED', bankCode: first.bankCode, accountNo: first.accountNo, declarations });
    }
  }
  for (const [bidderId, declarations] of groupBy(inForce, (held) => held.bidderId)) {
    if (new Set(declarations.map((held) => `${held.bankCode}\u0000${held.accountNo}`)).size > 1) {
      conflicts.push({ kind: 'BIDDER_ACCOUNTS_DIFFER', bidderId, declarations });
    }
  }
  return conflicts;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}
