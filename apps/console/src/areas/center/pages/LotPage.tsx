import { Alert, Button, Space, Spin } from 'antd';
import { useReducer } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Lot } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatTime } from '../../../format';
import { useT } from '../../../i18n';
import { BondsCard } from '../components/BondsCard';
import { DownloadsCard } from '../components/DownloadsCard';
import { LotActions } from '../components/LotActions';
import { LotHeader } from '../components/LotHeader';
import { ReceivedCard } from '../components/ReceivedCard';
import { RefundsCard } from '../components/RefundsCard';
import { VirtualAccountsCard } from '../components/VirtualAccountsCard';
import { lotPath } from '../lot-path';

/**
 * One lot of the center. While sealed: its terms, accounts and the sealed badge, nothing of who paid or
 * how much (the API would refuse it anyway). After opening: bonds, money received per day, refunds, files.
 */
export default function LotPage() {
  const t = useT();
  const { lotId = '' } = useParams();
  // Bumped after each command, so every part of the page reads the ledger again.
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const { data: lot, error } = useApi<Lot>(lotPath(lotId), undefined, 15_000, version);

  if (error && !lot) return <div data-testid="page-lot"><ErrorAlert error={error} /></div>;
  if (!lot) return <Spin data-testid="page-loading" />;

  return (
    <div data-testid="page-lot" data-lot-id={lot.lotId} data-sealed={lot.sealed}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <LotHeader lot={lot} />
        <LotActions lot={lot} onDone={bump} />
        <VirtualAccountsCard lot={lot} onDone={bump} />
        {lot.sealed ? (
          <Alert type="warning" showIcon data-testid="sealed-notice" title={t('center.lot.sealedNotice', { time: formatTime(lot.bidOpeningTime) })} />
        ) : (
          <>
            <BondsCard lot={lot} version={version} />
            <ReceivedCard lot={lot} version={version} />
            <RefundsCard lot={lot} version={version} />
            <DownloadsCard lot={lot} />
          </>
        )}
        <Link to="/lots">
          <Button data-testid="back-to-lots">{t('app.back')}</Button>
        </Link>
      </Space>
    </div>
  );
}
