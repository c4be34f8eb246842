import { App, Button, Card, Empty, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { post } from '../../../api/client';
import type { RateEntry, RateSchedulesAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { rowTestId } from '../../../components/row-test-id';
import { useCommand } from '../../../components/use-command';
import { formatDate, todayInShanghai } from '../../../format';
import { useT } from '../../../i18n';
import { CommandModal } from '../../../components/CommandModal';
import { formatRate } from '../rate';

type Schedule = RateSchedulesAnswer['schedules'][number];

/** The interest-rate schedules bonds accrue on (GET /v1/interest-rate-schedules), and a new rate for one of them. */
export default function RateSchedulesPage() {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [adding, setAdding] = useState<Schedule>();
  const { data, error, loading } = useApi<RateSchedulesAnswer>('/v1/interest-rate-schedules', undefined, undefined, version);

  return (
    <div data-testid="page-operator-rate-schedules">
      <Typography.Title level={3}>{t('operator.rates.title')}</Typography.Title>
      <ErrorAlert error={error} />
      {loading && !data && <Card loading />}
      {data && data.schedules.length === 0 && <Empty description={t('operator.rates.empty')} />}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {data?.schedules.map((schedule) => (
          <Card
            key={schedule.scheduleId}
            data-testid={`rate-schedule-${schedule.scheduleId}`}
            title={
              <Space>
                <span data-testid="rate-schedule-id">{schedule.scheduleId}</span>
                <Tag data-testid="rate-schedule-day-count">
                  {t('operator.rates.dayCount')} {schedule.dayCount}
                </Tag>
              </Space>
            }
            extra={
              <Button size="small" onClick={() => setAdding(schedule)} data-testid="add-rate-button">
                {t('operator.rates.add')}
              </Button>
            }
          >
            <Table<RateEntry>
              size="small"
              rowKey="effectiveFrom"
              pagination={false}
              dataSource={schedule.entries}
              onRow={(entry) => rowTestId(`rate-entry-row-${entry.effectiveFrom}`)}
              columns={[
                { title: t('operator.rates.effectiveFrom'), dataIndex: 'effectiveFrom', render: (date: string) => <span data-testid="rate-effective-from">{formatDate(date)}</span> },
                {
                  title: t('operator.rates.annualRate'),
                  dataIndex: 'annualRate',
                  render: (rate: string) => (
                    <span data-testid="rate-annual-rate" data-rate={rate}>
                      {formatRate(rate)}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        ))}
      </Space>
      <AddRateModal
        schedule={adding}
        onClose={() => setAdding(undefined)}
        onDone={() => {
          setAdding(undefined);
          setVersion((n) => n + 1);
        }}
      />
    </div>
  );
}

interface RateValues {
  effectiveFrom: string;
  annualRate: string;
}

/** POST /v1/interest-rate-schedules/{scheduleId}/entries {effectiveFrom, annualRate}; refusals on their field. */
function AddRateModal({ schedule, onClose, onDone }: { schedule: Schedule | undefined; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RateValues>();
  const command = useCommand(form, ['effectiveFrom', 'annualRate']);
  const typedRate = Form.useWatch('annualRate', form);
  const required = [{ required: true, whitespace: true, message: t('operator.rates.required') }];
  const submit = async (values: RateValues): Promise<void> => {
    if (!schedule) return;
    const ok = await command.run(() =>
      post(`/v1/interest-rate-schedules/${encodeURIComponent(schedule.scheduleId)}/entries`, { effectiveFrom: values.effectiveFrom.trim(), annualRate: values.annualRate.trim() }),
    );
    if (ok) {
      void message.success(<span data-testid="add-rate-done">{t('operator.rates.added')}</span>);
      onDone();
    }
  };
  return (
    <CommandModal<RateValues>
      open={schedule !== undefined}
      title={t('operator.rates.addTitle', { scheduleId: schedule?.scheduleId ?? '' })}
      testId="add-rate"
      form={form}
      command={command}
      initialValues={{ effectiveFrom: todayInShanghai() }}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">{t('operator.rates.addHint')}</Typography.Paragraph>
      <Form.Item name="effectiveFrom" label={t('operator.rates.effectiveFrom')} rules={required}>
        <Input type="date" data-testid="add-rate-effective-from" />
      </Form.Item>
      <Form.Item
        name="annualRate"
        label={t('operator.rates.annualRate')}
        rules={required}
        extra={typedRate ? <span data-testid="add-rate-percent">{formatRate(typedRate)}</span> : undefined}
      >
        <Input data-testid="add-rate-annual-rate" autoComplete="off" placeholder="0.0035" inputMode="decimal" />
      </Form.Item>
    </CommandModal>
  );
}
