import { DeciderSpecification } from '../../test/decider-specification';
import {
  type BasicAccountDeclared,
  type DeclareBasicAccount,
  basicAccountDecider,
  basicAccountStream,
} from './basic-account-registry';

const spec = DeciderSpecification.for(basicAccountDecider);

const declare: DeclareBasicAccount = {
  type: 'DeclareBasicAccount',
  bidderId: 'B-42',
  accountNo: '6222021234567890123',
  accountName: '深圳某某建设有限公司',
  bankCode: '102584000002',
};

const declared: BasicAccountDeclared = {
  type: 'BasicAccountDeclared',
  data: {
    bidderId: 'B-42',
    accountNo: '6222021234567890123',
    accountName: '深圳某某建设有限公司',
    bankCode: '102584000002',
  },
};

const declaredByAnother: BasicAccountDeclared = {
  type: 'BasicAccountDeclared',
  data: { ...declared.data, bidderId: 'B-77', accountName: '深圳某某工程有限公司' },
};

describe('basic-account registry', () => {
  it('lives in one stream per declared account, basic-account-{accountNo}', () => {
    expect(basicAccountStream('6222021234567890123')).toBe('basic-account-6222021234567890123');
  });

  it('records a first declaration', () => {
    spec.given([]).when(declare).then([declared]);
  });

  it('refuses the same bidder declaring the same account again with 409 BASIC_ACCOUNT_ALREADY_DECLARED on accountNo', () => {
    spec
      .given([declared])
      .when({ ...declare, accountName: 'a different spelling' })
      .thenRejects({ kind: 'CONFLICT', code: 'BASIC_ACCOUNT_ALREADY_DECLARED', field: 'accountNo' });
  });

  it('refuses a repeat even after another bidder declared the account', () => {
    spec
      .given([declared, declaredByAnother])
      .when(declare)
      .thenRejects({ kind: 'CONFLICT', code: 'BASIC_ACCOUNT_ALREADY_DECLARED', field: 'accountNo' });
  });

  it('records another bidder declaring an account already declared (a data problem, reported on inbound)', () => {
    spec
      .given([declared])
      .when({ ...declare, bidderId: 'B-77', accountName: '深圳某某工程有限公司' })
      .then([declaredByAnother]);
  });

  describe('state', () => {
    it('starts undeclared', () => {
      expect(basicAccountDecider.initialState).toEqual({ accountNo: undefined, declaredBy: [], declarations: [] });
    });

    it('exposes the account and its one declarer', () => {
      expect(spec.given([]).when(declare).thenState()).toEqual({
        accountNo: '6222021234567890123',
        declaredBy: ['B-42'],
        declarations: [declared.data],
      });
    });

    it('exposes every declarer in order, with the details each gave', () => {
      const state = spec
        .given([declared])
        .when({ ...declare, bidderId: 'B-77', accountName: '深圳某某工程有限公司' })
        .thenState();
      expect(state.declaredBy).toEqual(['B-42', 'B-77']);
      expect(state.declarations).toEqual([declared.data, declaredByAnother.data]);
    });
  });
});
