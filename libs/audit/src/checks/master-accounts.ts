import { Decimal, type LotState, type Posting, addAmounts, formatAmount, subtractAmounts, tableGet } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { type BalancesModel, masterAccountBalance, suspenseBalance } from '@app/projections';
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
 * Per master account: its virtual sub-accounts. Per bank: its master accounts' sub-accounts plus the
 * bank's suspense, since unidentified money is known only by the bank whose prefix it was sent to.
 * The first event after which the three disagree is reported, per master account and per bank.
 */

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
  readonly masterAccounts: readonly string[];
  /** The suspense part, as posted. */
  readonly suspense: string;
}

const ZERO = Decimal('0');
const negate = (amount: string) => subtractAmounts(ZERO, Decimal(amount));

export class MasterAccountsCheck {
  private readonly factsByMaster = new Map<string, Decimal>();
  private readonly factsSuspense = new Map<string, Decimal>();
  private readonly postedByMaster = new Map<string, Decimal>();
  private readonly postedSuspense = new Map<string, Decimal>();
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
    const d = event.data as Record<string, any>;
    const onVirtual = (virtualAccountNo: string, delta: Decimal) => this.addVirtual(this.factsByMaster, virtualAccountNo, delta, touched, problems);
    const onSuspense = (bankCode: string, delta: Decimal) => this.addSuspense(this.factsSuspense, bankCode, delta, touched);
    const lot: LotState | undefined = this.domain.lotOfStream(event.streamName);
    const anchor = this.domain.anchors.get(event.streamName)?.state;
    // A refund or forfeiture takes the bond's tranches out of their virtual accounts; a failed refund puts them back.
    const tranchesOf = (bondId: string, direction: 'out' | 'back') => {
      const bond = lot?.bonds[bondId];
      if (!bond) return void problems.push(`bond ${bondId} is not in the lot`);
      for (const t of bond.tranches) onVirtual(t.virtualAccountNo, direction === 'out' ? Decimal(t.amount) : negate(t.amount));
    };
    const creditOf = (creditId: string) => {
      const credit = lot === undefined ? undefined : tableGet(lot.credits, creditId);
      if (!credit) problems.push(`credit ${creditId} is not in the lot`);
      return credit;
    };
    switch (event.type) {
      case 'BondCredited':
        onVirtual(d.virtualAccountNo, negate(d.amount));
        if (d.source === 'SUSPENSE') onSuspense(d.bankCode, Decimal(d.amount));
        break;
      case 'CreditReversed': {
        const credit = creditOf(d.creditId);
        if (credit) onVirtual(credit.virtualAccountNo, Decimal(credit.amount));
        break;
      }
      case 'SuspenseMatchVoided': {
        const credit = creditOf(d.creditId);
        if (credit) {
          onVirtual(credit.virtualAccountNo, Decimal(credit.amount));
          onSuspense(credit.bankCode, negate(credit.amount));
        }
        break;
      }
      case 'RefundInstructed':
      case 'BondForfeited':
        tranchesOf(d.bondId, 'out');
        break;
      case 'RefundFailed':
        tranchesOf(d.bondId, 'back');
        break;
      case 'CreditSuspended':
        onSuspense(d.bankCode, negate(anchor?.received?.amount ?? d.amount));
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
      const figures = kind === 'master' ? this.masterFigures(id, balances) : this.bankFigures(id, balances);
      const agree = figures.fromFacts === figures.fromPostings && figures.fromPostings === figures.projected;
      if (agree) {
        this.broken.delete(key);
        continue;
      }
      if (this.broken.has(key)) continue;
      this.broken.add(key);
      const what = kind === 'master' ? `master account ${id}: its virtual sub-accounts` : `bank ${id}: its master accounts' sub-accounts plus its suspense`;
      findings.push({
        check: 'master-accounts',
        code: kind === 'master' ? 'MASTER_ACCOUNT_MISMATCH' : 'BANK_CUSTODY_MISMATCH',
        message: `${what} are ${figures.fromPostings} by postings, ${figures.fromFacts} by the payment facts, ${figures.projected} in the balances read model`,
        event,
        details: { [kind === 'master' ? 'masterAccountNo' : 'bankCode']: id, ...figures },
      });
    }
    return findings;
  }

  /** Every master account and bank seen, for the report. */
  figures(balances: BalancesModel): { masterAccounts: MasterAccountFigures[]; banks: BankFigures[] } {
    const accountNos = new Set([...this.domain.masterAccounts.keys(), ...[...this.mastersOfBank.values()].flatMap((set) => [...set])]);
    const masterAccounts = [...accountNos].sort().map((accountNo) => {
      const opened = this.domain.masterAccounts.get(accountNo);
      const projected = masterAccountBalance(balances, accountNo);
      return {
        accountNo,
        bankCode: opened?.bankCode ?? projected?.bankCode ?? '',
        centerId: opened?.centerId ?? projected?.centerId ?? '',
        virtualAccounts: projected?.virtualAccountCount ?? 0,
        ...this.masterFigures(accountNo, balances),
      };
    });
    const bankCodes = new Set([...masterAccounts.map((m) => m.bankCode), ...this.factsSuspense.keys(), ...this.postedSuspense.keys()]);
    const banks = [...bankCodes].filter((code) => code !== '').sort().map((bankCode) => ({
      bankCode,
      masterAccounts: masterAccounts.filter((m) => m.bankCode === bankCode).map((m) => m.accountNo),
      suspense: formatAmount(this.postedSuspense.get(bankCode) ?? ZERO),
      ...this.bankFigures(bankCode, balances),
    }));
    return { masterAccounts, banks };
  }

  private masterFigures(accountNo: string, balances: BalancesModel): CustodyFigures {
    return {
      fromFacts: formatAmount(this.factsByMaster.get(accountNo) ?? ZERO),
      fromPostings: formatAmount(this.postedByMaster.get(accountNo) ?? ZERO),
      projected: masterAccountBalance(balances, accountNo)?.subAccountsBalance ?? '0.00',
    };
  }

  private bankFigures(bankCode: string, balances: BalancesModel): CustodyFigures {
    const masters = [...(this.mastersOfBank.get(bankCode) ?? [])];
    const sum = (amounts: Decimal[]) => formatAmount(amounts.reduce((a, b) => addAmounts(a, b), ZERO));
    return {
      fromFacts: sum([...masters.map((m) => this.factsByMaster.get(m) ?? ZERO), this.factsSuspense.get(bankCode) ?? ZERO]),
      fromPostings: sum([...masters.map((m) => this.postedByMaster.get(m) ?? ZERO), this.postedSuspense.get(bankCode) ?? ZERO]),
      projected: sum([
        ...masters.map((m) => Decimal(masterAccountBalance(balances, m)?.subAccountsBalance ?? '0.00')),
        Decimal(suspenseBalance(balances, bankCode)),
      ]),
    };
  }

  private addVirtual(into: Map<string, Decimal>, virtualAccountNo: string, delta: Decimal, touched: Set<Key>, problems: string[]): void {
    const link = this.domain.virtualAccounts.get(virtualAccountNo);
    if (!link) return void problems.push(`virtual account ${virtualAccountNo} was never issued`);
    into.set(link.masterAccountNo, addAmounts(into.get(link.masterAccountNo) ?? ZERO, delta));
    const masters = this.mastersOfBank.get(link.bankCode) ?? new Set<string>();
    this.mastersOfBank.set(link.bankCode, masters.add(link.masterAccountNo));
    touched.add(`master:${link.masterAccountNo}`);
    touched.add(`bank:${link.bankCode}`);
  }

  private addSuspense(into: Map<string, Decimal>, bankCode: string, delta: Decimal, touched: Set<Key>): void {
    into.set(bankCode, addAmounts(into.get(bankCode) ?? ZERO, delta));
    touched.add(`bank:${bankCode}`);
  }
}

export type CustodyKey = Key;
