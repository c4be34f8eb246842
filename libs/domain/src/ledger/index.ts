export {
  clearingAccount,
  virtualSubAccount,
  suspenseAccount,
  interestExpenseAccount,
  centerSettlementAccount,
} from './ledger-accounts';
export {
  UnbalancedPostingsError,
  balancedPostings,
  postings,
  transfer,
  type Posting,
  type PostingSide,
} from './postings';
export { balancesOf } from './balances';
