import { ApiException } from '../platform/http/api-error';
import type { Caller } from '../platform/auth/roles';
import { assertCenterActsFor } from '../platform/auth/tenancy';

/** What a query route shows of a lot's confidential data (who paid, how many, how much). */
export type Disclosure =
  /** Shown: the lot's bids are opened (or the caller is not bound by the seal and nothing is sealed). */
  | 'OPEN'
  /** Shown to bank operations or an auditor before bid opening: the look is recorded as an event first. */
  | 'RECORDED';

export interface LotSeal {
  readonly lotId: string;
  readonly centerId: string;
  /** True until the lot's `BidsOpened` event. */
  readonly sealed: boolean;
}

/**
 * Who may see a lot's confidential data, and how (docs/api-contract.md "Queries", docs/specification.md §1 保密): a center
 * its own lots' only (403 `FORBIDDEN_TENANT`), and only after bid opening (403
 * `SEALED_UNTIL_BID_OPENING`); operators and auditors always, a look before opening recorded. Bidders
 * and the ESB are not given lot data at all (their routes never call this).
 */
export function disclosureOf(caller: Caller, lot: LotSeal, field: string): Disclosure {
  switch (caller.role) {
    case 'center':
      assertCenterActsFor(caller, lot.centerId, `lot ${lot.lotId} belongs to another center`, field);
      if (lot.sealed) {
        throw new ApiException(403, 'SEALED_UNTIL_BID_OPENING', `who paid, how many and how much on lot ${lot.lotId} is sealed until its bids are opened`, field);
      }
      return 'OPEN';
    case 'operator':
    case 'auditor':
      return lot.sealed ? 'RECORDED' : 'OPEN';
    default:
      throw new ApiException(403, 'FORBIDDEN_ROLE', `role ${caller.role} may not read lot data`, field);
  }
}
