import { Alert, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { post } from '../../../api/client';
import type { RefundPreview, RefundRunAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { useCommand } from '../../../components/use-command';
import { groupAccountNo, todayInShanghai } from '../../../format';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';
import { CommandModal } from '../../../components/CommandModal';
import type { LotModalProps } from './modal-props';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A refund run (POST /v1/lots/{lotId}/refunds) on a chosen day, after a preview of what it would instruct:
 * principal + interest per bond, with the day count and rates (GET .../refund-preview, which records
 * nothing). A sealed lot has no preview, and its run answers only that it was made.
 */
export function RefundRunModal({ lot, open, onClose, onDone }: LotModalProps) {
  const t = useT();
  const [form] = Form.useForm<{ refundOn: string }>();
  const command = useCommand(form, ['refundOn']);
  const refundOn = Form.useWatch('refundOn', form) ?? todayInShanghai();
  const [result, setResult] = useState<RefundRunAnswer>();
  const previewPath = open && !lot.sealed && DATE.test(refundOn) && !result ? lotPath(lot.lotId, '/refund-preview') : undefined;
  const preview = useApi<RefundPreview>(previewPath, { refundOn });

  const submit = async (values: { refundOn: string }): Promise<void> => {
    if (result) return close();
    let answer: RefundRunAnswer | undefined;
    if (await command.run(async () => (answer = await post<RefundRunAnswer>(lotPath(lot.lotId, '/refunds'), { refundOn: values.refundOn })))) {
      setResult(answer);
      onDone();
    }
  };
  const close = (): void => {
    setResult(undefined);
    onClose();
  };

  return (
    <CommandModal<{ refundOn: string }>
      open={open}
      title={t('center.actions.refunds')}
      testId="refund-run-form"
      form={form}
      command={command}
      initialValues={{ refundOn: todayInShanghai() }}
      onSubmit={(values) => void submit(values)}
      onClose={close}
      submitLabel={result ? t('app.confirm') : t('center.refund.run')}
    >
      <Form.Item name="refundOn" label={t('center.refund.refundOn')} rules={[{ required: true }]}>
        <Input type="date" data-testid="refund-run-form-refundOn" disabled={Boolean(result)} />
      </Form.Item>
      {result ? <RunResult result={result} /> : !lot.sealed && <PreviewTable preview={preview.data} error={preview.error} loading={preview.loading} />}
    </CommandModal>
  );
}

function RunResult({ result }: { result: RefundRunAnswer }) {
  const t = useT();
  const message = result.sealed ? t('center.refund.sealed') : t('center.refund.instructed', { count: result.refunds?.length ?? 0 });
  return (
    <div data-testid="refund-run-result">
      <Alert type="success" showIcon title={message} />
      <NotRefunded items={result.notRefunded ?? []} />
    </div>
  );
}

function PreviewTable({ preview, error, loading }: { preview: RefundPreview | undefined; error: Parameters<typeof ErrorAlert>[0]['error']; loading: boolean }) {
  const t = useT();
  type Row = RefundPreview['refunds'][number];
  return (
    <div data-testid="refund-preview">
      <Typography.Title level={5}>{t('center.refund.preview')}</Typography.Title>
      <ErrorAlert error={error} testId="refund-preview-error" />
      <Table<Row>
        size="small"
        rowKey="bondId"
        loading={loading && !preview}
        pagination={false}
        dataSource={preview?.refunds ?? []}
        locale={{ emptyText: t('center.refund.previewNone') }}
        onRow={(row) => rowTestId(`preview-row-${row.bondId}`)}
        columns={[
          { title: t('center.bonds.bondId'), dataIndex: 'bondId' },
          { title: t('center.refund.payTo'), key: 'payTo', render: (_, row) => `${row.payTo.name ?? ''} ${groupAccountNo(row.payTo.accountNo)}` },
          { title: t('center.bonds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="preview-principal" /> },
          { title: t('center.refund.interest'), dataIndex: 'interest', align: 'right', render: (amount: string) => <Money amount={amount} testId="preview-interest" /> },
          { title: t('center.refund.total'), dataIndex: 'total', align: 'right', render: (amount: string) => <Money amount={amount} testId="preview-total" /> },
          {
            title: t('center.refund.rates'),
            key: 'rates',
            render: (_, row) => (
              <span data-testid="preview-rates">
                {row.dayCount} · {row.rates.map((rate) => `${rate.effectiveFrom} ${rate.annualRate}`).join('; ')}
              </span>
            ),
          },
        ]}
      />
      <NotRefunded items={preview?.notRefunded ?? []} />
    </div>
  );
}

function NotRefunded({ items }: { items: { bondId: string; reason: string; message: string }[] }) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <Alert
      type="warning"
      style={{ marginTop: 12 }}
      data-testid="not-refunded"
      title={t('center.refund.notRefunded')}
      description={items.map((item) => (
        <div key={item.bondId} data-testid={`not-refunded-${item.bondId}`}>
          {item.bondId}: {item.reason} — {item.message}
        </div>
      ))}
    />
  );
}
