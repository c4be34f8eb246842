import { AutoComplete, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { post } from '../../../api/client';
import type { RateSchedulesAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../auth/auth-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useCommand, wireAmount } from '../../../components/use-command';
import { shanghaiInstant } from '../../../format';
import { useT } from '../../../i18n';

interface RegisterForm {
  lotId: string;
  projectCode: string;
  name: string;
  estimatedPrice: string;
  bondAmount: string;
  /** Wall clock in Asia/Shanghai, as <input type="datetime-local"> gives it. */
  depositDeadline: string;
  bidOpeningTime: string;
  basicAccountPolicy: 'ENFORCE' | 'FLAG' | 'OFF';
  rateScheduleId: string;
}

const FIELDS = ['lotId', 'projectCode', 'name', 'estimatedPrice', 'bondAmount', 'depositDeadline', 'bidOpeningTime', 'basicAccountPolicy', 'rateScheduleId'] as const;

/** POST /v1/lots for the signed-in center; the API's rules decide, and its refusals show on their fields. */
export default function RegisterLotPage() {
  const t = useT();
  const navigate = useNavigate();
  const session = useSession();
  const [form] = Form.useForm<RegisterForm>();
  const command = useCommand(form, FIELDS);
  const schedules = useApi<RateSchedulesAnswer>('/v1/interest-rate-schedules');

  const submit = async (values: RegisterForm): Promise<void> => {
    const deadline = shanghaiInstant(values.depositDeadline);
    const opening = shanghaiInstant(values.bidOpeningTime);
    const badTime = [t('center.register.badTime')];
    if (!deadline || !opening) {
      form.setFields([
        ...(deadline ? [] : [{ name: 'depositDeadline' as const, errors: badTime }]),
        ...(opening ? [] : [{ name: 'bidOpeningTime' as const, errors: badTime }]),
      ]);
      return;
    }
    const body = {
      lotId: values.lotId.trim(),
      centerId: session.subject,
      projectCode: values.projectCode.trim(),
      name: values.name.trim(),
      estimatedPrice: wireAmount(values.estimatedPrice),
      bondAmount: wireAmount(values.bondAmount),
      depositDeadline: deadline,
      bidOpeningTime: opening,
      basicAccountPolicy: values.basicAccountPolicy,
      rateScheduleId: values.rateScheduleId.trim(),
    };
    if (await command.run(() => post('/v1/lots', body))) navigate(`/lots/${encodeURIComponent(body.lotId)}`);
  };

  const required = [{ required: true, message: t('center.register.required') }];
  const scheduleOptions = schedules.data?.schedules.map((schedule) => ({ value: schedule.scheduleId, label: `${schedule.scheduleId} (${schedule.dayCount})` }));

  return (
    <div data-testid="page-register-lot">
      <Typography.Title level={3}>{t('center.register.title')}</Typography.Title>
      <Card style={{ maxWidth: 640 }}>
        <ErrorAlert error={command.error} testId="register-lot-error" />
        <Form<RegisterForm> form={form} layout="vertical" initialValues={{ basicAccountPolicy: 'ENFORCE' }} onFinish={(values) => void submit(values)}>
          <Form.Item name="lotId" label={t('center.lot.lotId')} rules={required}>
            <Input data-testid="register-lot-lotId" autoComplete="off" />
          </Form.Item>
          <Form.Item name="projectCode" label={t('center.lot.projectCode')} rules={required}>
            <Input data-testid="register-lot-projectCode" autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t('center.lot.name')} rules={required}>
            <Input data-testid="register-lot-name" autoComplete="off" />
          </Form.Item>
          <Form.Item name="estimatedPrice" label={t('center.lot.estimatedPrice')} extra={t('center.register.amountHint')} rules={required}>
            <Input data-testid="register-lot-estimatedPrice" inputMode="decimal" autoComplete="off" />
          </Form.Item>
          <Form.Item name="bondAmount" label={t('center.lot.bondAmount')} extra={t('center.register.amountHint')} rules={required}>
            <Input data-testid="register-lot-bondAmount" inputMode="decimal" autoComplete="off" />
          </Form.Item>
          <Form.Item name="depositDeadline" label={t('center.lot.depositDeadline')} extra={t('center.register.timeHint')} rules={required}>
            <Input type="datetime-local" data-testid="register-lot-depositDeadline" />
          </Form.Item>
          <Form.Item name="bidOpeningTime" label={t('center.lot.bidOpeningTime')} extra={t('center.register.timeHint')} rules={required}>
            <Input type="datetime-local" data-testid="register-lot-bidOpeningTime" />
          </Form.Item>
          <Form.Item name="basicAccountPolicy" label={t('center.lot.basicAccountPolicy')} rules={required}>
            <Radio.Group data-testid="register-lot-basicAccountPolicy">
              {(['ENFORCE', 'FLAG', 'OFF'] as const).map((policy) => (
                <Radio key={policy} value={policy} data-testid={`register-lot-policy-${policy}`}>
                  {t(`center.policy.${policy}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="rateScheduleId" label={t('center.lot.rateScheduleId')} rules={required}>
            <AutoComplete options={scheduleOptions ?? []}>
              <Input data-testid="register-lot-rateScheduleId" autoComplete="off" />
            </AutoComplete>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={command.busy} data-testid="register-lot-submit">
            {t('center.register.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
