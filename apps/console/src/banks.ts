/**
 * Bank names for the codes the API gives (CNAPS bank codes, 12 digits: the first three name the bank),
 * for the payment instructions a bidder reads. An unknown code shows as itself.
 */
const BANKS: Record<string, readonly [zh: string, en: string]> = {
  '102': ['中国工商银行', 'Industrial and Commercial Bank of China'],
  '103': ['中国农业银行', 'Agricultural Bank of China'],
  '104': ['中国银行', 'Bank of China'],
  '105': ['中国建设银行', 'China Construction Bank'],
  '301': ['交通银行', 'Bank of Communications'],
  '302': ['中信银行', 'China CITIC Bank'],
  '303': ['中国光大银行', 'China Everbright Bank'],
  '305': ['中国民生银行', 'China Minsheng Bank'],
  '308': ['招商银行', 'China Merchants Bank'],
  '309': ['兴业银行', 'Industrial Bank'],
  '310': ['上海浦东发展银行', 'Shanghai Pudong Development Bank'],
  '403': ['中国邮政储蓄银行', 'Postal Savings Bank of China'],
};

export function bankName(bankCode: string, locale: 'zh-CN' | 'en'): string {
  const names = /^\d{12}$/.test(bankCode) ? BANKS[bankCode.slice(0, 3)] : undefined;
  return names ? names[locale === 'en' ? 1 : 0] : bankCode;
}
