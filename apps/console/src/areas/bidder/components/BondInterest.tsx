import { Tag, Tooltip, Typography } from 'antd';
import { Money } from '../../../components/Money';
import { formatDate } from '../../../format';
import { useT } from '../../../i18n';
import type { BidderBond } from '../types';

/** Accrued interest so far (`bond-interest`, as the API computed it) to `interestTo`, or why none (`bond-interest-error`). */
export function BondInterest({ bond }: { bond: BidderBond }) {
  const t = useT();
  if (bond.interestError) {
    return (
      <Tooltip title={bond.interestError.message}>
        <Tag color="warning" data-testid="bond-interest-error" data-reason={bond.interestError.reason}>
          {bond.interestError.reason}
        </Tag>
      </Tooltip>
    );
  }
  return (
    <span>
      <Money amount={bond.accruedInterest} testId="bond-interest" />
      {bond.interestTo && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('bidder.bonds.interestTo', { date: formatDate(bond.interestTo) })}
          </Typography.Text>
        </div>
      )}
    </span>
  );
}
