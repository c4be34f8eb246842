import { DeciderSpecification } from '../../test/decider-specification';
import {
  type MasterAccountOpened,
  type OpenMasterAccount,
  masterAccountDecider,
  masterAccountNamed,
  masterAccountStream,
} from './master-account';

const spec = DeciderSpecification.for(masterAccountDecider);

const open: OpenMasterAccount = {
  type: 'OpenMasterAccount',
  centerId: 'SZ-GGZY',
  bankCode: '102584000002',
  accountNo: '4000021129200123456',
  accountName: '深圳公共资源交易中心保证金专户',
  centerExists: true,
  virtualAccountPrefix: '955880',
};

const opened: MasterAccountOpened = {
  type: 'MasterAccountOpened',
  data: {
    centerId: 'SZ-GGZY',
    bankCode: '102584000002',
    accountNo: '4000021129200123456',
    accountName: '深圳公共资源交易中心保证金专户',
    virtualAccountPrefix: '955880',
  },
};

describe('master account', () => {
  it('lives in the stream master-account-{bankCode}-{accountNo}: a number is unique per bank, not across banks', () => {
    expect(masterAccountStream('102100099996', '4000021129200123456')).toBe('master-account-102100099996-4000021129200123456');
    expect(masterAccountStream('105100000017', '4000021129200123456')).not.toBe(masterAccountStream('102100099996', '4000021129200123456'));
  });

  it('opens an account of a known center at a served bank, recording the bank prefix', () => {
    spec.given([]).when(open).then([opened]);
  });

  it('refuses an unknown center with 404 TENDER_CENTER_NOT_FOUND on centerId', () => {
    spec
      .given([])
      .when({ ...open, centerExists: false })
      .thenRejects({ kind: 'NOT_FOUND', code: 'TENDER_CENTER_NOT_FOUND', field: 'centerId' });
  });

  it('refuses an account already opened with 409 MASTER_ACCOUNT_EXISTS on accountNo', () => {
    spec.given([opened]).when(open).thenRejects({ kind: 'CONFLICT', code: 'MASTER_ACCOUNT_EXISTS', field: 'accountNo' });
  });

  it('refuses an account already opened by another center too', () => {
    spec
      .given([opened])
      .when({ ...open, centerId: 'GZ-GGZY' })
      .thenRejects({ kind: 'CONFLICT', code: 'MASTER_ACCOUNT_EXISTS', field: 'accountNo' });
  });

  it('refuses a bank this ledger does not serve with 422 BANK_NOT_SUPPORTED on bankCode', () => {
    spec
      .given([])
      .when({ ...open, virtualAccountPrefix: undefined })
      .thenRejects({ kind: 'BUSINESS_RULE', code: 'BANK_NOT_SUPPORTED', field: 'bankCode' });
  });

  it('treats a malformed configured prefix as a configuration error', () => {
    const malformed = { ...open, virtualAccountPrefix: '055880' };
    expect(() => masterAccountDecider.decide(malformed, masterAccountDecider.initialState)).toThrow(RangeError);
  });

  it('knows the account after opening', () => {
    expect(masterAccountDecider.initialState).toEqual({ exists: false });
    expect(spec.given([]).when(open).thenState()).toEqual({ exists: true, ...opened.data });
  });
});

describe('the master account a number names (masterAccountNamed)', () => {
  const at = (bankCode: string, centerId: string) => ({ ...opened.data, bankCode, centerId });
  const ICBC = at('102100099996', 'SZ-GGZY');
  const CCB = at('105100000017', 'SZ-GGZY');
  const OTHER_CENTER_AT_CCB = at('105100000017', 'GZ-GGZY');
  const no = opened.data.accountNo;

  it('is the only account of the number, whichever center holds it (the issuing rules judge the center)', () => {
    expect(masterAccountNamed(no, [OTHER_CENTER_AT_CCB], 'SZ-GGZY', undefined)).toBe(OTHER_CENTER_AT_CCB);
  });

  it("is the lot's center's one when the number is open at several banks", () => {
    expect(masterAccountNamed(no, [ICBC, OTHER_CENTER_AT_CCB], 'SZ-GGZY', undefined)).toBe(ICBC);
  });

  it('is the one at the bank the request names', () => {
    expect(masterAccountNamed(no, [ICBC, CCB], 'SZ-GGZY', '105100000017')).toBe(CCB);
  });

  it('is ambiguous when the center holds the number at several banks and the request names none', () => {
    expect(masterAccountNamed(no, [ICBC, CCB], 'SZ-GGZY', undefined)).toMatchObject({ kind: 'BUSINESS_RULE', code: 'AMBIGUOUS_MASTER_ACCOUNT', field: 'masterAccountNo' });
  });

  it('is not found when no bank has it, or not the bank named', () => {
    expect(masterAccountNamed(no, [], 'SZ-GGZY', undefined)).toMatchObject({ kind: 'NOT_FOUND', code: 'MASTER_ACCOUNT_NOT_FOUND' });
    expect(masterAccountNamed(no, [ICBC], 'SZ-GGZY', '105100000017')).toMatchObject({ kind: 'NOT_FOUND', code: 'MASTER_ACCOUNT_NOT_FOUND' });
  });
});
