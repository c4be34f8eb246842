import { Space, Tag, Tooltip } from 'antd';
import type { BondRefund } from '../../../api/types';
import { formatDate } from '../../../format';
import { useT } from '../../../i18n';
import type { BidderBond } from '../types';

const COLORS: Record<string, string> = { INSTRUCTED: 'processing', SETTLED: 'success', FAILED: 'error' };

/** The bond's latest refund instruction (the highest attempt), if any. */
export function latestRefund(bond: BidderBond): BondRefund | undefined {
  return bond.refunds.reduce<BondRefund | undefined>((latest, refund) => (latest === undefined || refund.attempt >= latest.attempt ? refund : latest), undefined);
}

/**
 * Where the bond's refund stands, from the bond view alone: its latest instruction's status (instructed,
 * settled, failed), else due (by when) or not yet due; overdue and late shown beside. `data-status` says
 * which: the refund's status, or NONE / DUE / FORFEITED.
 */
export function RefundState({ bond, testId = 'bond-refund-status' }: { bond: BidderBond; testId?: string }) {
  const t = useT();
  const latest = latestRefund(bond);
  let tag;
  if (latest) {
    tag = (
      <Tag color={COLORS[latest.status] ?? 'default'} data-testid={testId} data-status={latest.status}>
        {t(`refundStatus.${latest.status}`)}
        {latest.status !== 'FAILED' && ` · ${formatDate(latest.refundOn)}`}
      </Tag>
    );
  } else if (bond.status === 'FORFEITED') {
    tag = (
      <Tag data-testid={testId} data-status="FORFEITED">
        {t('bidder.refund.forfeited')}
      </Tag>
    );
  } else if (bond.status === 'REFUND_DUE' || bond.status === 'REFUND_PENDING') {
    tag = (
      <Tag color="warning" data-testid={testId} data-status="DUE">
        {bond.refundDueBy ? t('bidder.refund.due', { date: formatDate(bond.refundDueBy) }) : t('bidder.refund.dueNoDate')}
      </Tag>
    );
  } else {
    tag = (
      <Tag data-testid={testId} data-status="NONE">
        {t('bidder.refund.none')}
      </Tag>
    );
  }
  return (
    <Space size={2} wrap>
      {tag}
      {bond.overdue && (
        <Tag color="red" data-testid={`${testId}-overdue`}>
          {t('refundStatus.OVERDUE')}
        </Tag>
      )}
      {bond.refundedLate && !bond.overdue && (
        <Tag color="orange" data-testid={`${testId}-late`}>
          {t('bidder.refund.late')}
        </Tag>
      )}
      {bond.refundBlocked && (
        <Tooltip title={bond.refundBlocked.message}>
          <Tag color="warning" data-testid={`${testId}-blocked`} data-reason={bond.refundBlocked.reason}>
            {t('bidder.refund.blocked')}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}
