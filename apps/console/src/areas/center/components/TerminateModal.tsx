import { Form, Input } from 'antd';
import { post } from '../../../api/client';
import { useCommand } from '../../../components/use-command';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';
import { CommandModal } from '../../../components/CommandModal';
import type { LotModalProps } from './modal-props';

/** POST /v1/lots/{lotId}/termination with its reason. */
export function TerminateModal({ lot, open, onClose, onDone }: LotModalProps) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const command = useCommand(form, ['reason']);
  const submit = async ({ reason }: { reason: string }): Promise<void> => {
    if (await command.run(() => post(lotPath(lot.lotId, '/termination'), { reason: reason.trim() }))) onDone();
  };
  return (
    <CommandModal<{ reason: string }>
      open={open}
      title={t('center.actions.terminate')}
      testId="terminate-form"
      form={form}
      command={command}
      onSubmit={(values) => void submit(values)}
      onClose={onClose}
    >
      <Form.Item name="reason" label={t('center.terminate.reason')} rules={[{ required: true }]}>
        <Input.TextArea rows={3} maxLength={500} data-testid="terminate-form-reason" />
      </Form.Item>
    </CommandModal>
  );
}
