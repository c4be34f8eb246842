import { AccessTokenVerifier } from './access-token';
import { DEVELOPMENT_JWT_SECRET } from './auth-config';
import { TokenUsageError, tokenFromArgs } from './token-cli';

describe('npm run token', () => {
  it('mints a token the service accepts under its default key, naming the role and subject', () => {
    const token = tokenFromArgs(['--role', 'center', '--sub', 'C1'], {});
    expect(new AccessTokenVerifier({ algorithm: 'HS256', secret: DEVELOPMENT_JWT_SECRET, developmentSecret: true }).verify(token)).toEqual({ role: 'center', subject: 'C1' });
  });

  it('signs with AUTH_JWT_SECRET when it is set', () => {
    const secret = 'a-bank-secret-of-at-least-32-bytes!!';
    const token = tokenFromArgs(['--role', 'esb', '--sub', 'esb-gw', '--ttl', '60'], { AUTH_JWT_SECRET: secret });
    expect(new AccessTokenVerifier({ algorithm: 'HS256', secret, developmentSecret: false }).verify(token)).toEqual({ role: 'esb', subject: 'esb-gw' });
    expect(() => new AccessTokenVerifier({ algorithm: 'HS256', secret: DEVELOPMENT_JWT_SECRET, developmentSecret: true }).verify(token)).toThrow();
  });

  it.each([
    [['--role', 'admin', '--sub', 'x']],
    [['--role', 'center']],
    [['--role', 'center', '--sub', 'C1', '--ttl', '-5']],
    [['--role', 'center', '--sub', 'C1', '--what', 'x']],
  ])('refuses %j with a usage error', (args) => {
    expect(() => tokenFromArgs(args, {})).toThrow(TokenUsageError);
  });
});
