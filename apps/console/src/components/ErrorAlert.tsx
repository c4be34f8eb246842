import { Alert } from 'antd';
import type { ApiError } from '../api/client';
import { translate, useI18n, type Locale } from '../i18n';

/**
 * An error of the API, in the user's language when the console knows its code (the service's own message,
 * which may name a limit or an id, below it), with the code for support.
 */
export function ErrorAlert({ error, testId = 'error' }: { error: ApiError | undefined; testId?: string }) {
  const { locale } = useI18n();
  if (!error) return null;
  const text = errorText(locale, error);
  const detail = text.startsWith(`${error.code}:`) ? undefined : error.message;
  return <Alert type="error" showIcon data-testid={testId} data-code={error.code} title={text} {...(detail ? { description: detail } : {})} style={{ marginBottom: 16 }} />;
}

/** "保证金不得超过估算价的 2% (BOND_EXCEEDS_LIMIT)", or "CODE: the service's message" for a code the console does not know. */
export function errorText(locale: Locale, error: ApiError): string {
  const key = `error.${error.code}`;
  const known = translate(locale, key);
  return known === key ? `${error.code}: ${error.message}` : `${known} (${error.code})`;
}
