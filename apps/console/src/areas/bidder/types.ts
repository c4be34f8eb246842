import type { Account, Bond } from '../../api/types';

/** GET /v1/bonds/{bondId} with the fields the bidder's pages read beyond the shared `Bond`. */
export interface BidderBond extends Bond {
  /** Where the bond's refunds go since an operator redirected a failed one (instead of `payer`). */
  refundTo?: Account;
  refundableSince?: string;
  forfeiture?: { reason: string; amount: string };
}

/** GET /v1/bidders/{bidderId}/bonds: the bidder's own bonds, newest bid opening first. */
export interface BidderBondsAnswer {
  bidderId: string;
  asOf: string;
  bonds: BidderBond[];
}

/** `/v1/bonds/{bondId}` and its sub-routes, the id escaped. */
export const bondPath = (bondId: string, sub = ''): string => `/v1/bonds/${encodeURIComponent(bondId)}${sub}`;
