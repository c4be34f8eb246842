/** The callers of docs/api-contract.md; each token names one. */
export const ROLES = ['esb', 'center', 'bidder', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who is calling, from a verified token: the role, and the subject it acts as — the center id for
 * `center`, the bidder id for `bidder`, a person or system name for the others.
 */
export interface Caller {
  readonly role: Role;
  readonly subject: string;
}

/** How a caller is named in event metadata (`actor`) and logs. */
export function actorOf(caller: Caller): string {
  return `${caller.role}:${caller.subject}`;
}
