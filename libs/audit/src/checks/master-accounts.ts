import { Decimal, type LotState, type Posting, addAmounts, formatAmount, ledgerEvents, subtractAmounts, tableGet, lotBond } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { type BalancesModel, masterAccountBalance, masterAccountKey, suspenseBalance } from '@app/projections';
import type { DomainState } from '../domain-state';
import type { EventRef, Finding } from '../findings';

/**
 * The custody identity, checked after every event that moves money. All figures in the ledger's sign
 * (debits minus credits: money held for bidders reads negative), each computed three ways:
 * - from the payment facts: the amounts of credits, reversals, suspense returns, refunds and
 *   forfeitures, placed on virtual accounts through the lot's own tranches, never through postings
 *   (what the bank's statement of the real account would show);
 * - from the postings' legs on `virtual:` and `suspense:` accounts;
 * - from the balances read model (`subAccountsBalance`, `suspenseByBank`), as served and published.
 * Per master account: its virtual sub-accounts. A master account is one bank's: it is known by bank
 * and number (the same number may be opened at two banks, two accounts), and a sub-account belongs to
 * the master account its `VirtualAccountIssued` names by `bankCode` and `masterAccountNo`. Per bank: its
 * master accounts' sub-accounts plus the bank's suspense, since unidentified money is known only by
 * the bank whose prefix it was sent to. The first event after which the three disagree is reported,
 * per master account and per bank.
 */

/** `master:{bankCode}:{accountNo}` (the `masterAccountKey` after `master:`) or `bank:{bankCode}`. */
type Key = `master:${string}` | `bank:${string}`;

export interface CustodyFigures {
  readonly fromFacts: string;
  readonly fromPostings: string;
  readonly projected: string;
}

export interface MasterAccountFigures extends CustodyFigures {
  readonly accountNo: string;
  readonly bankCode: string;
  readonly centerId: string;
  readonly virtualAccounts: number;
}

export interface BankFigures extends CustodyFigures {
  readonly bankCode: string;
  /** The numbers of the bank's master accounts (unique within a bank). */
  readonly masterAccounts: readonly string[];
  /** The suspense part, as posted. */
  readonly suspense: string;
}

const ZERO = Decimal('0');
const negate = (amount: string) => subtractAmounts(ZERO, Decimal(amount));

interface MasterAccountId {
  readonly bankCode: string;
  readonly accountNo: string;
}

export class MasterAccountsCheck {
  /** By `masterAccountKey(bankCode, accountNo)`. */
  private readonly factsByMaster = new Map<string, Decimal>();
  private readonly factsSuspense = new Map<string, Decimal>();
  /** By `masterAccountKey(bankCode, accountNo)`. */
  private readonly postedByMaster = new Map<string, Decimal>();
  private readonly postedSuspense = new Map<string, Decimal>();
  /** Bank code → the numbers of its master accounts that sub-account money was seen on. */
  private readonly mastersOfBank = new Map<string, Set<string>>();
  private readonly broken = new Set<Key>();
  comparisons = 0;

  constructor(private readonly domain: DomainState) {}

  /**
   * The money the event moves by the payment facts, read before the domain state takes it (a refund's
   * tranches are the bond's just before). Returns what cannot be placed (an unknown virtual account).
   */
  takeFacts(event: RecordedEvent, touched: Set<Key>): string[] {
    const problems: string[] = [];
    const onVirtual = (virtualAccountNo: string, delta: Decimal) => this.addVirtual(this.factsByMaster, virtualAccountNo, delta, touched, problems);
    const onSuspense = (bankCode: string, delta: Decimal) => this.addSuspense(this.factsSuspense, bankCode, delta, touched);
    const lot: LotState | undefined = this.domain.lotOfStream(event.streamName);
    const anchor = this.domain.anchors.get(event.streamName)?.state;
    // A refund or forfeiture takes the bond's tranches out of their virtual accounts; a failed refund puts them back.
    const tranchesOf = (bondId: string, direction: 'out' | 'back') => {
      const bond = (lot && lotBond(lot, bondId));
      if (!bond) return void problems.push(`bond ${bondId} is not in the lot`);
      for (const t of bond.tranches) onVirtual(t.virtualAccountNo, direction === 'out' ? Decimal(t.amount) : negate(t.amount));
    };
    const creditOf = (creditId: string) => {
      const credit = lot === undefined ? undefined : tableGet(lot.credits, creditId);
      if (!credit) problems.push(`credit ${creditId} is not in the lot`);
      return credit;
    };
    const domainEvent = ledgerEvents.decodeIfKnown(event);
    switch (domainEvent?.type) {
      case 'BondCredited': {
        const d = domainEvent.data;
        onVirtual(d.virtualAccountNo, negate(d.amount));
        if (d.source === 'SUSPENSE') onSuspense(d.bankCode, Decimal(d.amount));
        break;
      }
      case 'CreditReversed': {
        const credit = creditOf(domainEvent.data.creditId);
        if (credit) onVirtual(credit.virtualAccountNo, Decimal(credit.amount));
        break;
      }
      case 'SuspenseMatchVoided': {
        const credit = creditOf(domainEvent.data.creditId);
        if (credit) {
          onVirtual(credit.virtualAccountNo, Decimal(credit.amount));
          onSuspense(credit.bankCode, negate(credit.amount));
        }
        break;
      }
      case 'RefundInstructed':
      case 'BondForfeited':
        tranchesOf(domainEvent.data.bondId, 'out');
        break;
      case 'RefundFailed':
        tranchesOf(domainEvent.data.bondId, 'back');
        break;
      case 'CreditSuspended':
        onSuspense(domainEvent.data.bankCode, negate(anchor?.received?.amount ?? domainEvent.data.amount));
        break;
      case 'SuspenseReturned':
        if (anchor?.received && anchor.suspenseBank) onSuspense(anchor.suspenseBank, Decimal(anchor.received.amount));
        break;
      case 'InboundCreditReversed':
        if (anchor?.status === 'SUSPENDED' && anchor.received && anchor.suspenseBank) onSuspense(anchor.suspenseBank, Decimal(anchor.received.amount));
        break;
      default:
        break;
    }
    return problems;
  }

  /** The legs of a balanced posting set on virtual and suspense accounts. */
  takePostings(postings: readonly Posting[], touched: Set<Key>): string[] {
    const problems: string[] = [];
    for (const posting of postings) {
      const colon = posting.account.indexOf(':');
      const [kind, identifier] = [posting.account.slice(0, colon), posting.account.slice(colon + 1)];
      const signed = posting.side === 'DEBIT' ? Decimal(posting.amount) : negate(posting.amount);
      if (kind === 'virtual') this.addVirtual(this.postedByMaster, identifier, signed, touched, problems);
      else if (kind === 'suspense') this.addSuspense(this.postedSuspense, identifier, signed, touched);
    }
    return problems;
  }

  /** Compares the three figures of what the event touched, after the read models took it. */
  compare(touched: ReadonlySet<Key>, balances: BalancesModel, event: EventRef): Finding[] {
    const findings: Finding[] = [];
    for (const key of touched) {
      this.comparisons += 1;
      const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const master = kind === 'master' ? { bankCode: id.slice(0, id.indexOf(':')), accountNo: id.slice(id.indexOf(':') + 1) } : undefined;
      const figures = master ? this.masterFigures(master, balances) : this.bankFigures(id, balances);
      const agree = figures.fromFacts === figures.fromPostings && figures.fromPostings === figures.projected;
      if (agree) {
        this.broken.delete(key);
        continue;
      }
      if (this.broken.has(key)) continue;
      this.broken.add(key);
      const what = master
        ? `master account ${master.accountNo} at bank ${master.bankCode}: its virtual sub-accounts`
        : `bank ${id}: its master accounts' sub-accounts plus its suspense`;
      findings.push({
        check: 'master-accounts',
        code: master ? 'MASTER_ACCOUNT_MISMATCH' : 'BANK_CUSTODY_MISMATCH',
        message: `${what} are ${figures.fromPostings} by postings, ${figures.fromFacts} by the payment facts, ${figures.projected} in the balances read model`,
        event,
        details: master ? { masterAccountNo: master.accountNo, bankCode: master.bankCode, ...figures } : { bankCode: id, ...figures },
      });
    }
    return findings;
  }

  /**
   * Every master account (by bank and number: both accounts of a number opened at two banks) and bank
   * seen, for the report; master accounts sorted by number, then bank.
   */
  figures(balances: BalancesModel): { masterAccounts: MasterAccountFigures[]; banks: BankFigures[] } {
    const ids = new Map<string, MasterAccountId>();
    for (const { bankCode, accountNo } of this.domain.masterAccounts.values()) ids.set(masterAccountKey(bankCode, accountNo), { bankCode, accountNo });
    for (const [bankCode, accountNos] of this.mastersOfBank) {
      for (const accountNo of accountNos) ids.set(masterAccountKey(bankCode, accountNo), { bankCode, accountNo });
    }
    const order = (a: MasterAccountId, b: MasterAccountId) =>
      a.accountNo < b.accountNo ? -1 : a.accountNo > b.accountNo ? 1 : a.bankCode < b.bankCode ? -1 : a.bankCode > b.bankCode ? 1 : 0;
    const masterAccounts = [...ids.values()].sort(order).map((id) => {
      const opened = this.domain.masterAccounts.get(masterAccountKey(id.bankCode, id.accountNo));
      const projected = masterAccountBalance(balances, id.bankCode, id.accountNo);
      return {
        accountNo: id.accountNo,
        bankCode: id.bankCode,
        centerId: opened?.centerId ?? projected?.centerId ?? '',
        virtualAccounts: projected?.virtualAccountCount ?? 0,
        ...this.masterFigures(id, balances),
      };
    });
    const bankCodes = new Set([...masterAccounts.map((m) => m.bankCode), ...this.factsSuspense.keys(), ...this.postedSuspense.keys()]);
    const banks = [...bankCodes].sort().map((bankCode) => ({
      bankCode,
      masterAccounts: masterAccounts.filter((m) => m.bankCode === bankCode).map((m) => m.accountNo),
      suspense: formatAmount(this.postedSuspense.get(bankCode) ?? ZERO),
      ...this.bankFigures(bankCode, balances),
    }));
    return { masterAccounts, banks };
  }

  private masterFigures({ bankCode, accountNo }: MasterAccountId, balances: BalancesModel): CustodyFigures {
    const key = masterAccountKey(bankCode, accountNo);
    return {
      fromFacts: formatAmount(this.factsByMaster.get(key) ?? ZERO),
      fromPostings: formatAmount(this.postedByMaster.get(key) ?? ZERO),
      projected: masterAccountBalance(balances, bankCode, accountNo)?.subAccountsBalance ?? '0.00',
    };
  }

  private bankFigures(bankCode: string, balances: BalancesModel): CustodyFigures {
    const masters = [...(this.mastersOfBank.get(bankCode) ?? [])];
    const sum = (amounts: Decimal[]) => formatAmount(amounts.reduce((a, b) => addAmounts(a, b), ZERO));
    const key = (accountNo: string) => masterAccountKey(bankCode, accountNo);
    return {
      fromFacts: sum([...masters.map((m) => this.factsByMaster.get(key(m)) ?? ZERO), this.factsSuspense.get(bankCode) ?? ZERO]),
      fromPostings: sum([...masters.map((m) => this.postedByMaster.get(key(m)) ?? ZERO), this.postedSuspense.get(bankCode) ?? ZERO]),
      projected: sum([
        ...masters.map((m) => Decimal(masterAccountBalance(balances, bankCode, m)?.subAccountsBalance ?? '0.00')),
        Decimal(suspenseBalance(balances, bankCode)),
      ]),
    };
  }

  private addVirtual(into: Map<string, Decimal>, virtualAccountNo: string, delta: Decimal, touched: Set<Key>, problems: string[]): void {
    const link = this.domain.virtualAccounts.get(virtualAccountNo);
    if (!link) return void problems.push(`virtual account ${virtualAccountNo} was never issued`);
    // The bankCode is its master account's bank.
    const key = masterAccountKey(link.bankCode, link.masterAccountNo);
    into.set(key, addAmounts(into.get(key) ?? ZERO, delta));
    const masters = this.mastersOfBank.get(link.bankCode) ?? new Set<string>();
    this.mastersOfBank.set(link.bankCode, masters.add(link.masterAccountNo));
    touched.add(`master:${key}`);
    touched.add(`bank:${link.bankCode}`);
  }

  private addSuspense(into: Map<string, Decimal>, bankCode: string, delta: Decimal, touched: Set<Key>): void {
    into.set(bankCode, addAmounts(into.get(bankCode) ?? ZERO, delta));
    touched.add(`bank:${bankCode}`);
  }
}

export type CustodyKey = Key;
