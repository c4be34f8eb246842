import { Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../auth/auth-context';
import { DownloadButton } from '../../../components/DownloadButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { formatDate } from '../../../format';
import { useT } from '../../../i18n';
import { BondFlags, BondStatusTag } from '../components/BondFlags';
import { BondInterest } from '../components/BondInterest';
import { RefundState } from '../components/RefundState';
import { type BidderBond, type BidderBondsAnswer, bondPath } from '../types';

/**
 * The bidder's own bonds (GET /v1/bidders/{subject}/bonds: the session's subject, never another's): lot,
 * amount, status, interest so far, where its refund stands, flags, and its deposit certificate.
 */
export default function BondsPage() {
  const t = useT();
  const { subject } = useSession();
  const { data, error, loading } = useApi<BidderBondsAnswer>(`/v1/bidders/${encodeURIComponent(subject)}/bonds`, undefined, 60_000);

  return (
    <div data-testid="page-bidder-bonds">
      <Typography.Title level={3}>{t('bidder.bonds.title')}</Typography.Title>
      {data && (
        <Typography.Paragraph type="secondary" data-testid="bidder-bonds-intro">
          {t('bidder.bonds.intro', { bidderId: data.bidderId, asOf: formatDate(data.asOf) })}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={error} />
      <Table<BidderBond>
        data-testid="bidder-bonds-table"
        rowKey="bondId"
        loading={loading && !data}
        dataSource={data?.bonds ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('bidder.bonds.empty') }}
        onRow={(bond) => rowTestId(`bond-row-${bond.bondId}`)}
        columns={[
          { title: t('bidder.bonds.lot'), dataIndex: 'lotId', render: (lotId: string) => <span data-testid="bond-lot">{lotId}</span> },
          {
            title: t('bidder.bonds.bondId'),
            dataIndex: 'bondId',
            render: (bondId: string) => (
              <Link to={`/bonds/${encodeURIComponent(bondId)}`} data-testid="bond-link">
                <span data-testid="bond-id">{bondId}</span>
              </Link>
            ),
          },
          { title: t('bidder.bonds.principal'), dataIndex: 'principal', align: 'right', render: (amount: string) => <Money amount={amount} testId="bond-principal" /> },
          { title: t('bidder.bonds.status'), dataIndex: 'status', render: (status: string) => <BondStatusTag status={status} /> },
          { title: t('bidder.bonds.interest'), key: 'interest', align: 'right', render: (_, bond) => <BondInterest bond={bond} /> },
          { title: t('bidder.bonds.refund'), key: 'refund', render: (_, bond) => <RefundState bond={bond} /> },
          { title: t('bidder.bonds.flags'), key: 'flags', render: (_, bond) => <BondFlags flags={bond.flags} /> },
          {
            title: t('bidder.bonds.certificate'),
            key: 'certificate',
            render: (_, bond) => (
              <DownloadButton
                size="small"
                path={bondPath(bond.bondId, '/certificate')}
                fileName={`certificate-${bond.bondId}.pdf`}
                label="PDF"
                testId="bond-certificate"
              />
            ),
          },
        ]}
      />
    </div>
  );
}
