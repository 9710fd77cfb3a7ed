/**
 * Global accounts across markets over HTTP, real Postgres and Kafka, with the consent hub running
 * so that e-mails (reset links) arrive the way they do in production.
 */
import { randomUUID } from 'node:crypto';
import {
  eventually,
  newTopicPrefix,
  RunningService,
  startService,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import { consentService } from '../../services/consent/src/service';
import { identityService } from '../../services/identity/src/service';

let identity: RunningService;
let consent: RunningService;
const ADMIN = { email: `admin+${randomUUID().slice(0, 8)}@ticketry.test`, password: 'admin-test-passphrase' };
const PASSWORD = 'a-long-enough-passphrase';

beforeAll(async () => {
  const topicPrefix = newTopicPrefix();
  consent = await startService(consentService, { topicPrefix });
  identity = await startService(identityService, {
    topicPrefix,
    env: { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password },
  });
});

afterAll(async () => {
  await identity?.stop();
  await consent?.stop();
});

async function call(method: string, path: string, body?: unknown, token?: string, base = identity.url) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { [k: string]: unknown },
  };
}

async function tokenFor(email: string, password: string, market = 'se'): Promise<string> {
  const response = await call('POST', '/v1/auth/login', { email, password, market });
  expect(response.status).toBe(200);
  return response.body.accessToken as string;
}

async function register(market = 'se'): Promise<{ email: string; token: string; identityId: string }> {
  const email = uniqueEmail('acct');
  const created = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market,
    firstName: 'Per',
    lastName: 'Persson',
    phone: uniqueSwedishMobile(),
  });
  expect(created.status).toBe(201);
  return {
    email,
    token: await tokenFor(email, PASSWORD, market),
    identityId: created.body.identityId as string,
  };
}

/** The reset link arrives by e-mail through the consent hub; the token is its query parameter. */
async function resetTokenFromMail(email: string): Promise<string> {
  return eventually(async () => {
    const { body } = await call(
      'GET',
      `/v1/dev/messages?to=${encodeURIComponent(email)}`,
      undefined,
      undefined,
      consent.url,
    );
    const mail = (body.items as { template: string; body: string }[]).find(
      (m) => m.template === 'password_reset',
    );
    expect(mail).toBeDefined();
    return /token=([A-Za-z0-9_-]+)/.exec(mail!.body)![1];
  });
}

describe('legacy accounts (ID-1, ID-2, ID-6)', () => {
  it('links two legacy accounts with one e-mail into one identity that must reset its password at next login', async () => {
    const admin = await tokenFor(ADMIN.email, ADMIN.password);
    const email = uniqueEmail('legacy');
    const imported = await call(
      'POST',
      '/v1/admin/legacy-accounts',
      {
        accounts: [
          {
            market: 'se',
            email: email.toUpperCase(),
            firstName: 'Kalle',
            lastName: 'Old',
            phone: '070-111 22 33',
            updatedAt: '2024-01-01T00:00:00Z',
          },
          {
            market: 'no',
            email,
            firstName: 'Karl',
            lastName: '',
            postalCode: '0150',
            updatedAt: '2025-06-01T00:00:00Z',
          },
        ],
      },
      admin,
    );
    expect(imported.status).toBe(200);
    const identities = imported.body.identities as {
      email: string;
      identityId: string;
      marketAccountIds: string[];
    }[];
    expect(identities).toHaveLength(1);
    expect(identities[0].email).toBe(email);
    expect(identities[0].marketAccountIds).toHaveLength(2);

    // Next login: no session, a password reset first (ID-2), whichever market.
    for (const market of ['se', 'no']) {
      const login = await call('POST', '/v1/auth/login', {
        email,
        password: 'whatever-they-used-before',
        market,
      });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ accessToken: null, refreshToken: null });
      expect(login.body.requiredActions).toEqual(expect.arrayContaining(['reset_password']));
    }

    expect((await call('POST', '/v1/password/forgot', { email, market: 'se' })).status).toBe(202);
    const resetToken = await resetTokenFromMail(email);
    expect(
      (
        await call('POST', '/v1/password/reset', {
          token: resetToken,
          newPassword: 'one-new-password-for-all',
        })
      ).status,
    ).toBe(204);

    // One password now opens both markets; the merged profile kept the newest non-empty values (ID-6).
    const token = await tokenFor(email, 'one-new-password-for-all', 'no');
    const me = await call('GET', '/v1/me', undefined, token);
    expect(me.body).toMatchObject({
      firstName: 'Karl',
      lastName: 'Old',
      postalCode: '0150',
      phone: '+46701112233',
    });
    expect((me.body.marketAccounts as { market: string }[]).map((a) => a.market).sort()).toEqual([
      'no',
      'se',
    ]);
    expect(await tokenFor(email, 'one-new-password-for-all', 'se')).toEqual(expect.any(String));
  });

  it('refuses the import to anyone but a platform_admin', async () => {
    const { token } = await register();
    const response = await call('POST', '/v1/admin/legacy-accounts', { accounts: [] }, token);
    expect(response.status).toBe(403);
  });
});

describe('password reset', () => {
  it('answers 202 for an unknown e-mail too, and a reset link works once', async () => {
    expect(
      (await call('POST', '/v1/password/forgot', { email: uniqueEmail('nobody'), market: 'se' })).status,
    ).toBe(202);
    const { email } = await register();
    await call('POST', '/v1/password/forgot', { email, market: 'se' });
    const token = await resetTokenFromMail(email);
    expect(
      (await call('POST', '/v1/password/reset', { token, newPassword: 'password123' })).body,
    ).toMatchObject({
      code: 'validation_failed',
    });
    expect(
      (await call('POST', '/v1/password/reset', { token, newPassword: 'a-fresh-strong-passphrase' })).status,
    ).toBe(204);
    const again = await call('POST', '/v1/password/reset', {
      token,
      newPassword: 'another-fresh-passphrase',
    });
    expect(again).toMatchObject({ status: 400, body: { code: 'invalid_reset_token' } });
    expect((await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' })).status).toBe(
      401,
    );
    expect(await tokenFor(email, 'a-fresh-strong-passphrase')).toEqual(expect.any(String));
  });
});

describe('markets (ID-3, ID-5, ID-7)', () => {
  it('creates nothing without consent, and a linked account with it', async () => {
    const { token, identityId } = await register('se');
    const declined = await call('POST', '/v1/me/markets/dk/link', { consent: false }, token);
    expect(declined.status).toBe(200);
    const [{ count }] = await identity.dataSource.query(
      `SELECT count(*)::int AS count FROM identity.market_accounts WHERE identity_id = $1 AND market = 'dk'`,
      [identityId],
    );
    expect(count).toBe(0);

    const linked = await call('POST', '/v1/me/markets/dk/link', { consent: true }, token);
    expect(linked.status).toBe(201);
    expect(linked.body.marketAccountId).toEqual(expect.any(String));
    const me = await call('GET', '/v1/me', undefined, token);
    expect(me.body.marketAccounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          market: 'dk',
          linkStatus: 'linked',
          marketAccountId: linked.body.marketAccountId,
        }),
      ]),
    );
  });

  it('keeps a refused account unlinked, and login there asks to link again (ID-5)', async () => {
    const { email, token } = await register('se');
    const linked = await call('POST', '/v1/me/markets/fi/link', { consent: true }, token);
    const refused = await call(
      'POST',
      '/v1/me/link-refusal',
      { marketAccountId: linked.body.marketAccountId },
      token,
    );
    expect(refused).toMatchObject({ status: 200, body: { linkStatus: 'refused' } });
    const login = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'fi' });
    expect(login.body.requiredActions).toEqual(expect.arrayContaining(['link_market']));
    const foreign = await call('POST', '/v1/me/link-refusal', { marketAccountId: randomUUID() }, token);
    expect(foreign.status).toBe(404);
  });

  it('keeps addresses per market account, not in the global profile (ID-7)', async () => {
    const { token, identityId } = await register('se');
    const address = {
      name: 'Per Persson',
      line1: 'Storgatan 1',
      postalCode: '11122',
      city: 'Stockholm',
      country: 'SE',
    };
    const saved = await call(
      'PUT',
      '/v1/me/markets/se/addresses',
      { billing: address, delivery: { ...address, line1: 'Lillgatan 2' } },
      token,
    );
    expect(saved.status).toBe(200);
    const [row] = await identity.dataSource.query(
      `SELECT billing_address, delivery_address FROM identity.market_accounts WHERE identity_id = $1 AND market = 'se'`,
      [identityId],
    );
    expect(row.delivery_address.line1).toBe('Lillgatan 2');
    expect(
      (await call('PUT', '/v1/me/markets/no/addresses', { billing: address, delivery: address }, token))
        .status,
    ).toBe(404);
  });
});

describe('profile', () => {
  it('lets the consumer opt out of the public profile (ID-15) but not change e-mail here', async () => {
    const { token } = await register();
    const updated = await call('PATCH', '/v1/me', { publicProfile: false, firstName: 'Pelle' }, token);
    expect(updated).toMatchObject({ status: 200, body: { publicProfile: false, firstName: 'Pelle' } });
    const email = await call('PATCH', '/v1/me', { email: uniqueEmail('x') }, token);
    expect(email).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('login throttling', () => {
  it('answers 429 too_many_attempts after repeated failures on one account, also for the right password', async () => {
    const { email } = await register();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await call('POST', '/v1/auth/login', { email, password: 'wrong-password-xyz', market: 'se' }))
          .status,
      ).toBe(401);
    }
    const blocked = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' });
    expect(blocked).toMatchObject({ status: 429, body: { code: 'too_many_attempts' } });
  });
});
