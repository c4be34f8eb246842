import type { BondView, LotSummary, RefundItem, StatementLineKind } from '@app/projections';
import { amountInWords } from './amount-in-words';
import { cstTime, groupedAmount, ratesText } from './formats';
import type { PdfPage } from './pdf-writer';
import type { Statement } from './statement';

/**
 * What the console's PDFs show (docs/api.md, "Routes for the console"): the statement (对账单), a bond's
 * deposit certificate (保证金缴纳凭证) and the refund list (退款清单). Chinese first, English beneath; money
 * as the API gives it, grouped by thousands; times in China Standard Time.
 */

const KIND: Record<StatementLineKind, string> = {
  CREDIT: '入账 Credit',
  REVERSAL: '冲正 Reversal',
  REFUND: '退还 Refund',
  REFUND_FAILED: '退款退回 Refund failed',
  FORFEITURE: '没收 Forfeiture',
};

const BOND_STATUS: Record<string, string> = {
  HELD: '持有 Held',
  REFUND_DUE: '待退还 Refund due',
  REFUND_PENDING: '退还中 Refund pending',
  REFUNDED: '已退还 Refunded',
  FORFEITED: '已没收 Forfeited',
};

const REFUND_STATUS: Record<string, string> = { INSTRUCTED: '已指令 Instructed', SETTLED: '已到账 Settled', FAILED: '失败 Failed' };

const yuan = (amount: string) => `¥${groupedAmount(amount)}`;

function lotFields(lot: LotSummary): [string, string][] {
  return [
    ['标段 Lot', lot.lotId],
    ['项目 Project', `${lot.terms.name}（${lot.terms.projectCode}）`],
    ['招标中心 Center', lot.centerId],
    ['开标时间 Bid opening', cstTime(lot.terms.bidOpeningTime)],
  ];
}

/** 对账单: every line, then the totals, which agree with the ledger's balances of the lot's accounts. */
export function drawStatement(page: PdfPage, lot: LotSummary, statement: Statement, printedAt: string): void {
  page.title('保证金专户对账单', `Bid-bond account statement · 截至 as of ${statement.asOf} · 打印 printed ${cstTime(printedAt)} (UTC+8)`);
  page.fields([...lotFields(lot), ['账户 Virtual accounts', lot.virtualAccounts.map((account) => account.virtualAccountNo).join(', ')], ['笔数 Lines', String(statement.lines.length)]]);
  page.heading('明细 Lines');
  page.table(
    [
      { header: '时间 Time', width: 11 },
      { header: '类型 Kind', width: 9 },
      { header: '保证金 Bond', width: 15 },
      { header: '投标人 Bidder', width: 8 },
      { header: '对方户名 Counterparty', width: 14 },
      { header: '对方账号 Account / bank', width: 14 },
      { header: '金额 Amount', width: 9, align: 'right' },
      { header: '利息 Interest', width: 7, align: 'right' },
      { header: '起息/退款日 Date', width: 8 },
      { header: '流水号 Bank ref', width: 10 },
    ],
    statement.lines.map((line) => [
      cstTime(line.at),
      KIND[line.kind],
      line.bondId,
      line.bidderId ?? '',
      line.counterparty.name ?? '',
      `${line.counterparty.accountNo}\n${line.counterparty.bankCode}`,
      groupedAmount(line.amount),
      line.interest === undefined ? '' : groupedAmount(line.interest),
      line.valueDate ?? '',
      [line.bankRef, line.refundId].filter((text) => text !== undefined).join('\n'),
    ]),
  );
  const { totals } = statement;
  page.heading('合计 Totals');
  page.fields([
    ['入账 Credited', yuan(totals.credited)],
    ['冲正 Reversed', yuan(totals.reversed)],
    ['退还本金 Refunded principal', yuan(totals.refundedPrincipal)],
    ['支付利息 Interest paid', yuan(totals.interestPaid)],
    ['没收 Forfeited', yuan(totals.forfeited)],
    ['余额 Held', yuan(totals.held)],
  ]);
  page.paragraph('余额 = 入账 − 冲正 − 退还本金 − 没收，与虚拟子账户余额一致。Held = credited − reversed − refunded principal − forfeited: the balance of the lot’s virtual accounts.', 8);
}

/** 保证金缴纳凭证: one bond, its payer, its amount in figures and words, each tranche's value date. */
export function drawCertificate(page: PdfPage, lot: LotSummary, bond: BondView, printedAt: string): void {
  page.title('投标保证金缴纳凭证', `Bid-bond deposit certificate · 打印 printed ${cstTime(printedAt)} (UTC+8)`);
  page.fields([
    ['保证金编号 Bond', bond.bondId],
    ['状态 Status', BOND_STATUS[bond.status] ?? bond.status],
    ...lotFields(lot),
    ['投标人 Bidder', bond.bidderId ?? '（未指明 not named）'],
    ['缴款人 Payer', bond.payer.name],
    ['缴款账号 Payer account', bond.payer.accountNo],
    ['缴款行 Payer bank', bond.payer.bankCode],
    ['金额 Amount', yuan(bond.principal)],
    ['大写 In words', amountInWords(bond.principal)],
    ['应缴金额 Bond amount', yuan(lot.terms.bondAmount)],
    ['标记 Flags', bond.flags.join(', ')],
    ['截至 As of', bond.asOf],
    ['应计利息 Accrued interest', bond.accruedInterest === undefined ? '' : yuan(bond.accruedInterest)],
  ]);
  page.heading('入账明细 Tranches');
  page.table(
    [
      { header: '入账编号 Credit', width: 14 },
      { header: '虚拟账号 Virtual account', width: 11 },
      { header: '银行 Bank', width: 8 },
      { header: '起息日 Value date', width: 7 },
      { header: '金额 Amount', width: 8, align: 'right' },
    ],
    bond.tranches.map((tranche) => [tranche.creditId, tranche.virtualAccountNo, tranche.bankCode, tranche.valueDate, groupedAmount(tranche.amount)]),
    8,
  );
  page.paragraph('本凭证依据银行保证金专户台账生成，金额以账务记录为准。This certificate is drawn from the bank’s bid-bond ledger; the ledger’s records prevail.', 8);
}

export interface RefundListEntry extends RefundItem {
  readonly dayCount: string;
  readonly rates: readonly { readonly effectiveFrom: string; readonly annualRate: string }[];
}

/** 退款清单: each refund instructed, principal and interest with the day count and rates it was priced with. */
export function drawRefundList(page: PdfPage, lot: LotSummary, refunds: readonly RefundListEntry[], totals: { principal: string; interest: string; total: string }, printedAt: string): void {
  page.title('保证金退款清单', `Bid-bond refund list · 打印 printed ${cstTime(printedAt)} (UTC+8)`);
  page.fields([...lotFields(lot), ['笔数 Refunds', String(refunds.length)]]);
  page.table(
    [
      { header: '退款编号 Refund', width: 14 },
      { header: '投标人 Bidder', width: 7 },
      { header: '收款人 Pay to', width: 14 },
      { header: '本金 Principal', width: 8, align: 'right' },
      { header: '利息 Interest', width: 6, align: 'right' },
      { header: '合计 Total', width: 8, align: 'right' },
      { header: '退款日 Refund on', width: 7 },
      { header: '计息 Day count / rates', width: 14 },
      { header: '状态 Status', width: 8 },
      { header: '流水号 Bank ref', width: 8 },
    ],
    refunds.map((refund) => [
      `${refund.refundId}\n(${refund.attempt})`,
      refund.bidderId ?? '',
      `${refund.payTo.name}\n${refund.payTo.accountNo} ${refund.payTo.bankCode}`,
      groupedAmount(refund.principal),
      groupedAmount(refund.interest),
      groupedAmount(refund.total),
      `${refund.refundOn}${refund.late ? '\n逾期 late' : ''}`,
      `${refund.dayCount}\n${ratesText(refund.rates)}`,
      `${REFUND_STATUS[refund.status] ?? refund.status}${refund.failureReason === undefined ? '' : `\n${refund.failureReason}`}`,
      refund.bankRef ?? '',
    ]),
  );
  page.fields([
    ['本金合计 Principal', yuan(totals.principal)],
    ['利息合计 Interest', yuan(totals.interest)],
    ['总计 Total', yuan(totals.total)],
  ]);
  page.paragraph('合计不含失败的退款（其资金已退回账户）。Totals leave out failed refunds (their money came back).', 8);
}
