import type { BankConfig } from '../config/ledger-config';

export const LEDGER_BANKS = Symbol('LEDGER_BANKS');

/** The banks this ledger serves and their virtual-account prefixes (VIRTUAL_ACCOUNT_PREFIXES). */
export class Banks {
  readonly prefixes: ReadonlySet<string>;

  constructor(private readonly banks: readonly BankConfig[]) {
    this.prefixes = new Set(banks.map((bank) => bank.virtualAccountPrefix));
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

/** The time source of the service; time-driven decisions receive its readings as command facts. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
