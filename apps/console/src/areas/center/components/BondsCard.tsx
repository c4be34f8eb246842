import { Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { Bond, Lot, LotBondsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { DownloadButton } from '../../../components/DownloadButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate, groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { lotPath } from '../lot-path';

const FLAG_COLORS: Record<string, string> = { NOT_BASIC_ACCOUNT: 'red', AMOUNT_BELOW_BOND: 'orange' };

/** The bonds of an opened lot (GET /v1/lots/{lotId}/bonds): payer, account, amount, value dates, flags, interest. */
export function BondsCard({ lot, version }: { lot: Lot; version: number }) {
  const { t, locale } = useI18n();
  const { data, error, loading } = useApi<LotBondsAnswer>(lotPath(lot.lotId, '/bonds'), undefined, 30_000, version);

  return (
    <Card title={t('center.bonds.title')} data-testid="bonds">
      <ErrorAlert error={error} />
      <Table<Bond>
        size="small"
        rowKey="bondId"
        loading={loading && !data}
        dataSource={data?.bonds ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: t('center.bonds.none') }}
        onRow={(bond) => rowTestId(`bond-row-${bond.bondId}`)}
        columns={[
          { title: t('center.bonds.bondId'), dataIndex: 'bondId', render: (id: string) => <span data-testid="bond-id">{id}</span> },
          { title: t('center.bonds.bidderId'), dataIndex: 'bidderId', render: (id?: string) => <span data-testid="bond-bidder">{id ?? '—'}</span> },
          { title: t('center.bonds.payer'), key: 'payer', render: (_, bond) => <span data-testid="bond-payer">{bond.payer.name ?? '—'}</span> },
          {
            title: t('center.bonds.account'),
            key: 'account',
            render: (_, bond) => (
              <span data-testid="bond-account">
                {groupAccountNo(bond.payer.accountNo)}
                <br />
                <Typography.Text type="secondary">{bankName(bond.payer.bankCode, locale)}</Typography.Text>
              </span>
            ),
          },
          { title: t('center.bonds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="bond-principal" /> },
          {
            title: t('center.bonds.valueDates'),
            key: 'valueDates',
            render: (_, bond) => (
              <span data-testid="bond-value-dates">
                {[...new Set(bond.tranches.map((tranche) => tranche.valueDate))].map((date) => (
                  <div key={date}>{formatDate(date)}</div>
                ))}
              </span>
            ),
          },
          {
            title: t('center.bonds.flags'),
            key: 'flags',
            render: (_, bond) => (
              <Space size={2} wrap data-testid="bond-flags">
                {bond.flags.map((flag) => (
                  <Tag key={flag} color={FLAG_COLORS[flag] ?? 'default'} data-testid={`bond-flag-${flag}`}>
                    {t(`flag.${flag}`)}
                  </Tag>
                ))}
                {bond.overdue && <Tag color="red" data-testid="bond-overdue">{t('center.bonds.overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('center.bonds.status'),
            dataIndex: 'status',
            render: (status: string) => <Tag data-testid="bond-status" data-status={status}>{t(`bondStatus.${status}`)}</Tag>,
          },
          {
            title: t('center.bonds.interest'),
            key: 'interest',
            align: 'right',
            render: (_, bond) =>
              bond.interestError ? (
                <Tooltip title={bond.interestError.message}>
                  <Tag color="warning" data-testid="bond-interest-error">{bond.interestError.reason}</Tag>
                </Tooltip>
              ) : (
                <Money amount={bond.accruedInterest} testId="bond-interest" />
              ),
          },
          {
            title: t('center.bonds.certificate'),
            key: 'certificate',
            render: (_, bond) => (
              <DownloadButton
                size="small"
                path={`/v1/bonds/${encodeURIComponent(bond.bondId)}/certificate`}
                fileName={`certificate-${bond.bondId}.pdf`}
                label="PDF"
                testId="bond-certificate"
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
