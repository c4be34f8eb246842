import { Typography } from 'antd';
import { useT } from '../../../i18n';

/** The bidder's own bonds (to be built). */
export default function BondsPage() {
  const t = useT();
  return (
    <div data-testid="page-bidder-bonds">
      <Typography.Title level={3}>{t('bidder.bonds.title')}</Typography.Title>
    </div>
  );
}
