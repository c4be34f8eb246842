import { type BondForfeited, type LotState, forfeitureGround, lotBond } from '@app/domain';

/**
 * A forfeiture the lot's history gave no ground for (Art. 35: withdrawn after the deadline; Art. 74: refused
 * to sign), or on another ground than the one it records: asked of the domain's own rule (`forfeitureGround`)
 * on the lot as it stood before the event. Version-1 events name no ground; only their legal basis is checked.
 */
export function forfeitureProblem(data: BondForfeited['data'], lot: LotState | undefined): { code: string; message: string } | undefined {
  const bond = (lot && lotBond(lot, data.bondId));
  if (!bond) return { code: 'BOND_UNKNOWN', message: `lot ${data.lotId} has no bond ${data.bondId} to forfeit` };
  const ground = forfeitureGround({ type: 'ForfeitBond', bondId: data.bondId, reason: data.reason, ground: data.ground }, bond);
  if (typeof ground !== 'string') return { code: 'FORFEITURE_WITHOUT_GROUND', message: `${ground.code}: ${ground.message}` };
  return undefined;
}
