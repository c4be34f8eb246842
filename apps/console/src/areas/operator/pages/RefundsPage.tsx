import { Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { OverdueRefund, RefundItem, RefundsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate, formatTime, groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { RedirectModal } from '../components/RedirectModal';
import { SealedNote } from '../components/SealedNote';
import type { RefundRedirection } from '../types';

type FailedRefund = RefundItem & { redirection?: RefundRedirection };

/**
 * Refunds that need the bank desk (GET /v1/refunds?status=FAILED): the failed ones, each with the
 * redirection of the bond's next refund to another account of the payer; and the bonds whose refund is
 * overdue (the same answer's `overdue`, which `status` does not filter).
 */
export default function RefundsPage() {
  const { t, locale } = useI18n();
  const [version, setVersion] = useState(0);
  const [redirecting, setRedirecting] = useState<FailedRefund>();
  const { data, error, loading } = useApi<RefundsAnswer>('/v1/refunds', { status: 'FAILED' }, 30_000, version);
  const failed = (data?.refunds ?? []) as FailedRefund[];
  // A failed refund followed by a later failed attempt of the same bond can no longer be redirected.
  const lastAttempt = new Map<string, number>();
  for (const refund of failed) lastAttempt.set(refund.bondId, Math.max(lastAttempt.get(refund.bondId) ?? 0, refund.attempt));

  return (
    <div data-testid="page-operator-refunds">
      <Typography.Title level={3}>{t('operator.refunds.title')}</Typography.Title>
      <SealedNote text={t('operator.sealedNote')} testId="refunds-sealed-note" />
      <ErrorAlert error={error} />
      <Card title={t('operator.refunds.failed')} style={{ marginBottom: 16 }} data-testid="failed-refunds" styles={{ body: { padding: 0 } }}>
        <Table<FailedRefund>
          size="small"
          rowKey="refundId"
          loading={loading && !data}
          dataSource={failed}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('operator.refunds.failedEmpty') }}
          onRow={(refund) => rowTestId(`refund-row-${refund.refundId}`)}
          columns={[
            {
              title: t('operator.refunds.refundId'),
              key: 'refundId',
              render: (_, refund) => (
                <span data-testid="refund-id">
                  {refund.refundId}
                  {refund.attempt > 1 && <Typography.Text type="secondary"> ({t('operator.refunds.attempt', { n: refund.attempt })})</Typography.Text>}
                </span>
              ),
            },
            { title: t('operator.refunds.lot'), dataIndex: 'lotId', render: (lotId: string) => <span data-testid="refund-lot">{lotId}</span> },
            {
              title: t('operator.refunds.bond'),
              key: 'bond',
              render: (_, refund) => (
                <span data-testid="refund-bond">
                  {refund.bondId}
                  {refund.bidderId && (
                    <div>
                      <Typography.Text type="secondary">{refund.bidderId}</Typography.Text>
                    </div>
                  )}
                </span>
              ),
            },
            {
              title: t('operator.refunds.payTo'),
              key: 'payTo',
              render: (_, refund) => (
                <span data-testid="refund-pay-to">
                  {refund.payTo.name ?? '—'}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {groupAccountNo(refund.payTo.accountNo)} · {bankName(refund.payTo.bankCode, locale)}
                    </Typography.Text>
                  </div>
                </span>
              ),
            },
            { title: t('operator.refunds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-principal" /> },
            { title: t('operator.refunds.interest'), dataIndex: 'interest', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-interest" /> },
            { title: t('operator.refunds.total'), dataIndex: 'total', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-total" /> },
            {
              title: t('operator.refunds.refundOn'),
              key: 'dates',
              render: (_, refund) => (
                <span>
                  {formatDate(refund.refundOn)}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('operator.refunds.dueBy')} {formatDate(refund.dueBy)}
                    </Typography.Text>{' '}
                    {refund.late && (
                      <Tag color="orange" data-testid="refund-late">
                        {t('operator.refunds.late')}
                      </Tag>
                    )}
                  </div>
                </span>
              ),
            },
            {
              title: t('operator.refunds.failure'),
              key: 'failure',
              render: (_, refund) => (
                <span>
                  <Tag color="error" data-testid="refund-status" data-status={refund.status}>
                    {t(`refundStatus.${refund.status}`)}
                  </Tag>
                  <span data-testid="refund-failure-reason">{refund.failureReason ?? ''}</span>
                  {refund.bankRef && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {refund.bankRef}
                      </Typography.Text>
                    </div>
                  )}
                </span>
              ),
            },
            {
              title: t('operator.refunds.redirection'),
              key: 'redirection',
              fixed: 'right',
              render: (_, refund) => {
                const superseded = refund.attempt < (lastAttempt.get(refund.bondId) ?? 0);
                return (
                  <span>
                    {refund.redirection && (
                      <div data-testid="refund-redirection">
                        {t('operator.refunds.redirectedTo', { name: refund.redirection.to.name ?? '', accountNo: groupAccountNo(refund.redirection.to.accountNo) })}
                        <div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {refund.redirection.evidenceRef} · {refund.redirection.reason}
                          </Typography.Text>
                        </div>
                      </div>
                    )}
                    {superseded ? (
                      <Tag data-testid="refund-superseded">{t('operator.refunds.superseded')}</Tag>
                    ) : (
                      <Button size="small" onClick={() => setRedirecting(refund)} data-testid="redirect-button">
                        {t('operator.refunds.redirect')}
                      </Button>
                    )}
                  </span>
                );
              },
            },
          ]}
        />
      </Card>

      <Card title={t('operator.refunds.overdue')} data-testid="overdue-refunds" styles={{ body: { padding: 0 } }}>
        <Table<OverdueRefund>
          size="small"
          rowKey="bondId"
          loading={loading && !data}
          dataSource={data?.overdue ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('operator.refunds.overdueEmpty') }}
          onRow={(item) => rowTestId(`overdue-row-${item.bondId}`)}
          columns={[
            { title: t('operator.refunds.lot'), dataIndex: 'lotId', render: (lotId: string) => <span data-testid="overdue-lot">{lotId}</span> },
            { title: t('operator.refunds.bond'), dataIndex: 'bondId', render: (bondId: string) => <span data-testid="overdue-bond">{bondId}</span> },
            { title: t('operator.refunds.bidder'), dataIndex: 'bidderId', render: (id?: string) => id ?? '—' },
            { title: t('operator.refunds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="overdue-principal" /> },
            { title: t('operator.refunds.dueBy'), dataIndex: 'refundDueBy', render: (date: string) => <span data-testid="overdue-due-by">{formatDate(date)}</span> },
            { title: t('operator.refunds.observedAt'), dataIndex: 'observedAt', render: formatTime },
            {
              title: t('operator.refunds.bondStatus'),
              dataIndex: 'bondStatus',
              render: (status: string) => (
                <Tag color="red" data-testid="overdue-status" data-status={status}>
                  {t('refundStatus.OVERDUE')} · {t(`bondStatus.${status}`)}
                </Tag>
              ),
            },
            { title: t('operator.refunds.latestRefund'), dataIndex: 'refundId', render: (id?: string) => <span data-testid="overdue-refund-id">{id ?? '—'}</span> },
          ]}
        />
      </Card>
      <RedirectModal
        refund={redirecting}
        onClose={() => setRedirecting(undefined)}
        onDone={() => {
          setRedirecting(undefined);
          setVersion((n) => n + 1);
        }}
      />
    </div>
  );
}
