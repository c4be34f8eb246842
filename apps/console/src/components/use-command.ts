import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { errorText } from './ErrorAlert';

export interface Command {
  /** The refusal that names no field of the form (shown with ErrorAlert). */
  error: ApiError | undefined;
  busy: boolean;
  /** Runs `action`; true when it succeeded. A refusal naming a field of the form is put on that field. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
}

/**
 * A command sent from a form: while it runs the form is busy; the API's refusal goes where it belongs —
 * on the field it names (`field`, dotted: `payer.accountNo`, a name of `fieldNames`), else above the form.
 */
export function useCommand(form: FormInstance | undefined, fieldNames: readonly string[] = []): Command {
  const { locale } = useI18n();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const fields = fieldNames.join('\n');

  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
        return true;
      } catch (failure) {
        const apiError = failure instanceof ApiError ? failure : new ApiError(0, 'CLIENT_ERROR', String(failure));
        const field = apiError.field;
        if (form && field && fields.split('\n').includes(field)) {
          const text = errorText(locale, apiError);
          // A translated refusal keeps the service's message under it: it may name the limit.
          const errors = text.startsWith(`${apiError.code}:`) ? [text] : [text, apiError.message];
          form.setFields([{ name: field.split('.'), errors }]);
        } else {
          setError(apiError);
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [form, fields, locale],
  );
  const clear = useCallback(() => setError(undefined), []);
  return { error, busy, run, clear };
}

/** "50000" → "50000.00", "1,234.5" → "1234.50": what a user types, in the API's form (strings only). */
export function wireAmount(typed: string): string {
  const plain = typed.replace(/[,\s]/g, '');
  if (/^\d+$/.test(plain)) return `${plain}.00`;
  if (/^\d+\.\d$/.test(plain)) return `${plain}0`;
  return plain;
}
