import { Button, Space, Table, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import type { Lot, LotsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { Countdown } from '../../../components/Countdown';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { PhaseTag, SealedBadge } from '../../../components/PhaseTag';
import { rowTestId } from '../../../components/row-test-id';
import { formatTime } from '../../../format';
import { useT } from '../../../i18n';

/** The center's lots (GET /v1/lots), newest bid opening first, with phase, seal and live countdowns. */
export default function LotsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { data, error, loading } = useApi<LotsAnswer>('/v1/lots', undefined, 30_000);

  return (
    <div data-testid="page-lots">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3}>{t('center.lots.title')}</Typography.Title>
        <Button type="primary" onClick={() => navigate('/lots/new')} data-testid="lots-register">
          {t('center.lots.register')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      <Table<Lot>
        data-testid="lots-table"
        rowKey="lotId"
        loading={loading && !data}
        dataSource={data?.lots ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('center.lots.empty') }}
        onRow={(lot) => rowTestId(`lot-row-${lot.lotId}`)}
        columns={[
          {
            title: t('center.lot.lotId'),
            dataIndex: 'lotId',
            render: (lotId: string) => (
              <Link to={`/lots/${encodeURIComponent(lotId)}`} data-testid="lot-link">
                {lotId}
              </Link>
            ),
          },
          { title: t('center.lot.name'), dataIndex: 'name' },
          {
            title: t('center.lot.phase'),
            key: 'phase',
            render: (_, lot) => (
              <Space size={4}>
                <PhaseTag status={lot.status} testId="lot-phase" />
                {lot.sealed && <SealedBadge />}
              </Space>
            ),
          },
          { title: t('center.lot.bondAmount'), dataIndex: 'bondAmount', align: 'right', render: (amount: string) => <Money amount={amount} /> },
          {
            title: t('center.lot.untilDeadline'),
            key: 'deadline',
            render: (_, lot) => (
              <div>
                <Countdown to={lot.depositDeadline} testId="lot-deadline-countdown" />
                <div>
                  <Typography.Text type="secondary">{formatTime(lot.depositDeadline)}</Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t('center.lot.untilOpening'),
            key: 'opening',
            render: (_, lot) => (
              <div>
                <Countdown to={lot.bidOpeningTime} testId="lot-opening-countdown" />
                <div>
                  <Typography.Text type="secondary">{formatTime(lot.bidOpeningTime)}</Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t('center.lot.totalPrincipal'),
            key: 'total',
            align: 'right',
            render: (_, lot) =>
              lot.sealed ? '—' : (
                <span>
                  <Money amount={lot.totalPrincipal} testId="lot-total" /> ({lot.bondCount ?? 0})
                </span>
              ),
          },
        ]}
      />
    </div>
  );
}
