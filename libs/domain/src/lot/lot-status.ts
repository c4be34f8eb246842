/** A lot's status as shown to readers (docs/api-contract.md, GET /v1/lots/{lotId}). */
export type LotStatus = 'OPEN' | 'DEPOSITS_CLOSED' | 'BIDS_OPENED' | 'AWARDED' | 'TERMINATED' | 'REFUNDING' | 'SETTLED';

/** What a lot's status is worked out from. */
export interface LotProgress {
  readonly depositsClosed: boolean;
  readonly bidsOpened: boolean;
  readonly awarded: boolean;
  readonly terminated: boolean;
  /** A refund has been instructed since the award or termination (a withdrawn bidder's earlier one does not count). */
  readonly refundsStarted: boolean;
  /** Bonds with money in them still owed to their payer (`isOwed`). */
  readonly owedBondCount: number;
}

/**
 * OPEN → DEPOSITS_CLOSED → BIDS_OPENED → AWARDED, or TERMINATED from any of those; then REFUNDING
 * from the first refund instructed after the award or termination, and SETTLED once no bond is owed any
 * more (each refunded, forfeited or emptied by reversals). A failed refund makes a SETTLED lot
 * REFUNDING again. A terminated lot nobody paid for stays TERMINATED.
 */
export function lotStatus(lot: LotProgress): LotStatus {
  if (lot.awarded || lot.terminated) {
    if (!lot.refundsStarted) return lot.awarded ? 'AWARDED' : 'TERMINATED';
    return lot.owedBondCount > 0 ? 'REFUNDING' : 'SETTLED';
  }
  if (lot.bidsOpened) return 'BIDS_OPENED';
  return lot.depositsClosed ? 'DEPOSITS_CLOSED' : 'OPEN';
}


/** The status of a lot whose bids are not opened as the seal lets others see it: what its money did is withheld (art. 22). */
export function sealedLotStatus(lot: Omit<LotProgress, 'refundsStarted' | 'owedBondCount'>): LotStatus {
  return lotStatus({ ...lot, refundsStarted: false, owedBondCount: 0 });
}
