import { Alert } from 'antd';
import type { ApiError } from '../api/client';
import { translate, useI18n } from '../i18n';

/** An error of the API, in the user's language when the console knows its code, with the code for support. */
export function ErrorAlert({ error, testId = 'error' }: { error: ApiError | undefined; testId?: string }) {
  const { locale } = useI18n();
  if (!error) return null;
  return <Alert type="error" showIcon data-testid={testId} data-code={error.code} title={errorText(locale, error)} style={{ marginBottom: 16 }} />;
}

export function errorText(locale: Parameters<typeof translate>[0], error: ApiError): string {
  const key = `error.${error.code}`;
  const known = translate(locale, key);
  return known === key ? `${error.code}: ${error.message}` : `${known} (${error.code})`;
}
