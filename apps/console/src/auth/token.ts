/** The roles of docs/security.md. */
export type Role = 'center' | 'bidder' | 'operator' | 'auditor' | 'esb';

export const ROLES: readonly Role[] = ['center', 'bidder', 'operator', 'auditor', 'esb'];

/** Who the token says the caller is. The console only reads the claims; the service checks the token. */
export interface Session {
  token: string;
  role: Role;
  /** The center id for `center`, the bidder id for `bidder`, a person or system otherwise. */
  subject: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const KEY = 'console.token';

/**
 * The embedding system (tender platform, bank SSO) hands a token over as `/console/...#token=<jwt>`: it is
 * kept in sessionStorage (this tab only) and taken out of the address bar and its history.
 */
export function takeTokenFromLocation(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  storeToken(decodeURIComponent(match[1]));
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

export function storedToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** The session of the stored token, if there is one that reads as a JWT of a known role and has not expired. */
export function currentSession(now: number = Date.now()): Session | undefined {
  const token = storedToken();
  if (!token) return undefined;
  const session = sessionOf(token);
  if (!session || session.expiresAt <= now) return undefined;
  return session;
}

export function sessionOf(token: string): Session | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as { role?: unknown; sub?: unknown; exp?: unknown };
    const role = ROLES.find((r) => r === claims.role);
    if (!role || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
    return { token, role, subject: claims.sub, expiresAt: claims.exp * 1000 };
  } catch {
    return undefined;
  }
}

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
