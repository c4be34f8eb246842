import { type BasicAccountEvent, basicAccountStream } from '@app/domain';
import { foldEvents } from '../projection';
import { basicAccountConflicts, basicAccountConflictsProjection } from './basic-account-conflicts.projection';

/** The operators' queue of issue #14 item 5 (docs/rules.md "Basic accounts"). */
const BANK = '102584000002';

function log(...events: BasicAccountEvent[]) {
  return foldEvents(
    basicAccountConflictsProjection,
    events.map((event, index) => ({ ...event, streamName: basicAccountStream(event.data.accountNo), position: BigInt(index + 1), revision: 0n })),
  );
}

const declared = (bidderId: string, accountNo: string, centerId?: string): BasicAccountEvent => ({
  type: 'BasicAccountDeclared',
  data: { bidderId, accountNo, accountName: `${bidderId} Ltd`, bankCode: BANK, ...(centerId === undefined ? {} : { centerId, declaredOn: '2026-03-10' }) },
});
const bank = (bidderId: string, accountNo: string): BasicAccountEvent => ({
  type: 'BasicAccountDeclared',
  data: { bidderId, accountNo, accountName: `${bidderId} Ltd`, bankCode: BANK, declaredOn: '2026-03-11', evidenceRef: 'PBOC record 7' },
});

describe('basic-account conflicts (the operators’ queue)', () => {
  it('given two centers declared one account for two bidders, then ACCOUNT_SHARED lists both declarations', () => {
    expect(basicAccountConflicts(log(declared('B1', 'A', 'C1'), declared('B2', 'A', 'C2')))).toEqual([
      {
        kind: 'ACCOUNT_SHARED',
        bankCode: BANK,
        accountNo: 'A',
        declarations: [
          { bidderId: 'B1', accountNo: 'A', bankCode: BANK, accountName: 'B1 Ltd', centerId: 'C1', declaredOn: '2026-03-10' },
          { bidderId: 'B2', accountNo: 'A', bankCode: BANK, accountName: 'B2 Ltd', centerId: 'C2', declaredOn: '2026-03-10' },
        ],
      },
    ]);
  });

  it('given an older ledger’s several declarations of one bidder (version 1), then BIDDER_ACCOUNTS_DIFFER', () => {
    const conflicts = basicAccountConflicts(log(declared('B1', 'A'), declared('B1', 'SHELL')));
    expect(conflicts.map((conflict) => [conflict.kind, conflict.declarations.map((held) => [held.accountNo, held.legacy])])).toEqual([
      ['BIDDER_ACCOUNTS_DIFFER', [['A', true], ['SHELL', true]]],
    ]);
  });

  it("given the bank then declared the account for one of them, then the conflict is settled: the bank's shadows the others", () => {
    expect(basicAccountConflicts(log(declared('B1', 'A', 'C1'), declared('B2', 'A', 'C2'), bank('B1', 'A')))).toEqual([]);
  });

  it('given a replaced holding, then it no longer conflicts', () => {
    const replaced: BasicAccountEvent = {
      type: 'BasicAccountReplaced',
      data: { bidderId: 'B2', accountNo: 'A', bankCode: BANK, centerId: 'C2', replacedBy: { accountNo: 'B', bankCode: BANK }, changedByCenterId: 'C2', replacedOn: '2026-03-12', evidenceRef: 'permit 9' },
    };
    expect(basicAccountConflicts(log(declared('B1', 'A', 'C1'), declared('B2', 'A', 'C2'), replaced))).toEqual([]);
  });
});
