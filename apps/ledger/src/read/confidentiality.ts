import { type SealedDataAccess, type SealedDataReader, sealedDataAccess } from '@app/domain';
import { ApiException } from '../platform/http/api-error';
import type { Caller } from '../platform/auth/roles';
import { assertCenterActsFor } from '../platform/auth/tenancy';

/** What a query route shows of a lot's confidential data (who paid, how many, how much). */
export type Disclosure =
  /** Shown as it is (the seal's `SHOWN`). */
  | 'OPEN'
  /** Shown once the look is recorded as an event (the seal's `SHOWN_RECORDED`). */
  | 'RECORDED';

export interface LotSeal {
  readonly lotId: string;
  readonly centerId: string;
  /** True until the lot's `BidsOpened` event. */
  readonly sealed: boolean;
}

/** A caller as the seal knows readers: every role of a token is one. */
function readerOf(caller: Caller): SealedDataReader {
  return caller.role;
}

/**
 * What the seal (`sealedDataAccess`, docs/specification.md §1 保密) lets this caller have of the lot's
 * money now. Tenancy is not asked here: `disclosureOf` asks it first; list routes keep to the caller's
 * own lots themselves.
 */
export function sealedAccessOf(caller: Caller, lot: LotSeal): SealedDataAccess {
  return sealedDataAccess(readerOf(caller), { bidsOpened: !lot.sealed });
}

/**
 * Who may see a lot's confidential data, and how (docs/api-contract.md "Queries"): a center its own
 * lots' only (403 `FORBIDDEN_TENANT`), then whatever the seal gives: `WITHHELD` is 403
 * `SEALED_UNTIL_BID_OPENING` for a center (and 403 `FORBIDDEN_ROLE` for a bidder or the ESB, who are
 * given no lot data at all; their routes never call this), `SHOWN_RECORDED` is `RECORDED`.
 */
export function disclosureOf(caller: Caller, lot: LotSeal, field: string): Disclosure {
  assertCenterActsFor(caller, lot.centerId, `lot ${lot.lotId} belongs to another center`, field);
  switch (sealedAccessOf(caller, lot)) {
    case 'SHOWN':
      return 'OPEN';
    case 'SHOWN_RECORDED':
      return 'RECORDED';
    case 'WITHHELD':
      if (caller.role === 'center') {
        throw new ApiException(403, 'SEALED_UNTIL_BID_OPENING', `who paid, how many and how much on lot ${lot.lotId} is sealed until its bids are opened`, field);
      }
      throw new ApiException(403, 'FORBIDDEN_ROLE', `role ${caller.role} may not read lot data`, field);
  }
}

/**
 * Whether a list given to this caller may hold the lot's data: the caller's own lot (a center's) whose
 * money the seal does not withhold from it. A list leaves other lots out rather than refusing.
 */
export function listable(caller: Caller, lot: LotSeal): boolean {
  if (caller.role === 'center' && lot.centerId !== caller.subject) return false;
  return sealedAccessOf(caller, lot) !== 'WITHHELD';
}
