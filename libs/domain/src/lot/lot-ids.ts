import { createHash } from 'node:crypto';

/**
 * Ids the ledger makes. They are deterministic (a retried command makes the same id), opaque (a bond id
 * does not reveal the bidder or how many bonds a lot has: that would break bid confidentiality), and
 * carry the lot id after the hash, so a route given only a bond or refund id finds the lot's stream.
 */
const HASH_LENGTH = 16;

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, HASH_LENGTH);
}

export const lotStream = (lotId: string) => `lot-${lotId}`;

/** A bond is one bidder's money on one lot from one payer account (原路退回 needs a single payer path). */
export function bondIdFor(lotId: string, bidderId: string | undefined, payerBankCode: string, payerAccountNo: string): string {
  return `B-${shortHash(lotId, bidderId ?? '', payerBankCode, payerAccountNo)}-${lotId}`;
}

export function refundIdFor(lotId: string, bondId: string, attempt: number): string {
  return `R-${shortHash(bondId, String(attempt))}-${lotId}`;
}

/** The lot of a bond or refund id, or undefined for an id this ledger cannot have made. */
export function lotIdOf(id: string, kind: 'B' | 'R'): string | undefined {
  const match = new RegExp(`^${kind}-[0-9a-f]{${HASH_LENGTH}}-(.+)$`).exec(id);
  return match?.[1];
}
