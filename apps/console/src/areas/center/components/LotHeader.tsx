import { Card, Descriptions, Space, Typography } from 'antd';
import type { Lot } from '../../../api/types';
import { Countdown } from '../../../components/Countdown';
import { Money } from '../../../components/Money';
import { PhaseTag, SealedBadge } from '../../../components/PhaseTag';
import { formatDate, formatTime } from '../../../format';
import { useT } from '../../../i18n';

/** The lot's name, phase, seal, countdowns and terms (what GET /v1/lots/{lotId} shows, sealed or not). */
export function LotHeader({ lot }: { lot: Lot }) {
  const t = useT();
  return (
    <Card>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="lot-name">
          {lot.name}
        </Typography.Title>
        <PhaseTag status={lot.status} testId="lot-phase" />
        {lot.sealed && <SealedBadge />}
      </Space>
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginTop: 16 }} data-testid="lot-terms">
        <Descriptions.Item label={t('center.lot.lotId')}>
          <span data-testid="lot-id">{lot.lotId}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('center.lot.projectCode')}>{lot.projectCode}</Descriptions.Item>
        <Descriptions.Item label={t('center.lot.basicAccountPolicy')}>{t(`center.policy.${lot.basicAccountPolicy}`)}</Descriptions.Item>
        <Descriptions.Item label={t('center.lot.estimatedPrice')}>
          <Money amount={lot.estimatedPrice} />
        </Descriptions.Item>
        <Descriptions.Item label={t('center.lot.bondAmount')}>
          <Money amount={lot.bondAmount} testId="lot-bond-amount" />
        </Descriptions.Item>
        <Descriptions.Item label={t('center.lot.rateScheduleId')}>{lot.rateScheduleId}</Descriptions.Item>
        <Descriptions.Item label={t('center.lot.depositDeadline')}>
          {formatTime(lot.depositDeadline)} (<Countdown to={lot.depositDeadline} testId="lot-deadline-countdown" />)
        </Descriptions.Item>
        <Descriptions.Item label={t('center.lot.bidOpeningTime')}>
          {formatTime(lot.bidOpeningTime)} (<Countdown to={lot.bidOpeningTime} testId="lot-opening-countdown" />)
        </Descriptions.Item>
        {!lot.sealed && (
          <Descriptions.Item label={t('center.lot.totalPrincipal')}>
            <Money amount={lot.totalPrincipal} testId="lot-total" /> ({lot.bondCount ?? 0})
          </Descriptions.Item>
        )}
        {lot.award && (
          <Descriptions.Item label={t('center.lot.award')}>
            <span data-testid="lot-award">
              {lot.award.winnerBidderId ?? lot.award.winnerBondId} · {formatDate(lot.award.contractSignedOn)} · {t('center.lot.refundsDueBy')} {formatDate(lot.award.refundsDueBy)}
            </span>
          </Descriptions.Item>
        )}
        {lot.termination && (
          <Descriptions.Item label={t('center.lot.termination')}>
            <span data-testid="lot-termination">
              {lot.termination.reason} · {formatTime(lot.termination.terminatedAt)} · {t('center.lot.refundsDueBy')} {formatDate(lot.termination.refundsDueBy)}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
