import { Result } from 'antd';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return <Result status="404" title={t('app.notFound')} data-testid="page-not-found" />;
}

export function ForbiddenPage() {
  const t = useT();
  return <Result status="403" title={t('app.forbidden')} data-testid="page-forbidden" />;
}
