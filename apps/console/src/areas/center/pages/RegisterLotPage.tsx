import { Typography } from 'antd';
import { useT } from '../../../i18n';

export default function RegisterLotPage() {
  const t = useT();
  return (
    <div data-testid="page-register-lot">
      <Typography.Title level={3}>{t('center.register.title')}</Typography.Title>
    </div>
  );
}
