import { DeciderSpecification } from '../../test/decider-specification';
import {
  type MasterAccountOpened,
  type OpenMasterAccount,
  masterAccountDecider,
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
  it('lives in the stream master-account-{accountNo}', () => {
    expect(masterAccountStream('4000021129200123456')).toBe('master-account-4000021129200123456');
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
