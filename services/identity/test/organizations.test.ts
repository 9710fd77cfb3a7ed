/**
 * Organizations (ID-16), memberships in access tokens, API clients and the client-credentials
 * grant, over HTTP on real Postgres and Kafka.
 */
import {
  apiClient,
  newTopicPrefix,
  RunningService,
  startService,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import { createLocalJWKSet, decodeJwt, JSONWebKeySet, jwtVerify } from 'jose';
import { identityService } from '../src/service';

let identity: RunningService;

const SERVICE_SECRET = 'orders-service-secret-for-tests';

beforeAll(async () => {
  identity = await startService(identityService, {
    topicPrefix: newTopicPrefix(),
    env: { SERVICE_CLIENTS: JSON.stringify([{ clientId: 'orders', secret: SERVICE_SECRET }]) },
  });
});

afterAll(async () => {
  await identity?.stop();
});

const PASSWORD = 'a-long-enough-passphrase';

type Json = Record<string, unknown>;

const call = apiClient(() => identity.url);

async function tokenRequest(form: Record<string, string>, basic?: { id: string; secret: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const encode = (value: string) => encodeURIComponent(value);
    headers.authorization = `Basic ${Buffer.from(`${encode(basic.id)}:${encode(basic.secret)}`).toString('base64')}`;
  }
  const response = await fetch(`${identity.url}/v1/oauth/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as Json,
  };
}

/** A registered identity and a fresh access token; call `token()` again after a membership change. */
async function person(tag: string) {
  const email = uniqueEmail(tag);
  const registered = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Org',
    lastName: 'Member',
    phone: uniqueSwedishMobile(),
  });
  expect(registered.status).toBe(201);
  const token = async () => {
    const login = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' });
    expect(login.status).toBe(200);
    return login.body.accessToken as string;
  };
  return { email, identityId: registered.body.identityId as string, token };
}

async function organizationOf(owner: { token: () => Promise<string> }) {
  const created = await call(
    'POST',
    '/v1/organizations',
    { name: 'Stockholm Jazz Club', country: 'se', legalName: 'Stockholm Jazz Club AB' },
    await owner.token(),
  );
  expect(created.status).toBe(201);
  return created.body.organizationId as string;
}

async function verified(accessToken: string) {
  const jwks = (await call('GET', '/.well-known/jwks.json')).body as unknown as JSONWebKeySet;
  const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), {
    issuer: 'ticketry-identity',
    audience: 'ticketry',
    algorithms: ['RS256'],
  });
  return payload;
}

describe('organizations and members (ID-16)', () => {
  it('makes the creator the owner, and the next token carries the membership', async () => {
    const owner = await person('org-owner');
    const organizationId = await organizationOf(owner);
    const [row] = (await identity.dataSource.query(
      'SELECT name, country, legal_name FROM identity.organizations WHERE id = $1',
      [organizationId],
    )) as Json[];
    expect(row).toEqual({ name: 'Stockholm Jazz Club', country: 'SE', legal_name: 'Stockholm Jazz Club AB' });

    const payload = decodeJwt(await owner.token());
    expect(payload.orgs).toEqual([{ id: organizationId, role: 'owner' }]);
  });

  it('carries a membership added after login into the refreshed token', async () => {
    const owner = await person('org-owner');
    const login = await call('POST', '/v1/auth/login', {
      email: owner.email,
      password: PASSWORD,
      market: 'se',
    });
    expect(decodeJwt(login.body.accessToken as string).orgs).toEqual([]);
    const organizationId = await organizationOf(owner);
    const refreshed = await call('POST', '/v1/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.accessToken as string).orgs).toEqual([
      { id: organizationId, role: 'owner' },
    ]);
  });

  it('lets the owner add an existing identity with a role that its token then carries', async () => {
    const owner = await person('org-owner');
    const member = await person('org-scanner');
    const organizationId = await organizationOf(owner);

    const added = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: `  ${member.email.toUpperCase()} `, role: 'scanner' },
      await owner.token(),
    );
    expect(added).toMatchObject({
      status: 201,
      body: { organizationId, identityId: member.identityId, role: 'scanner' },
    });
    expect(decodeJwt(await member.token()).orgs).toEqual([{ id: organizationId, role: 'scanner' }]);

    const again = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: member.email, role: 'manager' },
      await owner.token(),
    );
    expect(again).toMatchObject({ status: 409, body: { code: 'already_member' } });
  });

  it('answers 404 identity_not_found for an e-mail no identity has, and rejects unknown roles', async () => {
    const owner = await person('org-owner');
    const organizationId = await organizationOf(owner);
    const token = await owner.token();
    const unknown = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: uniqueEmail('nobody'), role: 'manager' },
      token,
    );
    expect(unknown).toMatchObject({ status: 404, body: { code: 'identity_not_found' } });
    const badRole = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: owner.email, role: 'admin' },
      token,
    );
    expect(badRole).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('lists the members to owners and managers, page by page', async () => {
    const owner = await person('org-owner');
    const manager = await person('org-manager');
    const finance = await person('org-finance');
    const organizationId = await organizationOf(owner);
    for (const [who, role] of [
      [manager, 'manager'],
      [finance, 'finance'],
    ] as const) {
      const added = await call(
        'POST',
        `/v1/organizations/${organizationId}/members`,
        { email: who.email, role },
        await owner.token(),
      );
      expect(added.status).toBe(201);
    }

    const managerToken = await manager.token();
    const first = await call(
      'GET',
      `/v1/organizations/${organizationId}/members?limit=2`,
      undefined,
      managerToken,
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      { identityId: owner.identityId, email: owner.email, role: 'owner' },
      { identityId: manager.identityId, email: manager.email, role: 'manager' },
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      'GET',
      `/v1/organizations/${organizationId}/members?limit=2&cursor=${first.body.nextCursor as string}`,
      undefined,
      managerToken,
    );
    expect(second.body).toEqual({
      items: [{ identityId: finance.identityId, email: finance.email, role: 'finance' }],
      nextCursor: null,
    });

    const asFinance = await call(
      'GET',
      `/v1/organizations/${organizationId}/members`,
      undefined,
      await finance.token(),
    );
    expect(asFinance).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
  });

  it("refuses another organization's members: organizations see only their own data", async () => {
    const owner = await person('org-owner');
    const organizationId = await organizationOf(owner);
    const otherOwner = await person('other-owner');
    await organizationOf(otherOwner);

    const token = await otherOwner.token();
    const list = await call('GET', `/v1/organizations/${organizationId}/members`, undefined, token);
    expect(list).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
    const add = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: otherOwner.email, role: 'owner' },
      token,
    );
    expect(add).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
  });

  it('lets only owners add members: a manager gets 403', async () => {
    const owner = await person('org-owner');
    const manager = await person('org-manager');
    const outsider = await person('org-outsider');
    const organizationId = await organizationOf(owner);
    await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: manager.email, role: 'manager' },
      await owner.token(),
    );
    const byManager = await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: outsider.email, role: 'scanner' },
      await manager.token(),
    );
    expect(byManager).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
    const rows = (await identity.dataSource.query(
      'SELECT 1 FROM identity.organization_members WHERE organization_id = $1 AND identity_id = $2',
      [organizationId, outsider.identityId],
    )) as unknown[];
    expect(rows).toHaveLength(0);
  });

  it('needs a token', async () => {
    const response = await call('POST', '/v1/organizations', { name: 'Nobody', country: 'SE' });
    expect(response.status).toBe(401);
  });
});

describe('API clients and the client-credentials grant', () => {
  async function apiClient(scopes = ['orders:read', 'check-ins:write']) {
    const owner = await person('org-owner');
    const organizationId = await organizationOf(owner);
    const created = await call(
      'POST',
      `/v1/organizations/${organizationId}/api-clients`,
      { name: 'Box office', scopes },
      await owner.token(),
    );
    expect(created.status).toBe(201);
    return {
      owner,
      organizationId,
      clientId: created.body.clientId as string,
      clientSecret: created.body.clientSecret as string,
    };
  }

  it('shows the secret once and stores only its argon2id hash', async () => {
    const { clientId, clientSecret, organizationId } = await apiClient();
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    const [row] = (await identity.dataSource.query(
      'SELECT organization_id, secret_hash, scopes, revoked_at FROM identity.api_clients WHERE client_id = $1',
      [clientId],
    )) as Json[];
    expect(row).toMatchObject({
      organization_id: organizationId,
      scopes: ['orders:read', 'check-ins:write'],
      revoked_at: null,
    });
    expect(row.secret_hash).toMatch(/^\$argon2id\$/);
    expect(row.secret_hash).not.toContain(clientSecret);
  });

  it('issues a token for a form body that verifies against the JWKS and acts for the organization', async () => {
    const { clientId, clientSecret, organizationId } = await apiClient();
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'orders:read check-ins:write',
    });
    const payload = await verified(response.body.access_token as string);
    expect(payload).toMatchObject({
      sub: clientId,
      client_id: clientId,
      scope: 'orders:read check-ins:write',
      roles: [],
      orgs: [{ id: organizationId, role: 'manager' }],
    });
  });

  it('accepts HTTP Basic and narrows the token to the scopes asked for', async () => {
    const { clientId, clientSecret } = await apiClient();
    const response = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { id: clientId, secret: clientSecret },
    );
    expect(response.status).toBe(200);
    const payload = await verified(response.body.access_token as string);
    expect(payload).toMatchObject({ client_id: clientId, scope: 'orders:read' });

    const beyond = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'payouts:write' },
      { id: clientId, secret: clientSecret },
    );
    expect(beyond).toMatchObject({ status: 400, body: { code: 'invalid_scope', error: 'invalid_scope' } });
  });

  it('accepts a JSON body', async () => {
    const { clientId, clientSecret } = await apiClient();
    const response = await call('POST', '/v1/oauth/token', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(response.status).toBe(200);
    expect(response.body.access_token).toEqual(expect.any(String));
  });

  it('answers a wrong secret and an unknown client alike: 401 invalid_client', async () => {
    const { clientId } = await apiClient();
    const wrong = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'not-the-secret',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(wrong.body).toMatchObject({ code: 'invalid_client', error: 'invalid_client' });
    const unknown = await tokenRequest(
      { grant_type: 'client_credentials' },
      { id: '00000000-0000-4000-8000-000000000000', secret: 'whatever' },
    );
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('refuses other grants with 400 unsupported_grant_type and a missing grant with invalid_request', async () => {
    const { clientId, clientSecret } = await apiClient();
    const password = await tokenRequest({
      grant_type: 'password',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(password).toMatchObject({
      status: 400,
      body: { code: 'unsupported_grant_type', error: 'unsupported_grant_type' },
    });
    const missing = await tokenRequest({ client_id: clientId, client_secret: clientSecret });
    expect(missing).toMatchObject({
      status: 400,
      body: { code: 'invalid_request', error: 'invalid_request' },
    });
  });

  it('keeps API-client tokens out of organization administration', async () => {
    const { clientId, clientSecret, organizationId } = await apiClient();
    const token = (
      await tokenRequest({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      })
    ).body.access_token as string;
    const list = await call('GET', `/v1/organizations/${organizationId}/members`, undefined, token);
    expect(list).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('lets only the owner create API clients', async () => {
    const { owner, organizationId } = await apiClient();
    const manager = await person('org-manager');
    await call(
      'POST',
      `/v1/organizations/${organizationId}/members`,
      { email: manager.email, role: 'manager' },
      await owner.token(),
    );
    const byManager = await call(
      'POST',
      `/v1/organizations/${organizationId}/api-clients`,
      { name: 'Sneaky', scopes: ['orders:read'] },
      await manager.token(),
    );
    expect(byManager).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
  });

  it('gives a service from SERVICE_CLIENTS a token with the service role', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { id: 'orders', secret: SERVICE_SECRET },
    );
    expect(response.status).toBe(200);
    const payload = await verified(response.body.access_token as string);
    expect(payload).toMatchObject({ sub: 'orders', client_id: 'orders', roles: ['service'], orgs: [] });
    const wrong = await tokenRequest(
      { grant_type: 'client_credentials' },
      { id: 'orders', secret: 'wrong-secret' },
    );
    expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_client' } });
  });
});
