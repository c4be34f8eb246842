import { formatVirtualAccountNo, hasValidLuhn } from '../virtual-account';
import { DeciderSpecification } from '../../test/decider-specification';
import {
  type IssueVirtualAccount,
  type VirtualAccountIssued,
  revisionOfSequence,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
} from './virtual-account-registry';

const spec = DeciderSpecification.for(virtualAccountRegistryDecider);

const PREFIX = '955880';

/** Lot-level account of lot L-001 under master account M-1 of center C-1. */
const issueLotLevel: IssueVirtualAccount = {
  type: 'IssueVirtualAccount',
  lotId: 'L-001',
  masterAccountNo: '4000021129200123456',
  prefix: PREFIX,
  lot: { centerId: 'C-1', acceptsVirtualAccounts: true },
  masterAccount: { centerId: 'C-1', bankCode: '102584000002' },
};

const issueForBidder: IssueVirtualAccount = { ...issueLotLevel, bidderId: 'B-42' };

function issued(sequence: string, virtualAccountNo: string, bidderId?: string): VirtualAccountIssued {
  return {
    type: 'VirtualAccountIssued',
    data: {
      virtualAccountNo,
      sequence,
      lotId: 'L-001',
      centerId: 'C-1',
      masterAccountNo: '4000021129200123456',
      bankCode: '102584000002',
      ...(bidderId === undefined ? {} : { bidderId }),
    },
  };
}

// Hand-computed Luhn numbers (prefix 955880; payload digits from the right, doubling the 1st, 3rd, ...):
//   seq 1: 1*2=2; prefix 9 5 5 8 8 0 -> 0(x2)=0, 8, 8(x2)=16->7, 5, 5(x2)=10->1, 9 = 30; total 32 -> check 8
//   seq 2: 2*2=4; total 34 -> check 6
//   seq 999999999999: six doubled 9s (18->9) + six 9s = 108; + 30 = 138 -> check 2
const NO_1 = '9558800000000000018';
const NO_2 = '9558800000000000026';
const NO_LAST = '9558809999999999992';

describe('virtual account registry', () => {
  it('lives in one stream per prefix, virtual-accounts-{prefix}', () => {
    expect(virtualAccountRegistryStream(PREFIX)).toBe('virtual-accounts-955880');
  });

  it('hand-computed numbers agree with formatVirtualAccountNo and pass Luhn', () => {
    expect(formatVirtualAccountNo(PREFIX, 1n)).toBe(NO_1);
    expect(formatVirtualAccountNo(PREFIX, 2n)).toBe(NO_2);
    expect(formatVirtualAccountNo(PREFIX, 999_999_999_999n)).toBe(NO_LAST);
    for (const no of [NO_1, NO_2, NO_LAST]) expect(hasValidLuhn(no)).toBe(true);
  });

  describe('issuing', () => {
    it('issues sequence 1 first: a lot-level account, without bidderId', () => {
      const [event] = spec.given([]).when(issueLotLevel).then([issued('1', NO_1)]);
      expect(event).toBeDefined();
      expect(Object.keys(event!.data)).not.toContain('bidderId');
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    });

    it('issues sequence 2 next: a bidder-bound account, carrying bidderId', () => {
      spec
        .given([issued('1', NO_1)])
        .when(issueForBidder)
        .then([issued('2', NO_2, 'B-42')]);
    });

    it('issues in order, each number at revision sequence - 1 of the stream', () => {
      const history: VirtualAccountIssued[] = [];
      for (let i = 0; i < 12; i++) {
        const [event] = spec.given(history).when(i % 2 === 0 ? issueLotLevel : issueForBidder).thenEvents();
        history.push(event!);
      }
      history.forEach((event, revision) => {
        const sequence = BigInt(event.data.sequence);
        expect(revisionOfSequence(sequence)).toBe(BigInt(revision));
        expect(event.data.virtualAccountNo).toBe(formatVirtualAccountNo(PREFIX, sequence));
      });
      expect(history[9]!.data.virtualAccountNo).toBe('9558800000000000109'); // seq 10: 0*2=0, 1, + 30 = 31 -> check 9
      expect(new Set(history.map((event) => event.data.virtualAccountNo)).size).toBe(12);
    });

    it('decides from the last issue alone (the handler may read one event backwards)', () => {
      spec.given([issued('2', NO_2, 'B-42')]).when(issueLotLevel).then([issued('3', formatVirtualAccountNo(PREFIX, 3n))]);
    });

    it('issues the very last sequence', () => {
      spec
        .given([issued('999999999998', formatVirtualAccountNo(PREFIX, 999_999_999_998n))])
        .when(issueLotLevel)
        .then([issued('999999999999', NO_LAST)]);
    });
  });

  describe('refuses', () => {
    it('an unknown lot with 404 LOT_NOT_FOUND on lotId (before looking at the master account)', () => {
      spec
        .given([])
        .when({ ...issueLotLevel, lot: undefined, masterAccount: undefined })
        .thenRejects({ kind: 'NOT_FOUND', code: 'LOT_NOT_FOUND', field: 'lotId' });
    });

    it('an unknown master account with 404 MASTER_ACCOUNT_NOT_FOUND on masterAccountNo', () => {
      spec
        .given([])
        .when({ ...issueLotLevel, masterAccount: undefined })
        .thenRejects({ kind: 'NOT_FOUND', code: 'MASTER_ACCOUNT_NOT_FOUND', field: 'masterAccountNo' });
    });

    it("a master account of another center than the lot's with 422 MASTER_ACCOUNT_OF_ANOTHER_CENTER", () => {
      spec
        .given([])
        .when({ ...issueLotLevel, masterAccount: { centerId: 'C-2', bankCode: '102584000002' } })
        .thenRejects({ kind: 'BUSINESS_RULE', code: 'MASTER_ACCOUNT_OF_ANOTHER_CENTER', field: 'masterAccountNo' });
    });

    it('a lot no longer accepting (terminated or refunding) with 422 LOT_CLOSED on lotId', () => {
      spec
        .given([issued('1', NO_1)])
        .when({ ...issueForBidder, lot: { centerId: 'C-1', acceptsVirtualAccounts: false } })
        .thenRejects({ kind: 'BUSINESS_RULE', code: 'LOT_CLOSED', field: 'lotId' });
    });

    it('an exhausted prefix with 422 VIRTUAL_ACCOUNT_NUMBERS_EXHAUSTED', () => {
      spec
        .given([issued('999999999999', NO_LAST)])
        .when(issueLotLevel)
        .thenRejects({ kind: 'BUSINESS_RULE', code: 'VIRTUAL_ACCOUNT_NUMBERS_EXHAUSTED', field: 'masterAccountNo' });
    });
  });

  describe('programming and configuration errors', () => {
    it('throws on a malformed prefix', () => {
      const state = virtualAccountRegistryDecider.initialState;
      expect(() => virtualAccountRegistryDecider.decide({ ...issueLotLevel, prefix: '055880' }, state)).toThrow(RangeError);
      expect(() => virtualAccountRegistryDecider.decide({ ...issueLotLevel, prefix: '95588' }, state)).toThrow(RangeError);
    });

    it("throws when decided on another prefix's stream", () => {
      const state = virtualAccountRegistryDecider.evolve(virtualAccountRegistryDecider.initialState, issued('1', NO_1));
      expect(() => virtualAccountRegistryDecider.decide({ ...issueLotLevel, prefix: '621700' }, state)).toThrow(
        /prefix 621700.*prefix 955880/,
      );
    });
  });

  describe('state', () => {
    it('starts with nothing issued', () => {
      expect(virtualAccountRegistryDecider.initialState).toEqual({ prefix: undefined, lastIssued: undefined });
    });

    it('holds the prefix and the last sequence issued', () => {
      expect(spec.given([issued('1', NO_1)]).when(issueForBidder).thenState()).toEqual({ prefix: PREFIX, lastIssued: 2n });
    });
  });

  describe('revisionOfSequence', () => {
    it('is sequence - 1', () => {
      expect(revisionOfSequence(1n)).toBe(0n);
      expect(revisionOfSequence(2n)).toBe(1n);
      expect(revisionOfSequence(999_999_999_999n)).toBe(999_999_999_998n);
    });

    it('refuses sequences that can never be issued', () => {
      expect(() => revisionOfSequence(0n)).toThrow(RangeError);
      expect(() => revisionOfSequence(1_000_000_000_000n)).toThrow(RangeError);
    });
  });
});
