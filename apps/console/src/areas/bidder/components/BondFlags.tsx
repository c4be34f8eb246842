import { Space, Tag } from 'antd';
import { useT } from '../../../i18n';

const FLAG_COLORS: Record<string, string> = { NOT_BASIC_ACCOUNT: 'red', AMOUNT_BELOW_BOND: 'orange' };

/** The bond's flags (NOT_BASIC_ACCOUNT, AMOUNT_BELOW_BOND, …), each `bond-flag-<FLAG>`; "—" when none. */
export function BondFlags({ flags }: { flags: readonly string[] }) {
  const t = useT();
  return (
    <Space size={2} wrap data-testid="bond-flags">
      {flags.length === 0
        ? '—'
        : flags.map((flag) => (
            <Tag key={flag} color={FLAG_COLORS[flag] ?? 'default'} data-testid={`bond-flag-${flag}`}>
              {t(`flag.${flag}`)}
            </Tag>
          ))}
    </Space>
  );
}

/** The bond's status (`bond-status`, `data-status`). */
export function BondStatusTag({ status }: { status: string }) {
  const t = useT();
  const color = status === 'HELD' ? 'blue' : status === 'REFUNDED' ? 'success' : status === 'FORFEITED' ? 'red' : 'warning';
  return (
    <Tag color={color} data-testid="bond-status" data-status={status}>
      {t(`bondStatus.${status}`)}
    </Tag>
  );
}
