import { replay } from '../decider';
import { DeciderSpecification } from '../../test/decider-specification';
import {
  type BasicAccountDeclared,
  type BasicAccountEvent,
  type DeclareBasicAccount,
  basicAccountDecider,
  basicAccountHoldersFor,
  basicAccountStream,
  legacyHoldersToCheck,
} from './basic-account-registry';

/**
 * The account stream's part of issue #14 item 5 (docs/rules.md "Basic accounts"): declarations are
 * attributed to a center or to the bank, and a lot counts only those valid for its center.
 */
const spec = DeciderSpecification.for(basicAccountDecider);

const BANK = '102584000002';
const ACCOUNT = '6222021234567890123';

const declare: DeclareBasicAccount = {
  type: 'DeclareBasicAccount',
  bidderId: 'B-42',
  accountNo: ACCOUNT,
  accountName: '深圳某某建设有限公司',
  bankCode: BANK,
  centerId: 'C1',
  declaredOn: '2026-03-10',
};

const declared = (overrides: Partial<BasicAccountDeclared['data']> = {}): BasicAccountDeclared => ({
  type: 'BasicAccountDeclared',
  data: { bidderId: 'B-42', accountNo: ACCOUNT, accountName: '深圳某某建设有限公司', bankCode: BANK, declaredOn: '2026-03-10', centerId: 'C1', ...overrides },
});

/** A version-1 event, as an older ledger recorded it: no center, no date. */
const legacy = (bidderId: string): BasicAccountDeclared => ({
  type: 'BasicAccountDeclared',
  data: { bidderId, accountNo: ACCOUNT, accountName: `${bidderId} Ltd`, bankCode: BANK },
});

const holders = (events: BasicAccountEvent[], centerId: string, redeclared: string[] = []) =>
  basicAccountHoldersFor(replay(basicAccountDecider, events), { centerId, bankCode: BANK }, (bidderId) => redeclared.includes(bidderId));

describe('basic-account registry (one stream per account number)', () => {
  it('lives in one stream per declared account, basic-account-{accountNo}', () => {
    expect(basicAccountStream(ACCOUNT)).toBe(`basic-account-${ACCOUNT}`);
  });

  it('given nothing, when a center declares, then BasicAccountDeclared (version 2) names the center and the date', () => {
    spec.given([]).when(declare).then([declared()]);
  });

  it('given the center declared it, when the same bidder declares it again in the same scope, then 409 BASIC_ACCOUNT_ALREADY_DECLARED', () => {
    spec.given([declared()]).when({ ...declare, accountName: 'another spelling' }).thenRejects({ kind: 'CONFLICT', code: 'BASIC_ACCOUNT_ALREADY_DECLARED', field: 'accountNo' });
  });

  it('given C1 declared it, when C2 declares the same account for the same bidder, then it is recorded (each center its own)', () => {
    spec.given([declared()]).when({ ...declare, centerId: 'C2' }).then([declared({ centerId: 'C2' })]);
  });

  it('given the bank confirmed it for B-42, when a center declares it for B-77, then 409 BASIC_ACCOUNT_CONFIRMED', () => {
    const { centerId: _c, ...bank } = declared().data;
    spec
      .given([{ type: 'BasicAccountDeclared', data: bank }])
      .when({ ...declare, bidderId: 'B-77' })
      .thenRejects({ kind: 'CONFLICT', code: 'BASIC_ACCOUNT_CONFIRMED', field: 'accountNo' });
  });

  describe('which declarations decide a lot of center C', () => {
    it("given C2 declared C1's bidder's account for its own bidder, when C1's lot asks, then only C1's bidder: C2's declaration never decides C1's lot", () => {
      const events = [declared({ bidderId: 'B1', centerId: 'C1' }), declared({ bidderId: 'B2', centerId: 'C2' })];
      expect(holders(events, 'C1')).toEqual(['B1']);
      expect(holders(events, 'C2')).toEqual(['B2']);
      expect(holders(events, 'C3')).toEqual([]);
    });

    it("given the bank's declaration, then it decides every center's lots, over a center's own", () => {
      const { centerId: _c, ...bank } = declared({ bidderId: 'B1' }).data;
      const events = [declared({ bidderId: 'B2', centerId: 'C2' }), { type: 'BasicAccountDeclared' as const, data: bank }];
      expect(holders(events, 'C1')).toEqual(['B1']);
      expect(holders(events, 'C2')).toEqual(['B1']);
    });

    it('given a replaced holding, then it no longer counts', () => {
      const events: BasicAccountEvent[] = [
        declared({ bidderId: 'B1' }),
        { type: 'BasicAccountReplaced', data: { bidderId: 'B1', accountNo: ACCOUNT, bankCode: BANK, centerId: 'C1', replacedBy: { accountNo: '6222', bankCode: BANK }, changedByCenterId: 'C1', replacedOn: '2026-04-01', evidenceRef: 'permit J5840001' } },
      ];
      expect(holders(events, 'C1')).toEqual([]);
    });

    it('given the same number at another bank, then it is another account', () => {
      expect(basicAccountHoldersFor(replay(basicAccountDecider, [declared()]), { centerId: 'C1', bankCode: '999' }, () => false)).toEqual([]);
    });
  });

  describe('version-1 declarations (an older ledger: one shared list)', () => {
    it('read as legacy: valid for every center, several bidders of one account ambiguous as before', () => {
      const events = [legacy('B1'), legacy('B2')];
      expect(holders(events, 'C1')).toEqual(['B1', 'B2']);
      expect(legacyHoldersToCheck(replay(basicAccountDecider, events), { centerId: 'C1', bankCode: BANK })).toEqual(['B1', 'B2']);
    });

    it('no longer count for a center once the bidder is declared again for it (own or bank): its version-2 declaration stands', () => {
      expect(holders([legacy('B1'), legacy('B2')], 'C1', ['B2'])).toEqual(['B1']);
    });

    it("give way to the center's own or the bank's declarations of the account, and then need no bidder read", () => {
      const events = [legacy('B1'), declared({ bidderId: 'B2', centerId: 'C1' })];
      expect(holders(events, 'C1')).toEqual(['B2']);
      expect(legacyHoldersToCheck(replay(basicAccountDecider, events), { centerId: 'C1', bankCode: BANK })).toEqual([]);
      expect(holders(events, 'C2')).toEqual(['B1']);
    });

    it('a legacy repeat of the same bidder holds once', () => {
      expect(replay(basicAccountDecider, [legacy('B1'), legacy('B1')]).holdings).toHaveLength(1);
    });
  });
});
