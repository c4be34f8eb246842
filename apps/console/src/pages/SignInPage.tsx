import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { Navigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth-context';
import { ROLES, type Role } from '../auth/token';
import { ErrorAlert } from '../components/ErrorAlert';
import { useI18n } from '../i18n';

interface SignInForm {
  role: Role;
  subject: string;
}

/**
 * The development sign-in (GET/POST /v1/dev/sign-in): offered only while the service runs on the embedded
 * development secret. Otherwise the console is opened by the embedding system with `#token=`.
 */
export default function SignInPage() {
  const { session, ended, signIn } = useAuth();
  const { t, locale, setLocale } = useI18n();
  const availability = useApi<{ enabled: boolean }>('/v1/dev/sign-in');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to="/" replace />;

  const submit = async (form: SignInForm): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const { token } = await api<{ token: string; expiresAt: string }>('/v1/dev/sign-in', { method: 'POST', body: form, idempotent: false });
      signIn(token);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'CLIENT_ERROR', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 80 }} data-testid="page-sign-in">
      <Card
        title={t('app.title')}
        style={{ width: 440 }}
        extra={
          <Button size="small" data-testid="language-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('app.language')}
          </Button>
        }
      >
        {ended === 'expired' && <Alert type="warning" showIcon title={t('signIn.expired')} style={{ marginBottom: 16 }} data-testid="session-ended" />}
        <ErrorAlert error={availability.error} />
        {availability.data?.enabled === false && <Alert type="info" showIcon title={t('signIn.disabled')} data-testid="sign-in-disabled" />}
        {availability.data?.enabled && (
          <>
            <Typography.Title level={4}>{t('signIn.title')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('signIn.hint')}</Typography.Paragraph>
            <ErrorAlert error={error} testId="sign-in-error" />
            <Form<SignInForm> layout="vertical" initialValues={{ role: 'center' }} onFinish={(form) => void submit(form)}>
              <Form.Item name="role" label={t('signIn.role')} rules={[{ required: true }]}>
                <Select
                  data-testid="sign-in-role"
                  options={ROLES.filter((role) => role !== 'esb').map((role) => ({ value: role, label: t(`role.${role}`) }))}
                />
              </Form.Item>
              <Form.Item name="subject" label={t('signIn.subject')} rules={[{ required: true }]}>
                <Input data-testid="sign-in-subject" autoComplete="off" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} block data-testid="sign-in-submit">
                {t('signIn.submit')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
