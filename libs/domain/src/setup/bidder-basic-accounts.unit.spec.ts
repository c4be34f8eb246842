import { type Plan, replay } from '../decider';
import { lotDecider } from '../lot';
import { type BasicAccountState, basicAccountDecider, basicAccountHoldersFor, basicAccountStream } from './basic-account-registry';
import {
  type BasicAccountAnswer,
  type BasicAccountDeclarationRequest,
  type BidderBasicAccountsState,
  type BidderEvent,
  accountsToRead,
  bidderStream,
  decideBasicAccountDeclaration,
  evolveBidder,
  initialBidderState,
} from './bidder-basic-accounts';
import { type BasicAccountEvent } from './basic-account-registry';
import { registered } from '../../test/lot-fixtures';

/**
 * Issue #14 item 5 (docs/rules.md "Basic accounts"): by law a company has exactly one basic deposit
 * account (人民币银行结算账户管理办法: one basic account per depositor; 招标投标法实施条例 art. 26:
 * bonds of mandatory tenders come from it). One per bidder and scope at a time; a change is dated and
 * names its evidence; one center's declaration never decides another center's lot.
 */

const BANK = '102584000002';
const REAL = '6222000011110001';
const SHELL = '6222000099990009';
const NOW = '2026-03-10T02:00:00Z'; // 2026-03-10 in Asia/Shanghai

/** A tiny in-memory ledger of the streams a declaration touches, written as the kernel would. */
class Registry {
  readonly streams = new Map<string, (BidderEvent | BasicAccountEvent)[]>();

  bidder(bidderId: string): BidderBasicAccountsState {
    return (this.streams.get(bidderStream(bidderId)) ?? []).reduce((state, event) => evolveBidder(state, event as BidderEvent), initialBidderState);
  }

  account(accountNo: string): BasicAccountState {
    return replay(basicAccountDecider, (this.streams.get(basicAccountStream(accountNo)) ?? []) as BasicAccountEvent[]);
  }

  plan(request: BasicAccountDeclarationRequest, now = NOW): Plan<BasicAccountAnswer> {
    const bidder = this.bidder(request.bidderId);
    const named = new Set(accountsToRead(bidder, request));
    const accounts = (accountNo: string) => {
      if (!named.has(accountNo)) throw new Error(`read ${accountNo}, not named by accountsToRead`);
      return this.account(accountNo);
    };
    return decideBasicAccountDeclaration({ request, now, bidder, accounts });
  }

  /** Decides and appends; the answer, or the rejection's code and field. */
  declare(request: BasicAccountDeclarationRequest, now = NOW): BasicAccountAnswer | { code: string; field?: string } {
    const plan = this.plan(request, now);
    for (const write of plan.writes) this.streams.set(write.stream, [...(this.streams.get(write.stream) ?? []), ...(write.events as (BidderEvent | BasicAccountEvent)[])]);
    if ('rejection' in plan) return { code: plan.rejection.code, ...(plan.rejection.field === undefined ? {} : { field: plan.rejection.field }) };
    if ('answer' in plan) return plan.answer;
    throw new Error('no answer');
  }

  holdersFor(accountNo: string, centerId: string): string[] {
    return basicAccountHoldersFor(this.account(accountNo), { centerId, bankCode: BANK }, () => false);
  }
}

const real = (bidderId: string, centerId: string | undefined, more: Partial<BasicAccountDeclarationRequest> = {}): BasicAccountDeclarationRequest => ({
  bidderId,
  accountNo: REAL,
  accountName: 'Real Works Ltd',
  bankCode: BANK,
  ...(centerId === undefined ? {} : { centerId }),
  ...more,
});

describe('a bidder has one basic account per scope at a time', () => {
  let registry: Registry;
  beforeEach(() => {
    registry = new Registry();
  });

  it('given nothing, when center C1 declares, then the bidder stream and the account stream record it, dated, attributed to C1', () => {
    expect(registry.declare(real('B1', 'C1'))).toEqual({ bidderId: 'B1', accountNo: REAL, accountName: 'Real Works Ltd', bankCode: BANK, centerId: 'C1' });
    expect(registry.streams.get(bidderStream('B1'))?.map((event) => event.type)).toEqual(['BidderBasicAccountSet']);
    expect(registry.account(REAL).holdings).toEqual([{ bidderId: 'B1', bankCode: BANK, accountName: 'Real Works Ltd', centerId: 'C1', declaredOn: '2026-03-10' }]);
  });

  it('given B1 holds REAL for C1, when C1 declares a shell account as a second basic account, then 422 EVIDENCE_REQUIRED and nothing is written', () => {
    registry.declare(real('B1', 'C1'));
    const before = JSON.stringify([...registry.streams]);
    expect(registry.declare(real('B1', 'C1', { accountNo: SHELL, accountName: 'Shell Co' }))).toEqual({ code: 'EVIDENCE_REQUIRED', field: 'evidenceRef' });
    expect(JSON.stringify([...registry.streams])).toBe(before);
    expect(registry.holdersFor(SHELL, 'C1')).toEqual([]);
  });

  it('given B1 holds REAL for C1, when C1 changes it with evidence, then the new one replaces it: REAL no longer counts, dated, with the evidence', () => {
    registry.declare(real('B1', 'C1'));
    const answer = registry.declare(real('B1', 'C1', { accountNo: SHELL, accountName: 'New Works Ltd', evidenceRef: 'permit J5840012345' }), '2026-04-01T01:00:00Z');
    expect(answer).toMatchObject({ accountNo: SHELL, evidenceRef: 'permit J5840012345', replaces: { accountNo: REAL, bankCode: BANK } });
    expect(registry.bidder('B1').accounts).toMatchObject([{ accountNo: SHELL, declaredOn: '2026-04-01' }]);
    expect(registry.holdersFor(REAL, 'C1')).toEqual([]);
    expect(registry.holdersFor(SHELL, 'C1')).toEqual(['B1']);
    expect(registry.streams.get(basicAccountStream(REAL))?.at(-1)).toEqual({
      type: 'BasicAccountReplaced',
      data: { bidderId: 'B1', accountNo: REAL, bankCode: BANK, centerId: 'C1', replacedBy: { accountNo: SHELL, bankCode: BANK }, changedByCenterId: 'C1', replacedOn: '2026-04-01', evidenceRef: 'permit J5840012345' },
    });
  });

  it('given B1 holds REAL for C1, when C1 declares REAL again, then 409 BASIC_ACCOUNT_ALREADY_DECLARED', () => {
    registry.declare(real('B1', 'C1'));
    expect(registry.declare(real('B1', 'C1'))).toEqual({ code: 'BASIC_ACCOUNT_ALREADY_DECLARED', field: 'accountNo' });
  });

  it("given C1 declared REAL for B1, when C2 declares REAL for its own bidder B2, then it is recorded and C1's lots still see only B1 (the conflict is an operator's)", () => {
    registry.declare(real('B1', 'C1'));
    expect(registry.declare(real('B2', 'C2', { accountName: 'Other Ltd' }))).toMatchObject({ bidderId: 'B2', centerId: 'C2' });
    expect(registry.holdersFor(REAL, 'C1')).toEqual(['B1']);
    expect(registry.holdersFor(REAL, 'C2')).toEqual(['B2']);
  });

  it("given C1 declared REAL for B1, when C2 declares a shell account for B1, then C1's lots still see REAL only", () => {
    registry.declare(real('B1', 'C1'));
    registry.declare(real('B1', 'C2', { accountNo: SHELL }));
    expect(registry.holdersFor(SHELL, 'C1')).toEqual([]);
    expect(registry.holdersFor(REAL, 'C1')).toEqual(['B1']);
  });

  describe("the bank's declaration (an operator's: confirmed, valid for every center)", () => {
    it("given centers declared different accounts for B1, when the bank confirms REAL with evidence, then the centers' different ones end", () => {
      registry.declare(real('B1', 'C1', { accountNo: SHELL }));
      registry.declare(real('B1', 'C2'));
      expect(registry.declare(real('B1', undefined))).toEqual({ code: 'EVIDENCE_REQUIRED', field: 'evidenceRef' });
      expect(registry.declare(real('B1', undefined, { evidenceRef: 'PBOC account record 2026-031' }))).toMatchObject({ bidderId: 'B1', accountNo: REAL });
      expect(registry.holdersFor(SHELL, 'C1')).toEqual([]);
      expect(registry.holdersFor(REAL, 'C1')).toEqual(['B1']);
      expect(registry.bidder('B1').accounts.map((account) => [account.centerId, account.accountNo])).toEqual([
        ['C2', REAL],
        [undefined, REAL],
      ]);
    });

    it('given the bank confirmed REAL for B1, when a center declares another account for B1, then 409 BASIC_ACCOUNT_CONFIRMED', () => {
      registry.declare(real('B1', undefined));
      expect(registry.declare(real('B1', 'C1', { accountNo: SHELL }))).toEqual({ code: 'BASIC_ACCOUNT_CONFIRMED', field: 'accountNo' });
    });

    it('given the bank confirmed REAL for B1, when a center declares REAL for B2, then 409 BASIC_ACCOUNT_CONFIRMED', () => {
      registry.declare(real('B1', undefined));
      expect(registry.declare(real('B2', 'C1'))).toEqual({ code: 'BASIC_ACCOUNT_CONFIRMED', field: 'accountNo' });
    });
  });

  it('given a store that wrote only the bidder stream, when the request is repeated, then it writes what is missing and answers the same', () => {
    const plan = registry.plan(real('B1', 'C1'));
    if (!('answer' in plan)) throw new Error('expected an answer');
    const [bidderWrite] = plan.writes;
    if (!bidderWrite) throw new Error('expected writes');
    registry.streams.set(bidderWrite.stream, [...bidderWrite.events] as BidderEvent[]);
    expect(registry.holdersFor(REAL, 'C1')).toEqual([]);
    expect(registry.declare(real('B1', 'C1'))).toEqual(plan.answer);
    expect(registry.holdersFor(REAL, 'C1')).toEqual(['B1']);
    expect(registry.declare(real('B1', 'C1'))).toEqual({ code: 'BASIC_ACCOUNT_ALREADY_DECLARED', field: 'accountNo' });
  });
});

describe('what an ENFORCE lot of center C1 decides with those declarations (the lot decider, unchanged)', () => {
  const credit = (payerDeclaredBy: string[], bidderId?: string) =>
    lotDecider.decide(
      {
        type: 'CreditBond',
        creditId: 'C-1',
        anchorRevision: 0,
        bankRef: 'R1',
        requestHash: 'h',
        source: 'INBOUND',
        receivedAt: '2026-12-01T10:00:00+08:00',
        valueDate: '2026-12-01',
        amount: '50000.00',
        payer: { accountNo: REAL, name: 'Real Works Ltd', bankCode: BANK },
        virtualAccount: { virtualAccountNo: '9558800000000000018', bankCode: BANK, ...(bidderId === undefined ? {} : { bidderId }) },
        payerDeclaredBy,
      },
      replay(lotDecider, [registered({ basicAccountPolicy: 'ENFORCE' })]),
    );

  it("given C2 declared C1's bidder's account for its own bidder, when the money reaches C1's lot account, then it is B1's bond, not AMBIGUOUS_PAYER", () => {
    const registry = new Registry();
    registry.declare(real('B1', 'C1'));
    registry.declare(real('B2', 'C2'));
    expect(credit(registry.holdersFor(REAL, 'C1'))).toMatchObject([{ type: 'BondCredited', data: { bidderId: 'B1' } }]);
  });

  it('given a shell account refused as a second basic account, when B1 pays from it to its own account on an ENFORCE lot, then NOT_BASIC_ACCOUNT', () => {
    const registry = new Registry();
    registry.declare(real('B1', 'C1'));
    registry.declare(real('B1', 'C1', { accountNo: SHELL }));
    expect(credit(basicAccountHoldersFor(registry.account(SHELL), { centerId: 'C1', bankCode: BANK }, () => false), 'B1')).toMatchObject([
      { type: 'CreditRefused', data: { reason: 'NOT_BASIC_ACCOUNT' } },
    ]);
  });
});
