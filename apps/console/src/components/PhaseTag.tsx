import { Tag } from 'antd';
import { useT } from '../i18n';

const COLORS: Record<string, string> = {
  OPEN: 'green',
  DEPOSITS_CLOSED: 'orange',
  BIDS_OPENED: 'blue',
  AWARDED: 'purple',
  TERMINATED: 'red',
  REFUNDING: 'cyan',
  SETTLED: 'default',
};

/** A lot's phase (`status` of GET /v1/lots/{lotId}). */
export function PhaseTag({ status, testId }: { status: string; testId?: string }) {
  const t = useT();
  return (
    <Tag color={COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {t(`phase.${status}`)}
    </Tag>
  );
}

/** The sealed badge: the lot is sealed until its bids are opened, and the console shows nothing more of it. */
export function SealedBadge({ testId = 'sealed-badge' }: { testId?: string }) {
  const t = useT();
  return (
    <Tag color="gold" data-testid={testId}>
      {t('sealed.badge')}
    </Tag>
  );
}
