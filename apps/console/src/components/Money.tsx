import { formatMoney } from '../format';

/** An amount of the API (a decimal string) with thousands separators and two decimals, in CNY. */
export function Money({ amount, testId }: { amount: string | undefined | null; testId?: string }) {
  return (
    <span className="money" data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {formatMoney(amount)}
    </span>
  );
}
