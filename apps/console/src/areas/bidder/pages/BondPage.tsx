import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import type { Account, BondRefund, Tranche } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { DownloadButton } from '../../../components/DownloadButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate, formatTime, groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { BondFlags, BondStatusTag } from '../components/BondFlags';
import { BondInterest } from '../components/BondInterest';
import { RefundState } from '../components/RefundState';
import { type BidderBond, bondPath } from '../types';

const REFUND_COLORS: Record<string, string> = { INSTRUCTED: 'processing', SETTLED: 'success', FAILED: 'error' };

/** One of the bidder's bonds (GET /v1/bonds/{bondId}; another's is 404 as an unknown one): tranches and refunds. */
export default function BondPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { bondId = '' } = useParams();
  const { data: bond, error, loading } = useApi<BidderBond>(bondPath(bondId), undefined, 60_000);

  const account = (value: Account, testId: string) => (
    <span data-testid={testId}>
      {value.name ?? '—'}
      <br />
      {groupAccountNo(value.accountNo)} <Typography.Text type="secondary">{bankName(value.bankCode, locale)}</Typography.Text>
    </span>
  );

  return (
    <div data-testid="page-bidder-bond">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3}>
          {t('bidder.bond.title')} <Typography.Text code data-testid="bond-id">{bondId}</Typography.Text>
        </Typography.Title>
        <Space>
          <Button onClick={() => navigate('/bonds')} data-testid="back-button">
            {t('bidder.bond.back')}
          </Button>
          {bond && (
            <DownloadButton path={bondPath(bond.bondId, '/certificate')} fileName={`certificate-${bond.bondId}.pdf`} label={t('bidder.bonds.certificate')} testId="bond-certificate" />
          )}
        </Space>
      </Space>
      <ErrorAlert error={error} />
      {loading && !bond && !error && <Card loading />}
      {bond && (
        <>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions
              column={{ xs: 1, md: 2 }}
              size="small"
              data-testid="bond-details"
              items={[
                { key: 'lot', label: t('bidder.bond.lot'), children: <span data-testid="bond-lot">{bond.lotId}</span> },
                { key: 'status', label: t('bidder.bonds.status'), children: <BondStatusTag status={bond.status} /> },
                { key: 'principal', label: t('bidder.bonds.principal'), children: <Money amount={bond.principal} testId="bond-principal" /> },
                { key: 'interest', label: t('bidder.bonds.interest'), children: <BondInterest bond={bond} /> },
                { key: 'payer', label: t('bidder.bond.payer'), children: account(bond.payer, 'bond-payer') },
                ...(bond.refundTo ? [{ key: 'refundTo', label: t('bidder.bond.refundTo'), children: account(bond.refundTo, 'bond-refund-to') }] : []),
                { key: 'refund', label: t('bidder.bonds.refund'), children: <RefundState bond={bond} /> },
                { key: 'refundDueBy', label: t('bidder.bond.refundDueBy'), children: <span data-testid="bond-refund-due-by">{formatDate(bond.refundDueBy)}</span> },
                { key: 'flags', label: t('bidder.bonds.flags'), children: <BondFlags flags={bond.flags} /> },
                ...(bond.withdrawal
                  ? [
                      {
                        key: 'withdrawal',
                        label: t('bidder.bond.withdrawal'),
                        children: (
                          <span data-testid="bond-withdrawal">
                            {t(bond.withdrawal.beforeDeadline ? 'bidder.bond.withdrawalBefore' : 'bidder.bond.withdrawalAfter', { at: formatTime(bond.withdrawal.noticeReceivedAt) })}
                          </span>
                        ),
                      },
                    ]
                  : []),
                ...(bond.forfeiture
                  ? [
                      {
                        key: 'forfeiture',
                        label: t('bidder.bond.forfeiture'),
                        children: (
                          <span data-testid="bond-forfeiture">
                            <Money amount={bond.forfeiture.amount} /> · {bond.forfeiture.reason}
                          </span>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>

          <Card title={t('bidder.bond.tranches')} style={{ marginBottom: 16 }} data-testid="bond-tranches">
            <Table<Tranche>
              size="small"
              rowKey="creditId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={bond.tranches}
              onRow={(tranche) => rowTestId(`tranche-row-${tranche.creditId}`)}
              columns={[
                { title: t('bidder.bond.creditId'), dataIndex: 'creditId' },
                { title: t('bidder.bond.amount'), dataIndex: 'amount', align: 'right', render: (amount: string) => <Money amount={amount} testId="tranche-amount" /> },
                { title: t('bidder.bond.valueDate'), dataIndex: 'valueDate', render: (date: string) => <span data-testid="tranche-value-date">{formatDate(date)}</span> },
                {
                  title: t('bidder.bond.virtualAccount'),
                  key: 'virtualAccount',
                  render: (_, tranche) => (
                    <span>
                      {groupAccountNo(tranche.virtualAccountNo)} <Typography.Text type="secondary">{bankName(tranche.bankCode, locale)}</Typography.Text>
                    </span>
                  ),
                },
              ]}
            />
          </Card>

          <Card title={t('bidder.bond.refunds')} data-testid="bond-refunds">
            <Table<BondRefund>
              size="small"
              rowKey="refundId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={[...bond.refunds].sort((a, b) => a.attempt - b.attempt)}
              locale={{ emptyText: t('bidder.bond.noRefunds') }}
              onRow={(refund) => rowTestId(`refund-row-${refund.refundId}`)}
              columns={[
                { title: t('bidder.bond.refundId'), dataIndex: 'refundId' },
                { title: t('bidder.bond.attempt'), dataIndex: 'attempt' },
                { title: t('bidder.bond.refundOn'), dataIndex: 'refundOn', render: formatDate },
                {
                  title: t('bidder.bond.dueBy'),
                  key: 'dueBy',
                  render: (_, refund) => (
                    <span>
                      {formatDate(refund.dueBy)}{' '}
                      {refund.late && (
                        <Tag color="orange" data-testid="refund-late">
                          {t('bidder.bond.late')}
                        </Tag>
                      )}
                    </span>
                  ),
                },
                { title: t('bidder.bond.amount'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-principal" /> },
                { title: t('bidder.bond.interest'), dataIndex: 'interest', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-interest" /> },
                { title: t('bidder.bond.total'), dataIndex: 'total', align: 'right', render: (amount: string) => <Money amount={amount} testId="refund-total" /> },
                {
                  title: t('bidder.bond.refundStatus'),
                  dataIndex: 'status',
                  render: (status: string) => (
                    <Tag color={REFUND_COLORS[status] ?? 'default'} data-testid="refund-status" data-status={status}>
                      {t(`refundStatus.${status}`)}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
