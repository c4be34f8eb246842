import {
  centerSettlementAccount,
  clearingAccount,
  interestExpenseAccount,
  suspenseAccount,
  virtualSubAccount,
} from './ledger-accounts';

describe('ledger account ids', () => {
  it('name the kind of account and its identifier', () => {
    expect(clearingAccount('102100099996')).toBe('clearing:102100099996');
    expect(virtualSubAccount('9558801001234567')).toBe('virtual:9558801001234567');
    expect(suspenseAccount('102100099996')).toBe('suspense:102100099996');
    expect(interestExpenseAccount('102100099996')).toBe('interest-expense:102100099996');
    expect(centerSettlementAccount('GZ-PRC.01')).toBe('center-settlement:GZ-PRC.01');
  });

  it('keep accounts of different kinds apart for the same identifier', () => {
    expect(clearingAccount('B1')).not.toBe(suspenseAccount('B1'));
  });

  it.each(['', 'a:b', '-leading-dash', 'x'.repeat(65)])('refuse the identifier %j', (identifier) => {
    expect(() => clearingAccount(identifier)).toThrow(RangeError);
  });
});
