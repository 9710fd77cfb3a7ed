/**
 * Login, tokens and sessions over HTTP on real Postgres and Kafka: RS256 access tokens verifiable
 * with the published JWKS, rotating refresh tokens with reuse detection, logout, key rotation.
 */
import { apiClient, serviceUnderTest, uniqueEmail, uniqueSwedishMobile } from '@ticketry/testing';
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { SigningKeyStore } from '../src/tokens/signing-keys';
import { identityService } from '../src/service';

const identity = serviceUnderTest(identityService);

const PASSWORD = 'a-long-enough-passphrase';

const call = apiClient(() => identity.url);

async function registered(market = 'se'): Promise<{ email: string; identityId: string }> {
  const email = uniqueEmail('session');
  const response = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market,
    firstName: 'Lena',
    lastName: 'Lind',
    phone: uniqueSwedishMobile(),
  });
  expect(response.status).toBe(201);
  return { email, identityId: response.body.identityId as string };
}

async function login(email: string, market = 'se', password = PASSWORD) {
  return call('POST', '/v1/auth/login', { email, password, market });
}

async function jwks(): Promise<JSONWebKeySet> {
  return (await call('GET', '/.well-known/jwks.json')).body as unknown as JSONWebKeySet;
}

describe('login', () => {
  it('issues an RS256 access token that verifies against the JWKS and carries the api.md claims', async () => {
    const { email, identityId } = await registered();
    const response = await login(email);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ expiresIn: 900, requiredActions: ['verify_phone'] });

    const { payload, protectedHeader } = await jwtVerify(
      response.body.accessToken as string,
      createLocalJWKSet(await jwks()),
      {
        issuer: 'ticketry-identity',
        audience: 'ticketry',
        algorithms: ['RS256'],
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: identityId,
      market: 'se',
      roles: ['consumer'],
      orgs: [],
      amr: ['pwd'],
    });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('gives the same 401 for a wrong password and an unknown e-mail', async () => {
    const { email } = await registered();
    const wrong = await login(email, 'se', 'not-the-password');
    const unknown = await login(uniqueEmail('nobody'));
    expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(unknown).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('asks to link the market when the identity has no account there yet (ID-3)', async () => {
    const { email } = await registered('se');
    const response = await login(email, 'no');
    expect(response.status).toBe(200);
    expect(response.body.requiredActions).toEqual(expect.arrayContaining(['link_market']));
  });

  it('gives no session while a password reset is required (ID-2)', async () => {
    const { email, identityId } = await registered();
    await identity.dataSource.query(
      'UPDATE identity.identities SET must_reset_password = true WHERE id = $1',
      [identityId],
    );
    const response = await login(email);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accessToken: null, refreshToken: null });
    expect(response.body.requiredActions).toEqual(expect.arrayContaining(['reset_password']));
  });

  it('lets the token holder read their profile, and nobody without a token', async () => {
    const { email, identityId } = await registered();
    const { body } = await login(email);
    const me = await call('GET', '/v1/me', undefined, body.accessToken as string);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      identityId,
      email,
      phoneVerified: false,
      hasPassword: true,
      publicProfile: true,
      marketAccounts: [expect.objectContaining({ market: 'se', linkStatus: 'linked' })],
    });
    expect((await call('GET', '/v1/me')).status).toBe(401);
    expect((await call('GET', '/v1/me', undefined, `${body.accessToken as string}x`)).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotates on every refresh, and a reused token revokes the whole family', async () => {
    const { email } = await registered();
    const first = (await login(email)).body;
    const second = await call('POST', '/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await call('GET', '/v1/me', undefined, second.body.accessToken as string)).status).toBe(200);

    // The first token again: a thief or a replay. The family ends, including the newest token.
    const reuse = await call('POST', '/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse).toMatchObject({ status: 401, body: { code: 'refresh_token_reused' } });
    const afterReuse = await call('POST', '/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(afterReuse).toMatchObject({ status: 401, body: { code: 'invalid_refresh_token' } });
  });

  it('ends the family at logout', async () => {
    const { email } = await registered();
    const pair = (await login(email)).body;
    expect((await call('POST', '/v1/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);
    const refresh = await call('POST', '/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expect(refresh).toMatchObject({ status: 401, body: { code: 'invalid_refresh_token' } });
  });

  it('refuses an unknown refresh token', async () => {
    const refresh = await call('POST', '/v1/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect(refresh).toMatchObject({ status: 401, body: { code: 'invalid_refresh_token' } });
  });
});

describe('signing key rotation', () => {
  it('publishes the old and the new key during a rollover, and both tokens stay valid', async () => {
    const { email } = await registered();
    const before = (await login(email)).body.accessToken as string;
    const oldKid = decodeProtectedHeader(before).kid;
    const newKid = await identity.app.get(SigningKeyStore).rotate();
    expect(newKid).not.toBe(oldKid);

    const kids = (await jwks()).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    const after = (await login(email)).body.accessToken as string;
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await call('GET', '/v1/me', undefined, before)).status).toBe(200);
    expect((await call('GET', '/v1/me', undefined, after)).status).toBe(200);
  });
});
