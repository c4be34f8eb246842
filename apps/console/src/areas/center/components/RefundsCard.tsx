import { Card, Table, Tag, Tooltip, Typography } from 'antd';
import type { Lot, OverdueRefund, RefundItem, RefundsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate, groupAccountNo } from '../../../format';
import { useT } from '../../../i18n';

const STATUS_COLORS: Record<string, string> = { INSTRUCTED: 'processing', SETTLED: 'success', FAILED: 'error' };

/** Each refund of the lot followed to SETTLED / FAILED, and the bonds whose refund is overdue (GET /v1/refunds?lotId=). */
export function RefundsCard({ lot, version }: { lot: Lot; version: number }) {
  const t = useT();
  const { data, error, loading } = useApi<RefundsAnswer>('/v1/refunds', { lotId: lot.lotId }, 10_000, version);

  return (
    <Card title={t('center.refunds.title')} data-testid="refunds">
      <ErrorAlert error={error} />
      <Table<RefundItem>
        size="small"
        rowKey="refundId"
        loading={loading && !data}
        dataSource={data?.refunds ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: t('center.refunds.none') }}
        onRow={(refund) => rowTestId(`refund-row-${refund.refundId}`)}
        columns={[
          {
            title: t('center.refunds.refundId'),
            key: 'refundId',
            render: (_, refund) => (
              <span data-testid="refund-id">
                {refund.refundId}
                {refund.attempt > 1 && <Typography.Text type="secondary"> ({t('center.refunds.attempt', { n: refund.attempt })})</Typography.Text>}
              </span>
            ),
          },
          { title: t('center.bonds.bondId'), dataIndex: 'bondId' },
          { title: t('center.bonds.bidderId'), dataIndex: 'bidderId', render: (id?: string) => id ?? '—' },
          { title: t('center.refund.payTo'), key: 'payTo', render: (_, refund) => `${refund.payTo.name ?? ''} ${groupAccountNo(refund.payTo.accountNo)}` },
          { title: t('center.bonds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-principal" /> },
          { title: t('center.refund.interest'), dataIndex: 'interest', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-interest" /> },
          { title: t('center.refund.total'), dataIndex: 'total', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-total" /> },
          { title: t('center.refunds.refundOn'), dataIndex: 'refundOn', render: formatDate },
          {
            title: t('center.refunds.dueBy'),
            key: 'dueBy',
            render: (_, refund) => (
              <span>
                {formatDate(refund.dueBy)} {refund.late && <Tag color="red" data-testid="refund-late">{t('center.refunds.late')}</Tag>}
              </span>
            ),
          },
          {
            title: t('center.refunds.status'),
            key: 'status',
            render: (_, refund) => (
              <Tooltip title={refund.failureReason ?? refund.bankRef}>
                <Tag color={STATUS_COLORS[refund.status] ?? 'default'} data-testid="refund-status" data-status={refund.status}>
                  {t(`refundStatus.${refund.status}`)}
                </Tag>
              </Tooltip>
            ),
          },
        ]}
      />
      {(data?.overdue.length ?? 0) > 0 && <OverdueTable overdue={data?.overdue ?? []} />}
    </Card>
  );
}

function OverdueTable({ overdue }: { overdue: OverdueRefund[] }) {
  const t = useT();
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('center.refunds.overdueTitle')}
      </Typography.Title>
      <Table<OverdueRefund>
        size="small"
        rowKey="bondId"
        pagination={false}
        dataSource={overdue}
        data-testid="overdue-refunds"
        onRow={(item) => rowTestId(`overdue-row-${item.bondId}`)}
        columns={[
          { title: t('center.bonds.bondId'), dataIndex: 'bondId' },
          { title: t('center.bonds.bidderId'), dataIndex: 'bidderId', render: (id?: string) => id ?? '—' },
          { title: t('center.bonds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} /> },
          { title: t('center.refunds.dueBy'), dataIndex: 'refundDueBy', render: formatDate },
          {
            title: t('center.refunds.status'),
            key: 'status',
            render: (_, item) => (
              <Tag color="red" data-testid="overdue-status" data-status={item.bondStatus}>
                {t('refundStatus.OVERDUE')} · {t(`bondStatus.${item.bondStatus}`)}
              </Tag>
            ),
          },
        ]}
      />
    </>
  );
}
