import { Button, Descriptions, Space, Spin, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Lot, LotVirtualAccount, MasterAccountsAnswer } from '../../../api/types';
import { useApi } from '../../../api/use-api';
import { bankName } from '../../../banks';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatMoney, formatTime, groupAccountNo } from '../../../format';
import { useI18n } from '../../../i18n';
import { lotPath } from '../lot-path';

/**
 * The payment instructions that go into the tender notice, one block per virtual account: the number grouped
 * in fours, the account name (the center's master account), the bank, the amount and the deadline. Prints
 * without the console's frame.
 */
export default function PaymentInstructionsPage() {
  const { t } = useI18n();
  const { lotId = '' } = useParams();
  const lot = useApi<Lot>(lotPath(lotId));
  const masters = useApi<MasterAccountsAnswer>('/v1/master-accounts');

  if (lot.error) return <div data-testid="page-payment-instructions"><ErrorAlert error={lot.error} /></div>;
  if (!lot.data) return <Spin data-testid="page-loading" />;
  const accountName = (account: LotVirtualAccount): string | undefined =>
    masters.data?.masterAccounts.find((master) => master.accountNo === account.masterAccountNo && master.bankCode === account.bankCode)?.accountName;

  return (
    <div data-testid="page-payment-instructions" style={{ maxWidth: 760 }}>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Link to={`/lots/${encodeURIComponent(lotId)}`}>
          <Button data-testid="back-to-lot">{t('app.back')}</Button>
        </Link>
        <Button type="primary" onClick={() => window.print()} data-testid="print-instructions">
          {t('app.print')}
        </Button>
      </Space>
      <Typography.Title level={3}>{t('center.instructions.title')}</Typography.Title>
      <Typography.Paragraph>
        {lot.data.name}（{lot.data.projectCode} / {lot.data.lotId}）
      </Typography.Paragraph>
      <Typography.Paragraph>{t('center.instructions.intro')}</Typography.Paragraph>
      {lot.data.virtualAccounts.length === 0 && <Typography.Text type="secondary">{t('center.accounts.none')}</Typography.Text>}
      {lot.data.virtualAccounts.map((account) => (
        <Instruction key={account.virtualAccountNo} lot={lot.data as Lot} account={account} accountName={accountName(account)} />
      ))}
    </div>
  );
}

function Instruction({ lot, account, accountName }: { lot: Lot; account: LotVirtualAccount; accountName: string | undefined }) {
  const { t, locale } = useI18n();
  return (
    <Descriptions
      bordered
      size="middle"
      column={1}
      style={{ marginBottom: 24, breakInside: 'avoid' }}
      data-testid={`instruction-${account.virtualAccountNo}`}
      title={account.bidderId ? t('center.instructions.forBidder', { bidderId: account.bidderId }) : undefined}
    >
      <Descriptions.Item label={t('center.instructions.accountName')}>
        <span data-testid="instruction-account-name">{accountName ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('center.instructions.accountNo')}>
        <span data-testid="instruction-account-no" style={{ fontSize: 20, fontFamily: 'monospace', letterSpacing: 1 }}>
          {groupAccountNo(account.virtualAccountNo)}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('center.instructions.bank')}>
        <span data-testid="instruction-bank">
          {bankName(account.bankCode, locale)}（{account.bankCode}）
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('center.instructions.amount')}>
        <span data-testid="instruction-amount">¥ {formatMoney(lot.bondAmount)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('center.instructions.deadline')}>{formatTime(lot.depositDeadline)}</Descriptions.Item>
      <Descriptions.Item label={t('center.instructions.remark')}>{lot.lotId}</Descriptions.Item>
    </Descriptions>
  );
}
