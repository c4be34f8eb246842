import { type Posting, UnbalancedPostingsError, balancedPostings, postings, transfer } from './postings';

const debit = (account: string, amount: string): Posting => ({ account, side: 'DEBIT', amount });
const credit = (account: string, amount: string): Posting => ({ account, side: 'CREDIT', amount });

describe('transfer', () => {
  it('debits one account and credits the other with the same amount', () => {
    expect(transfer('clearing:B1', 'virtual:V1', '50000.00')).toEqual([
      debit('clearing:B1', '50000.00'),
      credit('virtual:V1', '50000.00'),
    ]);
  });

  it.each(['0.00', '-1.00', '1.5', '1,000.00'])('refuses the amount %j', (amount) => {
    expect(() => transfer('clearing:B1', 'virtual:V1', amount)).toThrow(UnbalancedPostingsError);
  });
});

describe('balancedPostings', () => {
  it('accepts several legs whose debits equal their credits (50014.58 = 50000.00 + 14.58)', () => {
    const legs = [debit('virtual:V1', '50000.00'), debit('interest-expense:B1', '14.58'), credit('clearing:B1', '50014.58')];
    expect(balancedPostings(legs)).toEqual(legs);
  });

  it('returns a frozen copy', () => {
    const set = balancedPostings([debit('a:1', '1.00'), credit('b:1', '1.00')]);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set[0])).toBe(true);
  });

  it('is also callable with the postings inline', () => {
    expect(postings(debit('a:1', '1.00'), credit('b:1', '1.00'))).toHaveLength(2);
  });

  describe('refuses', () => {
    const refusal = (list: readonly Posting[]): string => {
      try {
        balancedPostings(list);
      } catch (error) {
        if (error instanceof UnbalancedPostingsError) return error.message;
        throw error;
      }
      throw new Error('expected an UnbalancedPostingsError');
    };

    it('an empty set', () => expect(refusal([])).toMatch(/at least one/));

    it('debits that differ from credits by a fen (100.00 vs 99.99)', () => {
      expect(refusal([debit('a:1', '100.00'), credit('b:1', '99.99')])).toMatch(/debits 100.00 != credits 99.99/);
    });

    it('a debit alone', () => expect(refusal([debit('a:1', '1.00')])).toMatch(/debits 1.00 != credits 0.00/));

    it.each(['0.00', '-5.00', '5', '5.000', '1e2'])('the amount %j', (amount) => {
      expect(refusal([debit('a:1', amount), credit('b:1', amount)])).toMatch(/posting 0/);
    });

    it('a JS number as amount (as replayed JSON could carry)', () => {
      const fromJson = JSON.parse('[{"account":"a:1","side":"DEBIT","amount":5},{"account":"b:1","side":"CREDIT","amount":5}]');
      expect(refusal(fromJson)).toMatch(/posting 0/);
    });

    it('an unknown side', () => {
      const lowerCase = { account: 'a:1', side: 'debit', amount: '1.00' } as unknown as Posting;
      expect(refusal([lowerCase, credit('b:1', '1.00')])).toMatch(/side must be DEBIT or CREDIT/);
    });

    it('an empty account', () => {
      expect(refusal([debit('', '1.00'), credit('b:1', '1.00')])).toMatch(/account must be a non-empty string/);
    });
  });
});
