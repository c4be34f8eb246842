import { amountInWords } from './amount-in-words';
import { csvText } from './csv';
import { cstTime, groupedAmount, ratePercent } from './formats';
import { statementOf } from './statement';

describe('amounts in capital numerals (大写金额)', () => {
  it.each([
    ['50000.00', '人民币伍万元整'],
    ['1234.56', '人民币壹仟贰佰叁拾肆元伍角陆分'],
    ['100005.00', '人民币壹拾万零伍元整'],
    ['10.05', '人民币壹拾元零伍分'],
    ['0.50', '人民币伍角'],
    ['0.00', '人民币零元整'],
    ['100000000.00', '人民币壹亿元整'],
    ['120030405.60', '人民币壹亿贰仟零叁万零肆佰零伍元陆角'],
  ])('%s → %s', (amount, words) => expect(amountInWords(amount)).toBe(words));
});

describe('CSV', () => {
  it('starts with a BOM, ends every record with CRLF, quotes as RFC 4180 and defuses formulas', () => {
    expect(csvText([['a', 'b'], ['x,y', 'say "hi"'], ['line\nbreak', undefined], ['=SUM(A1)', '-1'], [12, true]])).toBe(
      '\uFEFFa,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n\'=SUM(A1),\'-1\r\n12,true\r\n',
    );
  });
});

describe('document formats', () => {
  it('groups amounts by thousands from the string, prints instants in China Standard Time and rates as percentages', () => {
    expect(groupedAmount('1234567.89')).toBe('1,234,567.89');
    expect(groupedAmount('999.00')).toBe('999.00');
    expect(cstTime('2026-12-15T01:30:00Z')).toBe('2026-12-15 09:30:00');
    expect(ratePercent('0.0035')).toBe('0.35%');
  });
});

describe('statement totals', () => {
  const party = { accountNo: '6222', name: 'A', bankCode: '103' };
  it('adds up each kind in fen, nets failed refunds, and leaves held = credited − reversed − refunded − forfeited', () => {
    const statement = statementOf('L', '2026-12-20', [
      { at: '2026-12-15T09:00:00+08:00', kind: 'CREDIT', bondId: 'B1', counterparty: party, amount: '50000.00' },
      { at: '2026-12-16T23:30:00+08:00', kind: 'CREDIT', bondId: 'B2', counterparty: party, amount: '0.10' },
      { at: '2026-12-16T16:00:00Z', kind: 'CREDIT', bondId: 'B2', counterparty: party, amount: '0.20' },
      { at: '2026-12-17T00:00:00Z', kind: 'REVERSAL', bondId: 'B2', counterparty: party, amount: '0.20' },
      { at: '2026-12-18T00:00:00Z', kind: 'REFUND', bondId: 'B1', counterparty: party, amount: '50000.00', interest: '4.86' },
      { at: '2026-12-19T00:00:00Z', kind: 'REFUND_FAILED', bondId: 'B1', counterparty: party, amount: '50000.00', interest: '4.86' },
      { at: '2026-12-19T01:00:00Z', kind: 'REFUND', bondId: 'B1', counterparty: party, amount: '50000.00', interest: '5.10' },
      { at: '2026-12-19T02:00:00Z', kind: 'FORFEITURE', bondId: 'B2', counterparty: party, amount: '0.10' },
    ]);
    expect(statement.totals).toEqual({ credited: '50000.30', reversed: '0.20', refundedPrincipal: '50000.00', interestPaid: '5.10', forfeited: '0.10', held: '0.00' });
    // 16:00Z on the 16th is 00:00 on the 17th in China Standard Time.
    expect(statement.receivedByDay).toEqual([
      { date: '2026-12-15', amount: '50000.00' },
      { date: '2026-12-16', amount: '0.10' },
      { date: '2026-12-17', amount: '0.20' },
    ]);
  });
});
