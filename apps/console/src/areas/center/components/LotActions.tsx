import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import type { Lot } from '../../../api/types';
import { useT } from '../../../i18n';
import { AwardModal } from './AwardModal';
import { RefundRunModal } from './RefundRunModal';
import { TerminateModal } from './TerminateModal';
import { WithdrawalModal } from './WithdrawalModal';

type Action = 'award' | 'terminate' | 'withdrawal' | 'refunds';

/**
 * The center's commands on a lot. Shown when the lot's state allows them; the API decides (a refusal shows
 * in the form). Award waits for the opening; withdrawals and termination are allowed while sealed, and a
 * refund run on a sealed lot answers only that it was made.
 */
export function LotActions({ lot, onDone }: { lot: Lot; onDone: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<Action>();
  const closed = Boolean(lot.award ?? lot.termination);
  const close = (): void => setOpen(undefined);
  const done = (): void => {
    setOpen(undefined);
    onDone();
  };

  return (
    <Card title={t('center.actions.title')} size="small" data-testid="lot-actions">
      <Space wrap>
        {!lot.sealed && !closed && (
          <Button type="primary" onClick={() => setOpen('award')} data-testid="award-button">
            {t('center.actions.award')}
          </Button>
        )}
        {!closed && (
          <Button onClick={() => setOpen('withdrawal')} data-testid="withdrawal-button">
            {t('center.actions.withdrawal')}
          </Button>
        )}
        {!closed && (
          <Button danger onClick={() => setOpen('terminate')} data-testid="terminate-button">
            {t('center.actions.terminate')}
          </Button>
        )}
        <Button onClick={() => setOpen('refunds')} data-testid="refunds-button">
          {t('center.actions.refunds')}
        </Button>
      </Space>
      <AwardModal lot={lot} open={open === 'award'} onClose={close} onDone={done} />
      <TerminateModal lot={lot} open={open === 'terminate'} onClose={close} onDone={done} />
      <WithdrawalModal lot={lot} open={open === 'withdrawal'} onClose={close} onDone={done} />
      <RefundRunModal lot={lot} open={open === 'refunds'} onClose={close} onDone={onDone} />
    </Card>
  );
}
