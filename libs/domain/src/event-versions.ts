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
  // 2: the winner named by `winnerBidderId` or `winnerBondId` (version 1: always `winnerBidderId`).
  LotAwarded: 2,
  // 2: `ground` (Art. 35 or 74).
  BondForfeited: 2,
  // 2: `failedOn`.
  RefundFailed: 2,
  // 2: the declaring center (`centerId`, absent: the bank's), `declaredOn`, `evidenceRef`, `replaces` (version 1: none, a legacy declaration).
  BasicAccountDeclared: 2,
};

export function eventSchemaVersion(type: string): number {
  return VERSIONS[type] ?? 1;
}
