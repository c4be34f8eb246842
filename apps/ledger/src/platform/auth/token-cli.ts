import { readFileSync } from 'node:fs';
import { mintAccessToken } from './access-token';
import { DEVELOPMENT_JWT_SECRET } from './auth-config';
import { ROLES, isRole } from './roles';

export const TOKEN_USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> --sub <id> [--ttl <seconds>] [--private-key-file <pem>]

Prints a bearer token for the ledger's API. Signed HS256 with AUTH_JWT_SECRET, or the embedded
development secret when that is not set (what \`npm start\` accepts by default); RS256 with
--private-key-file. For development and tests: in production the bank's identity provider issues tokens.`;

export class TokenUsageError extends Error {}

/** The token `npm run token` prints for these arguments and environment. */
export function tokenFromArgs(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (name === undefined || !['--role', '--sub', '--ttl', '--private-key-file'].includes(name) || value === undefined) throw new TokenUsageError(`unexpected argument ${name}`);
    options.set(name, value);
  }
  const role = options.get('--role');
  const subject = options.get('--sub');
  if (!isRole(role)) throw new TokenUsageError(`--role must be one of ${ROLES.join('|')}`);
  if (subject === undefined) throw new TokenUsageError('--sub is required (a center id for center, a bidder id for bidder, a name otherwise)');
  const ttl = options.get('--ttl');
  if (ttl !== undefined && !/^[1-9]\d{0,7}$/.test(ttl)) throw new TokenUsageError('--ttl must be a number of seconds');
  const keyFile = options.get('--private-key-file');
  const key = keyFile !== undefined ? { privateKey: readFileSync(keyFile, 'utf8') } : { secret: env.AUTH_JWT_SECRET || DEVELOPMENT_JWT_SECRET };
  return mintAccessToken({ role, subject, expiresInSeconds: ttl === undefined ? undefined : Number(ttl) }, key);
}
