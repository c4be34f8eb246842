import { Form, Input } from 'antd';
import { post } from '../../../api/client';
import { useCommand } from '../../../components/use-command';
import { todayInShanghai } from '../../../format';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';
import { CommandModal } from '../../../components/CommandModal';
import type { LotModalProps } from './modal-props';

interface AwardForm {
  winnerBidderId?: string;
  winnerBondId?: string;
  contractSignedOn: string;
}

/** POST /v1/lots/{lotId}/award: the winning bidder (or bond) and the contract's date. */
export function AwardModal({ lot, open, onClose, onDone }: LotModalProps) {
  const t = useT();
  const [form] = Form.useForm<AwardForm>();
  const command = useCommand(form, ['winnerBidderId', 'winnerBondId', 'contractSignedOn']);

  const submit = async (values: AwardForm): Promise<void> => {
    const bidder = values.winnerBidderId?.trim();
    const bond = values.winnerBondId?.trim();
    if (Boolean(bidder) === Boolean(bond)) {
      form.setFields([{ name: 'winnerBidderId', errors: [t('center.award.oneOf')] }]);
      return;
    }
    const body = { ...(bidder ? { winnerBidderId: bidder } : { winnerBondId: bond }), contractSignedOn: values.contractSignedOn };
    if (await command.run(() => post(lotPath(lot.lotId, '/award'), body))) onDone();
  };

  return (
    <CommandModal<AwardForm>
      open={open}
      title={t('center.actions.award')}
      testId="award-form"
      form={form}
      command={command}
      initialValues={{ contractSignedOn: todayInShanghai() }}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
    >
      <Form.Item name="winnerBidderId" label={t('center.award.winnerBidderId')}>
        <Input data-testid="award-form-winnerBidderId" autoComplete="off" />
      </Form.Item>
      <Form.Item name="winnerBondId" label={t('center.award.winnerBondId')}>
        <Input data-testid="award-form-winnerBondId" autoComplete="off" />
      </Form.Item>
      <Form.Item name="contractSignedOn" label={t('center.award.contractSignedOn')} rules={[{ required: true }]}>
        <Input type="date" data-testid="award-form-contractSignedOn" />
      </Form.Item>
    </CommandModal>
  );
}
