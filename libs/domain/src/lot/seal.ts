/**
 * THE seal (招标投标法 art. 22, docs/specification.md §1 保密): until a lot's bids are opened, nobody outside
 * the bank learns who paid into it, how many paid or how much, and the bank's own looks are recorded.
 * Query routes, command answers, the Kafka publisher and the console ask `sealedDataAccess`; nothing else
 * decides it (docs/security.md lists it per role and per route).
 */

/**
 * Who wants a lot's confidential data. A center is the lot's own (another center's lot is refused by
 * tenancy before the seal is asked); a subscriber is anyone downstream of the service (a Kafka consumer).
 */
export type SealedDataReader = 'center' | 'operator' | 'auditor' | 'bidder' | 'esb' | 'subscriber';

/**
 * - `SHOWN`: the data may be given.
 * - `SHOWN_RECORDED`: the data may be given once the look is recorded (`SealedDataViewed`).
 * - `WITHHELD`: answered exactly as if nobody had paid (or refused alike for everyone); a center's command
 *   that names a bond or bidder is recorded (`SealedLotAsked`).
 */
export type SealedDataAccess = 'SHOWN' | 'SHOWN_RECORDED' | 'WITHHELD';

/** Whether a lot is sealed: its bids are not opened yet. */
export const isSealed = (lot: { readonly bidsOpened: boolean }): boolean => !lot.bidsOpened;

/**
 * What `reader` may have of a lot's payments. A bidder's own bond is its own data, not the lot's: the
 * bond routes give it whatever the phase; of the lot a bidder gets nothing, nor does the ESB (it reads
 * no lot data; what it posts it knows).
 */
export function sealedDataAccess(reader: SealedDataReader, lot: { readonly bidsOpened: boolean }): SealedDataAccess {
  switch (reader) {
    case 'operator':
    case 'auditor':
      return isSealed(lot) ? 'SHOWN_RECORDED' : 'SHOWN';
    case 'center':
    case 'subscriber':
      return isSealed(lot) ? 'WITHHELD' : 'SHOWN';
    case 'bidder':
    case 'esb':
      return 'WITHHELD';
  }
}
