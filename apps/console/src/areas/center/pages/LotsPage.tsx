import { Typography } from 'antd';
import { useT } from '../../../i18n';

export default function LotsPage() {
  const t = useT();
  return (
    <div data-testid="page-lots">
      <Typography.Title level={3}>{t('center.lots.title')}</Typography.Title>
    </div>
  );
}
