import { App, Form, Input, Typography } from 'antd';
import type { RefundItem } from '../../../api/types';
import { post } from '../../../api/client';
import { useCommand } from '../../../components/use-command';
import { formatMoney, groupAccountNo } from '../../../format';
import { useT } from '../../../i18n';
import { CommandModal } from '../../../components/CommandModal';

interface RedirectValues {
  accountNo: string;
  accountName?: string;
  bankCode: string;
  evidenceRef: string;
  reason: string;
}

const FIELDS = ['accountNo', 'accountName', 'bankCode', 'evidenceRef', 'reason'] as const;

/**
 * A failed refund's redirection (POST /v1/refunds/{refundId}/redirection): the bond's next refund pays to
 * another account of the same payer, on evidence. Refusals naming a field (NOT_SAME_PAYER on accountName,
 * SAME_ACCOUNT on accountNo, …) show on it; REFUND_NOT_FAILED / REFUND_SUPERSEDED above the form.
 */
export function RedirectModal({ refund, onClose, onDone }: { refund: RefundItem | undefined; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RedirectValues>();
  const command = useCommand(form, FIELDS);
  const required = [{ required: true, whitespace: true, message: t('operator.refunds.required') }];

  const submit = async (values: RedirectValues): Promise<void> => {
    if (!refund) return;
    const accountName = values.accountName?.trim();
    const body = {
      accountNo: values.accountNo.replace(/\s+/g, ''),
      ...(accountName ? { accountName } : {}),
      bankCode: values.bankCode.trim(),
      evidenceRef: values.evidenceRef.trim(),
      reason: values.reason.trim(),
    };
    const ok = await command.run(() => post(`/v1/refunds/${encodeURIComponent(refund.refundId)}/redirection`, body));
    if (ok) {
      void message.success(<span data-testid="redirect-done">{t('operator.refunds.redirected')}</span>);
      onDone();
    }
  };

  return (
    <CommandModal<RedirectValues>
      open={refund !== undefined}
      title={t('operator.refunds.redirectTitle')}
      testId="redirect"
      form={form}
      command={command}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
      submitLabel={t('operator.refunds.redirect')}
    >
      {refund && (
        <Typography.Paragraph data-testid="redirect-refund">
          <Typography.Text code>{refund.refundId}</Typography.Text> {refund.bondId} · {formatMoney(refund.total)} ·{' '}
          {refund.payTo.name ?? ''} {groupAccountNo(refund.payTo.accountNo)}
          {refund.failureReason && <Typography.Text type="danger"> · {refund.failureReason}</Typography.Text>}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">{t('operator.refunds.redirectHint')}</Typography.Paragraph>
      <Form.Item name="accountNo" label={t('operator.refunds.accountNo')} rules={required}>
        <Input data-testid="redirect-account-no" autoComplete="off" maxLength={64} />
      </Form.Item>
      <Form.Item name="accountName" label={t('operator.refunds.accountName')}>
        <Input data-testid="redirect-account-name" autoComplete="off" maxLength={200} placeholder={refund?.payTo.name} />
      </Form.Item>
      <Form.Item name="bankCode" label={t('operator.refunds.bankCode')} rules={required}>
        <Input data-testid="redirect-bank-code" autoComplete="off" maxLength={64} placeholder={refund?.payTo.bankCode} />
      </Form.Item>
      <Form.Item name="evidenceRef" label={t('operator.refunds.evidenceRef')} rules={required}>
        <Input data-testid="redirect-evidence-ref" autoComplete="off" maxLength={200} />
      </Form.Item>
      <Form.Item name="reason" label={t('operator.refunds.reason')} rules={required}>
        <Input data-testid="redirect-reason" autoComplete="off" maxLength={500} />
      </Form.Item>
    </CommandModal>
  );
}
