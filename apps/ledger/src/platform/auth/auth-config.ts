/**
 * The key bearer tokens are verified with: an HS256 shared secret or an RS256 public key (PEM). With
 * neither configured the embedded development secret is used, so `npm start` and `npm run token`
 * work on a bare machine; the service logs a warning then, and a bank sets its own key (docs/security.md).
 */
export type AuthConfig =
  | { readonly algorithm: 'HS256'; readonly secret: string; readonly developmentSecret: boolean }
  | { readonly algorithm: 'RS256'; readonly publicKey: string };

/** Known to anyone with the source code: for development only. */
export const DEVELOPMENT_JWT_SECRET = 'bid-bond-ledger-development-secret-do-not-use-in-production';

/** RFC 7518 §3.2: an HS256 key must have at least as many bits as the hash. */
export const MIN_SECRET_BYTES = 32;

export class AuthConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseAuthConfig(secret: string | undefined, publicKey: string | undefined): AuthConfig {
  if (secret !== undefined && publicKey !== undefined) {
    throw new AuthConfigError('AUTH_JWT_PUBLIC_KEY', 'set AUTH_JWT_SECRET (HS256) or AUTH_JWT_PUBLIC_KEY (RS256), not both');
  }
  if (publicKey !== undefined) {
    // Kubernetes secrets and .env files often carry the PEM with literal "\n".
    const pem = publicKey.replace(/\\n/g, '\n');
    if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
      throw new AuthConfigError('AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_PUBLIC_KEY must be an RSA public key in PEM form (value not shown)');
    }
    return { algorithm: 'RS256', publicKey: pem };
  }
  if (secret !== undefined) {
    if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
      throw new AuthConfigError('AUTH_JWT_SECRET', `AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (value not shown)`);
    }
    return { algorithm: 'HS256', secret, developmentSecret: secret === DEVELOPMENT_JWT_SECRET };
  }
  return { algorithm: 'HS256', secret: DEVELOPMENT_JWT_SECRET, developmentSecret: true };
}
