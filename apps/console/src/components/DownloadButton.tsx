import { Button, message } from 'antd';
import { useState } from 'react';
import { ApiError, download, type Query } from '../api/client';
import { useI18n } from '../i18n';
import { errorText } from './ErrorAlert';

/**
 * A file of the API (statement, certificate, refund list), fetched with the session's token and saved:
 * fetch → blob → download. An error shows as a message, the file is not saved.
 */
export function DownloadButton(props: { path: string; query?: Query; fileName: string; label: string; testId: string; size?: 'small' | 'middle' }) {
  const { locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [messages, holder] = message.useMessage();
  const onClick = async (): Promise<void> => {
    setBusy(true);
    try {
      await download(props.path, props.query ?? {}, props.fileName);
    } catch (error) {
      void messages.error(error instanceof ApiError ? errorText(locale, error) : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {holder}
      <Button size={props.size ?? 'middle'} loading={busy} onClick={() => void onClick()} data-testid={props.testId}>
        {props.label}
      </Button>
    </>
  );
}
