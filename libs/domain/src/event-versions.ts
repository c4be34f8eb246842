/**
 * The version of each event type's data shape, stamped in every event's metadata (`schemaVersion`) and
 * listed in docs/events.md. A type not listed here is at version 1. Bump it with the shape, and teach
 * the folds the older shape (as `evolveLot` does for BondCredited without `anchorRevision`).
 */
const VERSIONS: { readonly [type: string]: number } = {
  // 2: the receiving bank (`bankCode`) and the claimed `route`.
  InboundCreditReceived: 2,
  // 2: `anchorRevision`.
  BondCredited: 2,
};

export function eventSchemaVersion(type: string): number {
  return VERSIONS[type] ?? 1;
}
