import { lotIdOf } from '@app/domain';
import { mintAccessToken } from '../../src/platform/auth/access-token';
import { DEVELOPMENT_JWT_SECRET } from '../../src/platform/auth/auth-config';
import type { Role } from '../../src/platform/auth/roles';

/** A token the app accepts under its default (development) key. */
export function tokenFor(role: Role, subject = `${role}-1`): string {
  return mintAccessToken({ role, subject }, { secret: DEVELOPMENT_JWT_SECRET });
}

export function bearer(role: Role, subject?: string): { Authorization: string } {
  return { Authorization: `Bearer ${tokenFor(role, subject)}` };
}

/**
 * Who would post to a route in real life (docs/api-contract.md "who may call what"): the ESB for money in and
 * refund settlements, the lot's own center for the life cycle (a bond's attribution too), bank operations for
 * set-up, suspense and refund redirections.
 * `centerOfLot` answers which center registered a lot.
 */
export function callerForPost(path: string, centerOfLot: (lotId: string) => string | undefined): { role: Role; subject?: string } {
  const route = path.replace(/\?.*$/s, '');
  if (/^\/v1\/inbound-credit(s|-batches)(\/|$)/.test(route) || /^\/v1\/refunds\/[^/]+\/settlement$/.test(route)) return { role: 'esb' };
  const [, lifecycleLot] = /^\/v1\/lots\/([^/]+)\/(withdrawals|signing-refusals|award|termination|refunds)$/.exec(route) ?? [];
  const [, lifecycleBond] = /^\/v1\/bonds\/([^/]+)\/(forfeiture|attribution)$/.exec(route) ?? [];
  const lotId = lifecycleLot !== undefined ? decodeURIComponent(lifecycleLot) : lifecycleBond !== undefined ? lotIdOf(decodeURIComponent(lifecycleBond), 'B') : undefined;
  if (lifecycleLot !== undefined || lifecycleBond !== undefined) return { role: 'center', subject: (lotId === undefined ? undefined : centerOfLot(lotId)) ?? 'center-of-unknown-lot' };
  return { role: 'operator' };
}
