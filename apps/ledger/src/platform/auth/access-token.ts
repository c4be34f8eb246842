import { type KeyObject, createPublicKey, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AuthConfig } from './auth-config';
import { type Caller, type Role, ROLES, isRole } from './roles';

/** Clock skew tolerated between the token issuer and this service. */
const CLOCK_TOLERANCE_S = 30;

/** Subjects are ids of the API (`centerId`, `bidderId`), so they follow its identifier rule. */
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a token was not accepted; the message says what to fix and never echoes the token. */
export class AccessTokenError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN',
    message: string,
  ) {
    super(message);
  }
}

/** The bearer token of an `Authorization` header value; undefined when there is none. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The caller a token names, after checking its signature with the configured key and algorithm only
 * (a token may not choose its own algorithm: no `none`, no HS256 signed with the RS256 public key),
 * its expiry (required) and its claims `role` and `sub`.
 */
function verifyWithExpiry(token: string, config: AuthConfig, key: KeyObject, nowMs: number): { caller: Caller; expiresAtMs: number } {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, key, {
      algorithms: [config.algorithm],
      clockTolerance: CLOCK_TOLERANCE_S,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AccessTokenError('TOKEN_EXPIRED', `the bearer token expired at ${error.expiredAt.toISOString()}`);
    throw new AccessTokenError('INVALID_TOKEN', `the bearer token is not valid: ${(error as Error).message}`);
  }
  if (typeof claims === 'string') throw new AccessTokenError('INVALID_TOKEN', 'the bearer token carries no JSON claims');
  if (typeof claims.exp !== 'number') throw new AccessTokenError('INVALID_TOKEN', 'the bearer token must carry an expiry (exp)');
  if (!isRole(claims.role)) throw new AccessTokenError('INVALID_TOKEN', `the bearer token's role must be one of ${ROLES.join('|')}`);
  if (typeof claims.sub !== 'string' || !SUBJECT.test(claims.sub)) {
    throw new AccessTokenError('INVALID_TOKEN', "the bearer token's subject (sub) must be an identifier such as a center or bidder id");
  }
  return { caller: { role: claims.role, subject: claims.sub }, expiresAtMs: claims.exp * 1000 };
}

/** Tokens remembered at most; an ESB or a tender system sends the same token for hours. */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * Verifies tokens with the configured key, remembering each verified token until it expires: a
 * signature does not change, so checking it once per token, not once per request, is as safe.
 */
export class AccessTokenVerifier {
  private readonly key: KeyObject;
  private readonly verified = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(private readonly config: AuthConfig) {
    this.key = verificationKey(config);
  }

  verify(token: string, nowMs = Date.now()): Caller {
    const known = this.verified.get(token);
    if (known !== undefined && nowMs < known.expiresAtMs + CLOCK_TOLERANCE_S * 1000) return known.caller;
    this.verified.delete(token);
    const checked = verifyWithExpiry(token, this.config, this.key, nowMs);
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(token, checked);
    return checked.caller;
  }
}

/** The configured key as a KeyObject: made once, not on every verification (it cost 13 % of a credit's CPU). */
function verificationKey(config: AuthConfig): KeyObject {
  return config.algorithm === 'HS256' ? createSecretKey(Buffer.from(config.secret, 'utf8')) : createPublicKey(config.publicKey);
}

export interface MintOptions {
  readonly role: Role;
  readonly subject: string;
  /** Default 12 hours. */
  readonly expiresInSeconds?: number | undefined;
}

/**
 * A token for `npm run token` and the tests: HS256 with a secret, or RS256 with a private key (PEM).
 * The bank's identity provider mints production tokens; this only has to produce what it would.
 */
export function mintAccessToken(options: MintOptions, key: { secret: string } | { privateKey: string }): string {
  const claims = { role: options.role, sub: options.subject };
  const expiresIn = options.expiresInSeconds ?? 12 * 3600;
  return 'secret' in key
    ? jwt.sign(claims, key.secret, { algorithm: 'HS256', expiresIn })
    : jwt.sign(claims, key.privateKey, { algorithm: 'RS256', expiresIn });
}
