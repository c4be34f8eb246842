import { Button, Card, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate, formatTime, groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { MatchModal, ReturnModal } from '../components/MatchModal';
import { SealedNote } from '../components/SealedNote';
import type { SuspenseAnswer, SuspenseItem, SuspenseStatus } from '../types';

const FILTERS = ['SUSPENDED', 'MATCHED', 'RETURNED', 'REVERSED', 'ALL'] as const;
type Filter = (typeof FILTERS)[number];
const STATUS_COLORS: Record<SuspenseStatus, string> = { SUSPENDED: 'warning', MATCHED: 'success', RETURNED: 'default', REVERSED: 'error' };

/**
 * The suspense queue (GET /v1/suspense?status=): money the ledger could not put on a bond, why, and the
 * operator's MATCH (to a virtual account) or RETURN (to the payer). A look at a sealed lot's matched items is
 * recorded by the server; the page says so.
 */
export default function SuspensePage() {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState<Filter>('SUSPENDED');
  const [version, setVersion] = useState(0);
  const [matching, setMatching] = useState<SuspenseItem>();
  const [returning, setReturning] = useState<SuspenseItem>();
  const { data, error, loading } = useApi<SuspenseAnswer>('/v1/suspense', filter === 'ALL' ? undefined : { status: filter }, 30_000, version);
  const done = (): void => {
    setMatching(undefined);
    setReturning(undefined);
    setVersion((n) => n + 1);
  };

  const resolution = (item: SuspenseItem) => {
    const text = item.resolution
      ? item.resolution.action === 'MATCH'
        ? t('operator.suspense.matchedTo', { lotId: item.resolution.lotId, bondId: item.resolution.bondId, virtualAccountNo: groupAccountNo(item.resolution.virtualAccountNo) })
        : t('operator.suspense.returnedTo', { name: item.resolution.returnTo.name ?? '', accountNo: groupAccountNo(item.resolution.returnTo.accountNo) })
      : undefined;
    return (
      <span data-testid="suspense-resolution" data-action={item.resolution?.action ?? ''}>
        {text ?? '—'}
        {item.reversal && (
          <div>
            <Typography.Text type="danger">{t('operator.suspense.reversed', { reason: item.reversal.reason })}</Typography.Text>
          </div>
        )}
      </span>
    );
  };

  return (
    <div data-testid="page-operator-suspense">
      <Typography.Title level={3}>{t('operator.suspense.title')}</Typography.Title>
      <SealedNote text={t('operator.suspense.sealedNote')} testId="suspense-sealed-note" />
      <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
        <Radio.Group value={filter} onChange={(event) => setFilter(event.target.value as Filter)} optionType="button" data-testid="suspense-status-filter">
          {FILTERS.map((value) => (
            <Radio.Button key={value} value={value}>
              <span data-testid={`suspense-filter-${value}`} data-checked={filter === value}>
                {t(`operator.suspense.filter.${value}`)}
              </span>
            </Radio.Button>
          ))}
        </Radio.Group>
        {data && Object.keys(data.balances).length > 0 && (
          <Space wrap data-testid="suspense-balances">
            <Typography.Text type="secondary">{t('operator.suspense.balances')}:</Typography.Text>
            {Object.entries(data.balances).map(([bankCode, balance]) => (
              <Tag key={bankCode}>
                {bankName(bankCode, locale)} <Money amount={balance} testId={`suspense-balance-${bankCode}`} />
              </Tag>
            ))}
          </Space>
        )}
      </Space>
      <ErrorAlert error={error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<SuspenseItem>
          data-testid="suspense-table"
          rowKey="creditId"
          loading={loading && !data}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('operator.suspense.empty') }}
          onRow={(item) => rowTestId(`suspense-row-${item.creditId}`)}
          columns={[
            {
              title: t('operator.suspense.credit'),
              key: 'credit',
              render: (_, item) => (
                <span data-testid="suspense-credit">
                  <Typography.Text code>{item.creditId}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {item.channel} · {item.bankRef}
                    </Typography.Text>
                  </div>
                </span>
              ),
            },
            {
              title: t('operator.suspense.reason'),
              dataIndex: 'reason',
              render: (reason: string) => (
                <span data-testid="suspense-reason" data-reason={reason}>
                  <Tag color="orange">{t(`operator.reason.${reason}`)}</Tag>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`operator.reasonHelp.${reason}`)}
                    </Typography.Text>
                  </div>
                </span>
              ),
            },
            {
              title: t('operator.suspense.amount'),
              key: 'amount',
              align: 'right',
              render: (_, item) => (
                <span>
                  <Money amount={item.amount} testId="suspense-amount" />
                  {item.currency !== 'CNY' && <Typography.Text type="secondary"> {item.currency}</Typography.Text>}
                </span>
              ),
            },
            {
              title: t('operator.suspense.payer'),
              key: 'payer',
              render: (_, item) => (
                <span data-testid="suspense-payer">
                  {item.payer.name ?? '—'}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {groupAccountNo(item.payer.accountNo)} · {bankName(item.payer.bankCode, locale)}
                    </Typography.Text>
                  </div>
                </span>
              ),
            },
            {
              title: t('operator.suspense.payee'),
              key: 'payee',
              render: (_, item) => (
                <span data-testid="suspense-payee">
                  {item.payeeAccountNo}
                  {item.remittanceInfo && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('operator.suspense.remittance')}: {item.remittanceInfo}
                      </Typography.Text>
                    </div>
                  )}
                </span>
              ),
            },
            {
              title: t('operator.suspense.received'),
              key: 'received',
              render: (_, item) => (
                <span data-testid="suspense-received">
                  {formatTime(item.receivedAt)}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDate(item.valueDate)}
                    </Typography.Text>
                  </div>
                </span>
              ),
            },
            {
              title: t('operator.suspense.status'),
              key: 'status',
              render: (_, item) => (
                <Tag color={STATUS_COLORS[item.status] ?? 'default'} data-testid="suspense-status" data-status={item.status}>
                  {t(`operator.status.${item.status}`)}
                </Tag>
              ),
            },
            { title: t('operator.suspense.resolution'), key: 'resolution', render: (_, item) => resolution(item) },
            {
              title: t('operator.suspense.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_, item) =>
                item.status === 'SUSPENDED' && item.inSuspense ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => setMatching(item)} data-testid="match-button">
                      {t('operator.suspense.match')}
                    </Button>
                    <Button size="small" danger onClick={() => setReturning(item)} data-testid="return-button">
                      {t('operator.suspense.return')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <MatchModal item={matching} onClose={() => setMatching(undefined)} onDone={done} />
      <ReturnModal item={returning} onClose={() => setReturning(undefined)} onDone={done} />
    </div>
  );
}
