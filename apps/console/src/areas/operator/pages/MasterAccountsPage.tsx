import { Table, Tag, Typography } from 'antd';
import type { MasterAccount, MasterAccountsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { rowTestId } from '../../../components/row-test-id';
import { groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { SealedNote } from '../components/SealedNote';

type VirtualAccount = MasterAccount['virtualAccounts'][number];

/** Every center's master account with its balance and its virtual accounts' (GET /v1/master-accounts). */
export default function MasterAccountsPage() {
  const { t, locale } = useI18n();
  const { data, error, loading } = useApi<MasterAccountsAnswer>('/v1/master-accounts', undefined, 30_000);

  return (
    <div data-testid="page-operator-master-accounts">
      <Typography.Title level={3}>{t('operator.masterAccounts.title')}</Typography.Title>
      <SealedNote text={t('operator.masterAccounts.sealedNote')} testId="master-accounts-sealed-note" />
      <ErrorAlert error={error} />
      <Table<MasterAccount>
        data-testid="master-accounts-table"
        rowKey={(account) => `${account.bankCode}-${account.accountNo}`}
        loading={loading && !data}
        dataSource={data?.masterAccounts ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('operator.masterAccounts.empty') }}
        onRow={(account) => rowTestId(`master-account-row-${account.bankCode}-${account.accountNo}`)}
        expandable={{
          rowExpandable: (account) => account.virtualAccounts.length > 0,
          expandedRowRender: (account) => <VirtualAccounts accounts={account.virtualAccounts} />,
        }}
        columns={[
          { title: t('operator.masterAccounts.accountNo'), dataIndex: 'accountNo', render: (no: string) => <span data-testid="master-account-no">{groupAccountNo(no)}</span> },
          { title: t('operator.masterAccounts.accountName'), dataIndex: 'accountName', render: (name?: string) => name ?? '—' },
          {
            title: t('operator.masterAccounts.bank'),
            dataIndex: 'bankCode',
            render: (code: string) => (
              <span>
                {bankName(code, locale)}
                {bankName(code, locale) !== code && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {code}
                    </Typography.Text>
                  </div>
                )}
              </span>
            ),
          },
          { title: t('operator.masterAccounts.center'), dataIndex: 'centerId', render: (id: string) => <span data-testid="master-account-center">{id}</span> },
          { title: t('operator.masterAccounts.balance'), dataIndex: 'balance', align: 'right', render: (amount: string) => <Money amount={amount} testId="master-account-balance" /> },
          {
            title: t('operator.masterAccounts.scope'),
            dataIndex: 'balanceScope',
            render: (scope: string) => (
              <Tag data-testid="master-account-scope" data-scope={scope}>
                {t(`operator.masterAccounts.scope.${scope}`)}
              </Tag>
            ),
          },
          {
            title: t('operator.masterAccounts.virtualAccounts'),
            key: 'count',
            align: 'right',
            render: (_, account) => <span data-testid="master-account-va-count">{account.virtualAccounts.length}</span>,
          },
        ]}
      />
    </div>
  );
}

function VirtualAccounts({ accounts }: { accounts: VirtualAccount[] }) {
  const t = useI18n().t;
  return (
    <Table<VirtualAccount>
      size="small"
      rowKey="virtualAccountNo"
      pagination={false}
      dataSource={accounts}
      onRow={(account) => rowTestId(`virtual-account-row-${account.virtualAccountNo}`)}
      columns={[
        { title: t('operator.masterAccounts.virtualAccountNo'), dataIndex: 'virtualAccountNo', render: groupAccountNo },
        { title: t('operator.masterAccounts.lot'), dataIndex: 'lotId' },
        { title: t('operator.masterAccounts.bidder'), dataIndex: 'bidderId', render: (id?: string) => id ?? t('operator.masterAccounts.lotAccount') },
        { title: t('operator.masterAccounts.balance'), dataIndex: 'balance', align: 'right', render: (amount: string) => <Money amount={amount} testId="virtual-account-balance" /> },
      ]}
    />
  );
}
