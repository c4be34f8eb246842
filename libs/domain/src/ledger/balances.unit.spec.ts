import { balancesOf } from './balances';
import { type Posting, UnbalancedPostingsError, balancedPostings, transfer } from './postings';

describe('balancesOf', () => {
  const bondCredited = transfer('clearing:B1', 'virtual:V1', '50000.00');
  // Refund of principal 50,000.00 plus interest 14.58 along the original path.
  const bondRefunded = balancedPostings([
    { account: 'virtual:V1', side: 'DEBIT', amount: '50000.00' },
    { account: 'interest-expense:B1', side: 'DEBIT', amount: '14.58' },
    { account: 'clearing:B1', side: 'CREDIT', amount: '50014.58' },
  ]);

  it('gives debits minus credits: a liability holding money is negative', () => {
    expect(balancesOf([bondCredited])).toEqual(
      new Map([
        ['clearing:B1', '50000.00'],
        ['virtual:V1', '-50000.00'],
      ]),
    );
  });

  it('nets successive sets and keeps accounts back at zero', () => {
    // clearing 50000.00 - 50014.58 = -14.58; virtual -50000.00 + 50000.00 = 0.00; expense +14.58
    expect(balancesOf([bondCredited, bondRefunded])).toEqual(
      new Map([
        ['clearing:B1', '-14.58'],
        ['virtual:V1', '0.00'],
        ['interest-expense:B1', '14.58'],
      ]),
    );
  });

  it('is empty for no postings', () => expect(balancesOf([])).toEqual(new Map()));

  it('refuses an unbalanced set, e.g. one replayed from a corrupted event', () => {
    const corrupted: Posting[] = [
      { account: 'clearing:B1', side: 'DEBIT', amount: '50000.00' },
      { account: 'virtual:V1', side: 'CREDIT', amount: '5000.00' },
    ];
    expect(() => balancesOf([bondCredited, corrupted])).toThrow(UnbalancedPostingsError);
  });
});
