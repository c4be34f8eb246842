import { App, Form, Input, Typography } from 'antd';
import { post } from '../../../api/client';
import { useCommand } from '../../../components/use-command';
import { formatMoney, groupAccountNo } from '../../../format';
import { useT } from '../../../i18n';
import type { ResolutionAnswer, SuspenseItem } from '../types';
import { CommandModal } from '../../../components/CommandModal';

interface MatchValues {
  virtualAccountNo: string;
}

const resolutionPath = (creditId: string): string => `/v1/suspense/${encodeURIComponent(creditId)}/resolution`;

/** What the operator resolves: the credit's amount, payer and payee number as received. */
export function CreditSummary({ item }: { item: SuspenseItem }) {
  const t = useT();
  return (
    <Typography.Paragraph data-testid="resolution-credit">
      <Typography.Text code>{item.creditId}</Typography.Text>{' '}
      {t('operator.suspense.summary', { amount: formatMoney(item.amount), payer: `${item.payer.name ?? ''} ${groupAccountNo(item.payer.accountNo)}`, payee: item.payeeAccountNo })}
    </Typography.Paragraph>
  );
}

/**
 * MATCH: the operator names the virtual account the money was meant for (POST /v1/suspense/{creditId}/resolution
 * {action: 'MATCH', virtualAccountNo}). The lot's refusals (AFTER_DEADLINE, LOT_CLOSED, NOT_BASIC_ACCOUNT, …) and
 * the number's own come back on the field.
 */
export function MatchModal({ item, onClose, onDone }: { item: SuspenseItem | undefined; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<MatchValues>();
  const command = useCommand(form, ['virtualAccountNo']);
  const submit = async (values: MatchValues): Promise<void> => {
    if (!item) return;
    let answer: ResolutionAnswer | undefined;
    const ok = await command.run(async () => {
      answer = await post<ResolutionAnswer>(resolutionPath(item.creditId), { action: 'MATCH', virtualAccountNo: values.virtualAccountNo.replace(/\s+/g, '') });
    });
    if (ok) {
      void message.success(<span data-testid="match-done">{t('operator.suspense.matched', { lotId: answer?.lotId ?? '', bondId: answer?.bondId ?? '' })}</span>);
      onDone();
    }
  };
  return (
    <CommandModal<MatchValues>
      open={item !== undefined}
      title={t('operator.suspense.matchTitle')}
      testId="match"
      form={form}
      command={command}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
      submitLabel={t('operator.suspense.match')}
    >
      {item && <CreditSummary item={item} />}
      <Typography.Paragraph type="secondary">{t('operator.suspense.matchHint')}</Typography.Paragraph>
      <Form.Item
        name="virtualAccountNo"
        label={t('operator.suspense.virtualAccountNo')}
        rules={[{ required: true, whitespace: true, message: t('operator.suspense.virtualAccountRequired') }]}
      >
        <Input data-testid="match-virtual-account" autoComplete="off" inputMode="numeric" placeholder={item?.payeeAccountNo} maxLength={40} />
      </Form.Item>
    </CommandModal>
  );
}

/** RETURN: the money leaves suspense back to the payer (POST …/resolution {action: 'RETURN'}). */
export function ReturnModal({ item, onClose, onDone }: { item: SuspenseItem | undefined; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, never>>();
  const command = useCommand(form);
  const submit = async (): Promise<void> => {
    if (!item) return;
    const ok = await command.run(() => post<ResolutionAnswer>(resolutionPath(item.creditId), { action: 'RETURN' }));
    if (ok) {
      void message.success(<span data-testid="return-done">{t('operator.suspense.returned')}</span>);
      onDone();
    }
  };
  return (
    <CommandModal<Record<string, never>>
      open={item !== undefined}
      title={t('operator.suspense.returnTitle')}
      testId="return"
      form={form}
      command={command}
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('operator.suspense.return')}
      danger
    >
      {item && (
        <>
          <CreditSummary item={item} />
          <Typography.Paragraph>{t('operator.suspense.returnHint')}</Typography.Paragraph>
          <Typography.Paragraph strong data-testid="return-to">
            {item.payer.name ?? '—'} {groupAccountNo(item.payer.accountNo)} ({item.payer.bankCode})
          </Typography.Paragraph>
        </>
      )}
    </CommandModal>
  );
}
