import type { BankDirectory } from '@app/domain';
import type { BankConfig } from '../platform/config/ledger-config';

export const LEDGER_BANKS = Symbol('LEDGER_BANKS');

/** The banks this ledger serves and their virtual-account prefixes (VIRTUAL_ACCOUNT_PREFIXES). */
export class Banks implements BankDirectory {
  readonly prefixes: ReadonlySet<string>;
  readonly bankCodes: ReadonlySet<string>;

  constructor(private readonly banks: readonly BankConfig[]) {
    this.prefixes = new Set(banks.map((bank) => bank.virtualAccountPrefix));
    this.bankCodes = new Set(banks.map((bank) => bank.bankCode));
  }

  prefixOf(bankCode: string): string | undefined {
    return this.banks.find((bank) => bank.bankCode === bankCode)?.virtualAccountPrefix;
  }

  bankOfPrefix(prefix: string): string | undefined {
    return this.banks.find((bank) => bank.virtualAccountPrefix === prefix)?.bankCode;
  }

  /** The bank whose suspense account takes money to a number that names no bank of ours. */
  get operatingBank(): string {
    return this.banks[0].bankCode;
  }
}
