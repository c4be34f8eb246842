import { Typography } from 'antd';
import { useT } from '../../../i18n';

export default function PaymentInstructionsPage() {
  const t = useT();
  return (
    <div data-testid="page-payment-instructions">
      <Typography.Title level={3}>{t('center.instructions.title')}</Typography.Title>
    </div>
  );
}
