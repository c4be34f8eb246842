import { Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { post } from '../../../api/client';
import type { Lot, LotVirtualAccount, MasterAccountsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { rowTestId } from '../../../components/row-test-id';
import { useCommand } from '../../../components/use-command';
import { groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { lotPath } from '../lot-path';

/** The lot's virtual accounts (numbers only while sealed: no bidders) and opening another one. */
export function VirtualAccountsCard({ lot, onDone }: { lot: Lot; onDone: () => void }) {
  const { t, locale } = useI18n();
  return (
    <Card
      title={t('center.accounts.title')}
      data-testid="virtual-accounts"
      extra={
        <Link to={`/lots/${encodeURIComponent(lot.lotId)}/instructions`} data-testid="payment-instructions-link">
          {t('center.accounts.instructions')}
        </Link>
      }
    >
      <Table<LotVirtualAccount>
        size="small"
        rowKey="virtualAccountNo"
        pagination={false}
        dataSource={lot.virtualAccounts}
        locale={{ emptyText: t('center.accounts.none') }}
        onRow={(account) => rowTestId(`virtual-account-row-${account.virtualAccountNo}`)}
        columns={[
          {
            title: t('center.accounts.virtualAccountNo'),
            dataIndex: 'virtualAccountNo',
            render: (no: string) => <Typography.Text copyable={{ text: no }} data-testid="virtual-account-no">{groupAccountNo(no)}</Typography.Text>,
          },
          { title: t('center.accounts.bank'), dataIndex: 'bankCode', render: (code: string) => bankName(code, locale) },
          { title: t('center.accounts.masterAccountNo'), dataIndex: 'masterAccountNo', render: (no: string) => groupAccountNo(no) },
          ...(lot.sealed
            ? []
            : [{ title: t('center.accounts.bidderId'), dataIndex: 'bidderId', render: (bidderId?: string) => bidderId ?? t('center.accounts.lotAccount') }]),
        ]}
      />
      <OpenAccountForm lot={lot} onDone={onDone} />
    </Card>
  );
}

interface OpenForm {
  /** `bankCode:accountNo` when chosen from the center's accounts, else the number typed. */
  masterAccountNo: string;
  bidderId?: string;
}

/** POST /v1/lots/{lotId}/virtual-accounts: the lot's account, or a bidder's own when a bidder is named. */
function OpenAccountForm({ lot, onDone }: { lot: Lot; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<OpenForm>();
  const command = useCommand(form, ['masterAccountNo', 'bidderId']);
  const masters = useApi<MasterAccountsAnswer>('/v1/master-accounts');
  const options = masters.data?.masterAccounts.map((account) => ({
    value: `${account.bankCode}:${account.accountNo}`,
    label: `${groupAccountNo(account.accountNo)} · ${account.accountName ?? ''} · ${bankName(account.bankCode, locale)}`,
  }));

  const submit = async ({ masterAccountNo: master, bidderId }: OpenForm): Promise<void> => {
    const [bankCode, accountNo] = master.includes(':') ? master.split(':', 2) : [undefined, master];
    const body = { masterAccountNo: (accountNo ?? '').trim(), ...(bankCode ? { bankCode } : {}), ...(bidderId?.trim() ? { bidderId: bidderId.trim() } : {}) };
    if (await command.run(() => post(lotPath(lot.lotId, '/virtual-accounts'), body))) {
      form.resetFields(['bidderId']);
      onDone();
    }
  };

  return (
    <div style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('center.accounts.openHint')}</Typography.Paragraph>
      <ErrorAlert error={command.error} testId="open-account-error" />
      <Form<OpenForm>
        form={form}
        layout="inline"
        onFinish={(values) => void submit(values)}
        initialValues={options?.length === 1 ? { masterAccountNo: options[0]?.value } : {}}
        key={options?.length ?? 0}
      >
        <Form.Item name="masterAccountNo" label={t('center.accounts.masterAccount')} rules={[{ required: true }]}>
          {options ? (
            <Select style={{ minWidth: 320 }} options={options} data-testid="open-account-master" />
          ) : (
            <Input data-testid="open-account-master" autoComplete="off" />
          )}
        </Form.Item>
        <Form.Item name="bidderId" label={t('center.accounts.bidderId')}>
          <Input data-testid="open-account-bidder" autoComplete="off" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={command.busy} data-testid="open-account-submit">
            {t('center.accounts.open')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}
