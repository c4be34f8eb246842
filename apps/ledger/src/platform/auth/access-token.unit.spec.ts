import jwt from 'jsonwebtoken';
import { AccessTokenError, AccessTokenVerifier, mintAccessToken } from './access-token';
import type { AuthConfig } from './auth-config';

const SECRET = 'unit-test-secret-of-at-least-32-bytes!';
const CONFIG: AuthConfig = { algorithm: 'HS256', secret: SECRET, developmentSecret: false };

describe('AccessTokenVerifier', () => {
  it('answers a remembered token without checking it again, until it expires', () => {
    const verifier = new AccessTokenVerifier(CONFIG);
    const token = mintAccessToken({ role: 'esb', subject: 'gw', expiresInSeconds: 60 }, { secret: SECRET });
    const verify = jest.spyOn(jwt, 'verify');
    const now = Date.now();
    expect(verifier.verify(token, now)).toEqual({ role: 'esb', subject: 'gw' });
    expect(verifier.verify(token, now + 1_000)).toEqual({ role: 'esb', subject: 'gw' });
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });

  it('refuses a remembered token once its expiry has passed', () => {
    const verifier = new AccessTokenVerifier(CONFIG);
    const token = mintAccessToken({ role: 'esb', subject: 'gw', expiresInSeconds: 60 }, { secret: SECRET });
    verifier.verify(token);
    // 31 s after expiry: past the 30 s clock tolerance too.
    expect(() => verifier.verify(token, Date.now() + 91_000)).toThrow(AccessTokenError);
  });

  it('never remembers a refused token', () => {
    const verifier = new AccessTokenVerifier(CONFIG);
    const forged = mintAccessToken({ role: 'operator', subject: 'x' }, { secret: 'another-secret-of-at-least-32-bytes!!' });
    expect(() => verifier.verify(forged)).toThrow(AccessTokenError);
    expect(() => verifier.verify(forged)).toThrow(AccessTokenError);
  });
});
