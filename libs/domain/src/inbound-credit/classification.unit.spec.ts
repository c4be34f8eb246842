import { DeciderSpecification } from '../../test/decider-specification';
import { conflict, notFound, ruleBroken } from '../decider';
import type { CreditBond, LotEvent, Payer } from '../lot';
import { bondIdFor, lotDecider } from '../lot';
import { classifyVirtualAccountNo, formatVirtualAccountNo } from '../virtual-account';
import type { VirtualAccountNoClassification } from '../virtual-account';
import { outcomeOfLotRefusal, suspenseForPayee } from './classification';

const LOT = 'L-2026-001';
const BANK = '102100099996';
const PREFIX = '955880';
const LOT_VA = formatVirtualAccountNo(PREFIX, 1);
const ALICE: Payer = { accountNo: '6222000011112222', name: 'Alice Construction Co', bankCode: '103100000026' };

describe('suspenseForPayee', () => {
  it('leaves a well-formed virtual number to the registry and the lot', () => {
    expect(suspenseForPayee({ kind: 'VIRTUAL', prefix: PREFIX, sequence: 1n }, BANK)).toBeUndefined();
  });

  it.each<[VirtualAccountNoClassification, string]>([
    [{ kind: 'BAD_CHECK_DIGIT', prefix: PREFIX }, 'BAD_CHECK_DIGIT'],
    [{ kind: 'MALFORMED' }, 'UNKNOWN_VIRTUAL_ACCOUNT'],
    [{ kind: 'NOT_VIRTUAL' }, 'UNKNOWN_VIRTUAL_ACCOUNT'],
  ])('suspends %j at the bank as %s', (classification, reason) => {
    expect(suspenseForPayee(classification, BANK)).toEqual({ outcome: 'SUSPENDED', reason, bankCode: BANK });
  });

  it('agrees with the number classifier on real numbers', () => {
    const classify = (no: string) => suspenseForPayee(classifyVirtualAccountNo(no, [PREFIX]), BANK);
    const wrongDigit = LOT_VA.slice(0, -1) + String((Number(LOT_VA.slice(-1)) + 1) % 10);
    expect(classify(LOT_VA)).toBeUndefined();
    expect(classify(wrongDigit)).toEqual({ outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT', bankCode: BANK });
    expect(classify('6222000011112222')).toEqual({ outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: BANK });
    expect(classify(formatVirtualAccountNo('123456', 1))).toEqual({ outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: BANK });
  });
});

describe('outcomeOfLotRefusal', () => {
  it.each(['AFTER_DEADLINE', 'NOT_BASIC_ACCOUNT', 'LOT_CLOSED'])('%s: RETURNED, naming the lot', (code) => {
    expect(outcomeOfLotRefusal(ruleBroken(code, 'refused'), LOT, BANK)).toEqual({ outcome: 'RETURNED', reason: code, lotId: LOT });
  });

  it('AMBIGUOUS_PAYER: SUSPENDED at the bank', () => {
    expect(outcomeOfLotRefusal(ruleBroken('AMBIGUOUS_PAYER', 'refused', 'payer.accountNo'), LOT, BANK)).toEqual({
      outcome: 'SUSPENDED',
      reason: 'AMBIGUOUS_PAYER',
      bankCode: BANK,
    });
  });

  it('LOT_NOT_FOUND: SUSPENDED as UNKNOWN_VIRTUAL_ACCOUNT (the registry names a lot with no stream)', () => {
    expect(outcomeOfLotRefusal(notFound('LOT_NOT_FOUND', 'no such lot', 'lotId'), LOT, BANK)).toEqual({
      outcome: 'SUSPENDED',
      reason: 'UNKNOWN_VIRTUAL_ACCOUNT',
      bankCode: BANK,
    });
  });

  it('DUPLICATE_BANK_REF stays an error, and so does any code that is not a classification outcome', () => {
    expect(outcomeOfLotRefusal(conflict('DUPLICATE_BANK_REF', 'other body', 'bankRef'), LOT, BANK)).toBeUndefined();
    expect(outcomeOfLotRefusal(ruleBroken('CURRENCY_NOT_SUPPORTED', 'not the lot\'s to say'), LOT, BANK)).toBeUndefined();
    expect(outcomeOfLotRefusal(ruleBroken('BIDS_NOT_OPENED', 'unrelated'), LOT, BANK)).toBeUndefined();
  });

  describe('on the refusals the lot decider really makes', () => {
    const lot = DeciderSpecification.for(lotDecider);
    const registered = (policy: 'ENFORCE' | 'FLAG' | 'OFF' = 'ENFORCE'): LotEvent => ({
      type: 'LotRegistered',
      data: {
        lotId: LOT,
        centerId: 'C1',
        projectCode: 'PRJ-7',
        name: 'Ring road section 3',
        estimatedPrice: '5000000.00',
        bondAmount: '50000.00',
        depositDeadline: '2026-12-10T09:00:00+08:00',
        bidOpeningTime: '2026-12-10T09:30:00+08:00',
        basicAccountPolicy: policy,
        rateScheduleId: 'PBOC-DEMAND',
      },
    });
    const credit = (overrides: Partial<CreditBond> = {}): CreditBond => ({
      type: 'CreditBond',
      creditId: 'C-HVPS001',
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
    });
    const outcome = (history: LotEvent[], command: CreditBond) =>
      outcomeOfLotRefusal(lot.given(history).when(command).thenRejects({}), LOT, BANK);

    it('a late credit is returned', () => {
      expect(outcome([registered()], credit({ receivedAt: '2026-12-10T09:00:01+08:00' }))).toEqual({ outcome: 'RETURNED', reason: 'AFTER_DEADLINE', lotId: LOT });
    });

    it('a credit from an undeclared account under ENFORCE is returned', () => {
      expect(outcome([registered()], credit({ payerDeclaredBy: [] }))).toEqual({ outcome: 'RETURNED', reason: 'NOT_BASIC_ACCOUNT', lotId: LOT });
    });

    it('a credit to a terminated tender is returned', () => {
      const terminated: LotEvent = {
        type: 'TenderTerminated',
        data: { lotId: LOT, reason: 'cancelled', terminatedAt: '2026-12-05T10:00:00+08:00', refundsDueBy: '2026-12-05' },
      };
      expect(outcome([registered(), terminated], credit())).toEqual({ outcome: 'RETURNED', reason: 'LOT_CLOSED', lotId: LOT });
    });

    it('a credit from an account declared by several bidders is suspended', () => {
      expect(outcome([registered('OFF')], credit({ payerDeclaredBy: ['alice', 'mallory'] }))).toEqual({
        outcome: 'SUSPENDED',
        reason: 'AMBIGUOUS_PAYER',
        bankCode: BANK,
      });
    });

    it('a credit to a lot without a stream is suspended as unknown', () => {
      expect(outcome([], credit())).toEqual({ outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: BANK });
    });

    it('a bank reference the lot holds with another body stays a DUPLICATE_BANK_REF error', () => {
      const [credited] = lot.given([registered()]).when(credit()).thenEvents();
      expect(credited.data).toMatchObject({ bondId: bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo) });
      expect(outcome([registered(), credited], credit({ requestHash: 'hash-2' }))).toBeUndefined();
    });
  });
});
