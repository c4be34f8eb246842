import { Decimal, formatAmount, lotIdOf, sumAmounts } from '@app/domain';
import type { CommandContext } from '@app/command-kernel';
import type { FastifyRequest } from 'fastify';
import { type Bond, type BondView, type LotSummary, type MasterAccountBalance, type VirtualAccountLink, bondOf, bondView, lotSummaryOf, rateScheduleOf, virtualAccountBalance, virtualAccountsOf } from '@app/projections';
import { ApiException } from '../platform/http/api-error';
import type { Caller } from '../platform/auth/roles';
import type { CenterMasterBalance } from '../platform/config/ledger-config';
import { listable } from './confidentiality';
import type { MasterBalanceScope } from './queries.responses';
import { heldAmount } from './query-views';
import type { ReadModelsView } from './read-models.service';
import type { SealedLooks } from './sealed-looks';

/** What the read routes look up in the models, refused in the API's shape when it is not there, and shaped as the single routes answer it. */

export function notFound(code: string, message: string, field: string): ApiException {
  return new ApiException(404, code, message, field);
}

export function lotOrNotFound(models: ReadModelsView, lotId: string): LotSummary {
  const lot = lotSummaryOf(models.lots, lotId);
  if (lot === undefined) throw notFound('LOT_NOT_FOUND', `no lot ${lotId}`, 'lotId');
  return lot;
}

/** A lot's summary as the seal lets this caller have the lot's data: 404 for no lot, else refused or shown, its look recorded. */
export async function lotShownTo(caller: Caller, models: ReadModelsView, lotId: string, looks: SealedLooks, context: CommandContext, request: FastifyRequest): Promise<LotSummary> {
  const lot = lotOrNotFound(models, lotId);
  await looks.disclose(caller, [lot], 'lotId', context, request);
  return lot;
}

/**
 * The bond GET /v1/bonds/{bondId} gives this caller, its look recorded: a bidder its own only (another
 * bidder's bond answers exactly as no bond: bond ids derive from lot, bidder and payer, so any difference
 * would let a rival confirm who paid); anyone else as the seal says, asked before existence and the look
 * recorded either way, since whether a bond exists is itself sealed.
 */
export async function bondShownTo(caller: Caller, models: ReadModelsView, bondId: string, looks: SealedLooks, context: CommandContext, request: FastifyRequest): Promise<Bond> {
  const bond = bondOf(models.bonds, bondId);
  if (caller.role === 'bidder') {
    if (bond === undefined || bond.bidderId !== caller.subject) throw notFound('BOND_NOT_FOUND', `no bond ${bondId} of bidder ${caller.subject}`, 'bondId');
    return bond;
  }
  const lotId = lotIdOf(bondId, 'B');
  const lot = lotId === undefined ? undefined : lotSummaryOf(models.lots, lotId);
  if (lot === undefined) throw notFound('BOND_NOT_FOUND', `no bond ${bondId}`, 'bondId');
  await looks.disclose(caller, [lot], 'bondId', context, request);
  if (bond === undefined) throw notFound('BOND_NOT_FOUND', `no bond ${bondId}`, 'bondId');
  return bond;
}

/** GET /v1/bonds/{bondId}'s view of a bond, interest accrued to `today`. */
export function bondViewOf(models: ReadModelsView, bond: Bond, today: string): BondView {
  const lot = lotOrNotFound(models, bond.lotId);
  const schedule = rateScheduleOf(models.rateSchedules, lot.terms.rateScheduleId);
  if (schedule === undefined) throw new Error(`lot ${lot.lotId} names rate schedule ${lot.terms.rateScheduleId}, which the read models do not hold`);
  return bondView(bond, lot.terms, schedule, today);
}

/** The virtual accounts of a master account whose lots' money the seal lets the caller see (a center: its opened lots). */
export function shownVirtualAccounts(models: ReadModelsView, caller: Caller, master: MasterAccountBalance): VirtualAccountLink[] {
  return virtualAccountsOf(models.balances, master.bankCode, master.accountNo).filter((account) => listable(caller, lotOrNotFound(models, account.lotId)));
}

/**
 * GET /v1/master-accounts/{accountNo}/balance's answer for `master`, given the accounts `shown` to the
 * caller (`shownVirtualAccounts`, whose looks the route records first). Issue #15 item 4: with one sealed
 * lot on the account its total would be the lot's, so a center is given (by default) the sum of what it
 * may see; bank staff reconcile the whole account.
 */
export function masterAccountView(models: ReadModelsView, caller: Caller, master: MasterAccountBalance, shown: readonly VirtualAccountLink[], policy: CenterMasterBalance) {
  const virtualAccounts = shown.map((account) => ({
    virtualAccountNo: account.virtualAccountNo,
    lotId: account.lotId,
    ...(account.bidderId !== undefined ? { bidderId: account.bidderId } : {}),
    balance: heldAmount(virtualAccountBalance(models.balances, account.virtualAccountNo).balance),
  }));
  const openedLotsOnly = caller.role === 'center' && policy === 'opened-lots';
  return {
    accountNo: master.accountNo,
    bankCode: master.bankCode,
    centerId: master.centerId,
    ...(master.accountName !== undefined ? { accountName: master.accountName } : {}),
    balance: openedLotsOnly ? formatAmount(sumAmounts(virtualAccounts.map((account) => Decimal(account.balance)))) : heldAmount(master.subAccountsBalance),
    balanceScope: (openedLotsOnly ? 'OPENED_LOTS' : 'WHOLE_ACCOUNT') satisfies MasterBalanceScope,
    virtualAccounts,
  };
}
