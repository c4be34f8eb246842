import { Form, Input } from 'antd';
import dayjs from 'dayjs';
import { post } from '../../../api/client';
import { useCommand } from '../../../components/use-command';
import { shanghaiInstant, ZONE } from '../../../format';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';
import { CommandModal } from '../../../components/CommandModal';
import type { LotModalProps } from './modal-props';

interface WithdrawalForm {
  bidderId: string;
  /** Wall clock in Asia/Shanghai. */
  noticeReceivedAt: string;
}

/** POST /v1/lots/{lotId}/withdrawals: a bidder's notice that it withdraws, and when it arrived. */
export function WithdrawalModal({ lot, open, onClose, onDone }: LotModalProps) {
  const t = useT();
  const [form] = Form.useForm<WithdrawalForm>();
  const command = useCommand(form, ['bidderId', 'noticeReceivedAt']);

  const submit = async (values: WithdrawalForm): Promise<void> => {
    const noticeReceivedAt = shanghaiInstant(values.noticeReceivedAt);
    if (!noticeReceivedAt) {
      form.setFields([{ name: 'noticeReceivedAt', errors: [t('center.register.badTime')] }]);
      return;
    }
    if (await command.run(() => post(lotPath(lot.lotId, '/withdrawals'), { bidderId: values.bidderId.trim(), noticeReceivedAt }))) onDone();
  };

  return (
    <CommandModal<WithdrawalForm>
      open={open}
      title={t('center.actions.withdrawal')}
      testId="withdrawal-form"
      form={form}
      command={command}
      initialValues={{ noticeReceivedAt: dayjs().tz(ZONE).format('YYYY-MM-DDTHH:mm') }}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
    >
      <Form.Item name="bidderId" label={t('center.withdrawal.bidderId')} rules={[{ required: true }]}>
        <Input data-testid="withdrawal-form-bidderId" autoComplete="off" />
      </Form.Item>
      <Form.Item name="noticeReceivedAt" label={t('center.withdrawal.noticeReceivedAt')} extra={t('center.register.timeHint')} rules={[{ required: true }]}>
        <Input type="datetime-local" data-testid="withdrawal-form-noticeReceivedAt" />
      </Form.Item>
    </CommandModal>
  );
}
