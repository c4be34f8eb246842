import type { CreditBond, LotRegistered, Payer } from '../src/lot';

/** The lot, bank and payers the domain's specifications share. */
export const LOT = 'L-2026-001';
export const CENTER = 'C1';
/** The receiving bank: its clearing account takes the money, its virtual accounts address the lot. */
export const BANK = '102100099996';
export const ALICE: Payer = { accountNo: '6222000011112222', name: 'Alice Construction Co', bankCode: '103100000026' };
export const BOB: Payer = { accountNo: '6222000033334444', name: 'Bob Engineering Ltd', bankCode: '104100000004' };

/**
 * A lot's registration: a bond of 50,000.00 on an estimated price of 5,000,000.00 (1%, within Art. 26's
 * 2%), deposits until 09:00 and bids opened at 09:30 Beijing time on 10 December 2026, basic accounts
 * enforced, interest on the PBOC demand schedule.
 */
export function registered(overrides: Partial<LotRegistered['data']> = {}): LotRegistered {
  return {
    type: 'LotRegistered',
    data: {
      lotId: LOT,
      centerId: CENTER,
      projectCode: 'PRJ-7',
      name: 'Ring road section 3',
      estimatedPrice: '5000000.00',
      bondAmount: '50000.00',
      depositDeadline: '2026-12-10T09:00:00+08:00',
      bidOpeningTime: '2026-12-10T09:30:00+08:00',
      basicAccountPolicy: 'ENFORCE',
      rateScheduleId: 'PBOC-DEMAND',
      ...overrides,
    },
  };
}

/** The lot's lot-level virtual account. */
export const LOT_VA = '9558800000000000018';

/** Alice's 50,000.00 into the lot account, received on 1 December 2026 at 10:02:03 Beijing time. */
export function creditBond(overrides: Partial<CreditBond> = {}): CreditBond {
  return {
    type: 'CreditBond',
    creditId: 'C-HVPS001',
    anchorRevision: 0,
    bankRef: 'HVPS001',
    requestHash: 'hash-1',
    source: 'INBOUND',
    receivedAt: '2026-12-01T10:02:03+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    payer: ALICE,
    virtualAccount: { virtualAccountNo: LOT_VA, bankCode: BANK },
    payerDeclaredBy: ['alice'],
    ...overrides,
  };
}
