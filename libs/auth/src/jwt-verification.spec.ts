import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createProbeApp } from './testing/probe-app';
import { nowSeconds, TestIssuer } from './testing/test-issuer';

function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

describe('JWT verification against identity JWKS', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    issuer.addKey();
    app = await createProbeApp({ jwksUrl: issuer.jwksUrl, jwks: { requestsPerMinute: 100 } });
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('accepts a valid RS256 token and exposes the principal built from its claims', async () => {
    const sub = randomUUID();
    const org = randomUUID();
    const token = await issuer.sign({
      sub,
      market: 'SE',
      roles: ['consumer'],
      orgs: [{ id: org, role: 'owner' }],
    });

    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(200);

    expect(res.body).toEqual({
      identityId: sub,
      roles: ['consumer'],
      orgs: [{ id: org, role: 'owner' }],
      market: 'SE',
      isService: false,
    });
  });

  it('answers 401 unauthorized without a token', async () => {
    const res = await request(app.getHttpServer()).get('/v1/me').expect(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('answers 401 invalid_token for something that is not a JWT', async () => {
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer('not-a-jwt'))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign({}, { issuedAt: nowSeconds() - 600, expiresInSeconds: 300 });
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
    expect(res.body).toMatchObject({ code: 'invalid_token', detail: 'The access token has expired.' });
  });

  it('refuses a token from another issuer', async () => {
    const token = await issuer.sign({}, { issuer: 'someone-else' });
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses a token for another audience', async () => {
    const token = await issuer.sign({}, { audience: 'another-platform' });
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses HS256 "signed" with the published RSA public key as the HMAC secret', async () => {
    const token = await issuer.signHs256WithPublicKey();
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(issuer.unsigned()))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses a token whose signature was made by a key identity never published (unknown kid)', async () => {
    const rogueKid = issuer.addKey({ publish: false });
    const token = await issuer.sign({}, { kid: rogueKid });
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses a token signed by an unpublished key but carrying a published kid', async () => {
    const publishedKid = issuer.addKey();
    const forged = await issuer.sign({}, { kid: issuer.addKey({ publish: false }) });
    // Same token, header rewritten to claim the published kid: the signature no longer matches it.
    const [, payload, signature] = forged.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: publishedKid })).toString('base64url');
    const res = await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(`${header}.${payload}.${signature}`))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses a token without kid', async () => {
    const token = await issuer.sign({}, { omitKid: true });
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(401);
  });

  it('refuses a validly signed token whose claims lack jti or have a malformed orgs claim', async () => {
    const withoutJti = await issuer.sign({ jti: undefined });
    const badOrgs = await issuer.sign({ orgs: 'owner' as unknown as [] });
    for (const token of [withoutJti, badOrgs]) {
      const res = await request(app.getHttpServer())
        .get('/v1/me')
        .set(...bearer(token))
        .expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('caches keys: further requests with a known kid do not fetch the JWKS again', async () => {
    const token = await issuer.sign();
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(token))
      .expect(200);
    const before = issuer.jwksRequests;
    for (let i = 0; i < 5; i += 1) {
      await request(app.getHttpServer())
        .get('/v1/me')
        .set(...bearer(await issuer.sign()))
        .expect(200);
    }
    expect(issuer.jwksRequests).toBe(before);
  });

  it('follows key rotation: a token signed with a newly published key is accepted after a refetch', async () => {
    const oldToken = await issuer.sign();
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(oldToken))
      .expect(200);
    const before = issuer.jwksRequests;

    const newKid = issuer.addKey();
    const newToken = await issuer.sign({}, { kid: newKid });
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(newToken))
      .expect(200);

    expect(issuer.jwksRequests).toBe(before + 1);
    // The previous key stays usable while identity still publishes it.
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(oldToken))
      .expect(200);
  });

  it('lets anonymous callers through @Public routes and still recognises a valid token there', async () => {
    const anonymous = await request(app.getHttpServer()).get('/v1/events').expect(200);
    expect(anonymous.body.identityId).toBeNull();

    const sub = randomUUID();
    const holder = await request(app.getHttpServer())
      .get('/v1/events')
      .set(...bearer(await issuer.sign({ sub })))
      .expect(200);
    expect(holder.body.identityId).toBe(sub);
  });

  it('treats an invalid token on a @Public route as anonymous rather than refusing the call', async () => {
    const expired = await issuer.sign({}, { issuedAt: nowSeconds() - 600, expiresInSeconds: 60 });
    const res = await request(app.getHttpServer())
      .get('/v1/events')
      .set(...bearer(expired))
      .expect(200);
    expect(res.body.identityId).toBeNull();
  });

  it('answers 503 when the JWKS cannot be fetched for a kid not yet cached, and keeps serving cached keys', async () => {
    const cachedToken = await issuer.sign();
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(cachedToken))
      .expect(200);
    const newKid = issuer.addKey();
    issuer.unavailable = true;
    try {
      const res = await request(app.getHttpServer())
        .get('/v1/me')
        .set(...bearer(await issuer.sign({}, { kid: newKid })))
        .expect(503);
      expect(res.body.code).toBe('dependency_unavailable');
      await request(app.getHttpServer())
        .get('/v1/me')
        .set(...bearer(cachedToken))
        .expect(200);
    } finally {
      issuer.unavailable = false;
    }
  });
});

describe('JWKS refetch rate limit', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    issuer.addKey();
    app = await createProbeApp({ jwksUrl: issuer.jwksUrl, jwks: { requestsPerMinute: 2 } });
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('bounds JWKS fetches when tokens with made-up kids flood in, and still answers 401 to each', async () => {
    for (let i = 0; i < 6; i += 1) {
      const kid = issuer.addKey({ publish: false });
      const res = await request(app.getHttpServer())
        .get('/v1/me')
        .set(...bearer(await issuer.sign({}, { kid })))
        .expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
    expect(issuer.jwksRequests).toBe(2);
  });
});

describe('static-key mode (identity verifying the tokens it signs)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let kid: string;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    kid = issuer.addKey();
    // The private key is what identity holds; the resolver must derive the public half itself.
    app = await createProbeApp({
      staticKeys: [{ kid, key: issuer.privateKey(kid) }],
      jwksUrl: 'http://127.0.0.1:9/unused',
    });
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('accepts tokens signed with a key it was given, without calling any JWKS', async () => {
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(await issuer.sign()))
      .expect(200);
    expect(issuer.jwksRequests).toBe(0);
  });

  it('refuses tokens signed with a key it was not given, even one the JWKS publishes', async () => {
    const otherKid = issuer.addKey();
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(await issuer.sign({}, { kid: otherKid })))
      .expect(401);
  });

  it('still refuses HS256 with the public key as secret', async () => {
    await request(app.getHttpServer())
      .get('/v1/me')
      .set(...bearer(await issuer.signHs256WithPublicKey({}, kid)))
      .expect(401);
  });
});
