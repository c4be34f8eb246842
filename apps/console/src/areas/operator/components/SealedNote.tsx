import { Alert } from 'antd';

/** The short note that a look at a sealed lot's data is recorded (the server records it; the console only says so). */
export function SealedNote({ text, testId }: { text: string; testId: string }) {
  return <Alert type="info" showIcon data-testid={testId} title={text} style={{ marginBottom: 16 }} />;
}
