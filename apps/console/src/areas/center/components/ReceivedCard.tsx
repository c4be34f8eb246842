import { Card, Descriptions, Empty, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { Lot, Statement } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { shanghaiDay } from '../../../format';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';

// The chart library loads with the chart only, not with the console.
const ReceivedChart = lazy(() => import('./ReceivedChart'));

const TOTALS = ['credited', 'reversed', 'refundedPrincipal', 'interestPaid', 'forfeited', 'held'] as const;

/** Money received per day against the deposit deadline, and the statement's totals (GET .../statement). */
export function ReceivedCard({ lot, version }: { lot: Lot; version: number }) {
  const t = useT();
  const { data, error } = useApi<Statement>(lotPath(lot.lotId, '/statement'), undefined, undefined, version);
  const deadlineDay = shanghaiDay(lot.depositDeadline);

  return (
    <Card title={t('center.chart.title')} data-testid="received">
      <ErrorAlert error={error} />
      {!data && !error && <Spin />}
      {data && (
        <>
          {data.receivedByDay.length === 0 ? (
            <Empty description={t('center.chart.none')} />
          ) : (
            <Suspense fallback={<Spin />}>
              <ReceivedChart days={data.receivedByDay} deadlineDay={deadlineDay} labels={{ amount: t('center.chart.amount'), deadline: t('center.chart.deadline') }} />
            </Suspense>
          )}
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }} data-testid="statement-totals">
            {TOTALS.map((name) => (
              <Descriptions.Item key={name} label={t(`center.totals.${name}`)}>
                <Money amount={data.totals[name]} testId={`statement-total-${name}`} />
              </Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}
    </Card>
  );
}
