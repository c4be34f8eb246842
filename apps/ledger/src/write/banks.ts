import type { BankDirectory } from '@app/domain';
import type { BankConfig } from '../platform/config/ledger-config';

export const LEDGER_BANKS = Symbol('LEDGER_BANKS');

/** The banks this ledger serves and their virtual-account prefixes (VIRTUAL_ACCOUNT_PREFIXES). */
export class Banks implements BankDirectory {
  readonly prefixes: ReadonlySet<string>;
  readonly bankCodes: ReadonlySet<string>;
  /** The bank whose suspense account takes money to a number that names no bank of ours: the first configured. */
  readonly operatingBank: string;

  constructor(private readonly banks: readonly BankConfig[]) {
    const [first] = banks;
    if (first === undefined) throw new RangeError('a ledger serves at least one bank');
    this.operatingBank = first.bankCode;
    this.prefixes = new Set(banks.map((bank) => bank.virtualAccountPrefix));
    this.bankCodes = new Set(banks.map((bank) => bank.bankCode));
  }

  prefixOf(bankCode: string): string | undefined {
    return this.banks.find((bank) => bank.bankCode === bankCode)?.virtualAccountPrefix;
  }

  bankOfPrefix(prefix: string): string | undefined {
    return this.banks.find((bank) => bank.virtualAccountPrefix === prefix)?.bankCode;
  }
}
