import { Typography } from 'antd';
import { useT } from '../../../i18n';

/** The suspense queue with MATCH and RETURN (to be built). */
export default function SuspensePage() {
  const t = useT();
  return (
    <div data-testid="page-operator-suspense">
      <Typography.Title level={3}>{t('operator.suspense.title')}</Typography.Title>
    </div>
  );
}
