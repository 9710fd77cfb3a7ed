/**
 * E-mail change (ID-12) and account deletion (ID-17, CON-6) over HTTP, real Postgres and Kafka, with
 * the consent hub running so the security notices arrive the way they do in production.
 */
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
import { TokenService } from '../../services/identity/src/tokens/token.service';

let identity: RunningService;
let consent: RunningService;
const PASSWORD = 'a-long-enough-passphrase';
/**
 * This file's own client address (identity trusts X-Forwarded-For from loopback): its expected
 * 401s must not fill the per-IP login throttle that every test on 127.0.0.1 shares in one database.
 */
const CLIENT_IP = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join('.')}`;

beforeAll(async () => {
  const topicPrefix = newTopicPrefix();
  consent = await startService(consentService, { topicPrefix });
  identity = await startService(identityService, { topicPrefix });
});

afterAll(async () => {
  await identity?.stop();
  await consent?.stop();
});

async function call(method: string, path: string, body?: unknown, token?: string, base = identity.url) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': CLIENT_IP,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { [k: string]: unknown },
  };
}

async function login(email: string, password = PASSWORD) {
  return call('POST', '/v1/auth/login', { email, password, market: 'se' });
}

async function register(): Promise<{
  email: string;
  identityId: string;
  token: string;
  refreshToken: string;
}> {
  const email = uniqueEmail('chg');
  const created = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Eva',
    lastName: 'Ek',
    phone: uniqueSwedishMobile(),
    postalCode: '11122',
    dateOfBirth: '1990-01-02',
  });
  expect(created.status).toBe(201);
  const session = await login(email);
  expect(session.status).toBe(200);
  return {
    email,
    identityId: created.body.identityId as string,
    token: session.body.accessToken as string,
    refreshToken: session.body.refreshToken as string,
  };
}

/**
 * A stepped-up access token (amr contains otp). The phone step-up flow is built separately; until it
 * lands, the test signs one with the service's own TokenService, exactly as POST /v1/auth/step-up would.
 */
async function steppedUp(
  identityId: string,
  roles: ('consumer' | 'support')[] = ['consumer'],
): Promise<string> {
  const issued = await identity.app.get(TokenService).issueAccessToken({
    identityId,
    market: 'se',
    roles,
    orgs: [],
    amr: ['pwd', 'otp'],
    authTime: new Date(),
  });
  return issued.accessToken;
}

async function outboxCount(identityId: string, eventType: string): Promise<number> {
  const [{ count }] = await identity.dataSource.query(
    `SELECT count(*)::int AS count FROM identity.outbox WHERE key = $1 AND event_type = $2`,
    [identityId, eventType],
  );
  return count as number;
}

async function mailsTo(email: string): Promise<{ template: string; subject: string }[]> {
  const { body } = await call(
    'GET',
    `/v1/dev/messages?to=${encodeURIComponent(email)}`,
    undefined,
    undefined,
    consent.url,
  );
  return body.items as { template: string; subject: string }[];
}

describe('changing the e-mail (ID-12)', () => {
  it('needs a step-up; after it the new e-mail logs in, the old one does not, and other sessions end', async () => {
    const { email, identityId, token, refreshToken } = await register();
    const newEmail = uniqueEmail('new');

    const refused = await call('PUT', '/v1/me/email', { email: newEmail }, token);
    expect(refused).toMatchObject({ status: 403, body: { code: 'step_up_required' } });

    const changed = await call(
      'PUT',
      '/v1/me/email',
      { email: ` ${newEmail.toUpperCase()} ` },
      await steppedUp(identityId),
    );
    expect(changed).toMatchObject({ status: 200, body: { email: newEmail } });

    expect((await login(email)).status).toBe(401);
    expect((await login(newEmail)).status).toBe(200);
    const refresh = await call('POST', '/v1/auth/refresh', { refreshToken });
    expect(refresh).toMatchObject({ status: 401, body: { code: 'invalid_refresh_token' } });
    expect(await outboxCount(identityId, 'ticketry.identity.v1.EmailChanged')).toBe(1);

    // The old address gets a security notice, the new one a confirmation (through the consent hub).
    await eventually(async () => {
      expect(await mailsTo(email)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            template: 'generic',
            subject: 'Your Ticketry e-mail address was changed',
          }),
        ]),
      );
      expect((await mailsTo(newEmail)).some((m) => m.template === 'generic')).toBe(true);
    });
  });

  it('answers 200 and changes nothing for the same e-mail, and 409 email_taken for another identity’s', async () => {
    const first = await register();
    const second = await register();
    const token = await steppedUp(first.identityId);

    expect(await call('PUT', '/v1/me/email', { email: first.email }, token)).toMatchObject({
      status: 200,
      body: { email: first.email },
    });
    expect(await outboxCount(first.identityId, 'ticketry.identity.v1.EmailChanged')).toBe(0);
    expect((await call('POST', '/v1/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(200);

    const taken = await call('PUT', '/v1/me/email', { email: second.email.toUpperCase() }, token);
    expect(taken).toMatchObject({ status: 409, body: { code: 'email_taken' } });

    // Two identities racing for one free address: the unique index lets one through, the other is 409.
    const contested = uniqueEmail('race');
    const answers = await Promise.all([
      call('PUT', '/v1/me/email', { email: contested }, token),
      call('PUT', '/v1/me/email', { email: contested }, await steppedUp(second.identityId)),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('email_taken');
  });

  it('lets consumer support change a consumer’s e-mail, and nobody else', async () => {
    const consumer = await register();
    const agent = await register();
    await identity.dataSource.query(
      `UPDATE identity.identities SET platform_roles = '{support}' WHERE id = $1`,
      [agent.identityId],
    );
    const supportToken = (await login(agent.email)).body.accessToken as string;
    const newEmail = uniqueEmail('support');

    const byConsumer = await call(
      'PUT',
      `/v1/support/identities/${consumer.identityId}/email`,
      { email: newEmail },
      await steppedUp(consumer.identityId),
    );
    expect(byConsumer).toMatchObject({ status: 403, body: { code: 'forbidden' } });

    const bySupport = await call(
      'PUT',
      `/v1/support/identities/${consumer.identityId}/email`,
      { email: newEmail },
      supportToken,
    );
    expect(bySupport).toMatchObject({ status: 200, body: { email: newEmail } });
    const [row] = await identity.dataSource.query(
      `SELECT encode(payload, 'escape') AS payload FROM identity.outbox WHERE key = $1 AND event_type = $2`,
      [consumer.identityId, 'ticketry.identity.v1.EmailChanged'],
    );
    expect(row.payload).toContain('support');
    expect((await login(newEmail)).status).toBe(200);

    const unknown = await call(
      'PUT',
      '/v1/support/identities/00000000-0000-4000-8000-000000000000/email',
      { email: uniqueEmail('x') },
      supportToken,
    );
    expect(unknown).toMatchObject({ status: 404, body: { code: 'identity_not_found' } });
  });

  it('refuses an organization owner without step-up: organizers never change an e-mail', async () => {
    const owner = await register();
    const org = await call(
      'POST',
      '/v1/organizations',
      { name: 'Konsertbolaget', country: 'SE' },
      owner.token,
    );
    expect(org.status).toBe(201);
    const session = await login(owner.email);
    const orgToken = session.body.accessToken as string;
    const [, payload] = orgToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { orgs: { role: string }[] };
    expect(claims.orgs).toEqual([expect.objectContaining({ role: 'owner' })]);

    const refused = await call('PUT', '/v1/me/email', { email: uniqueEmail('org') }, orgToken);
    expect(refused).toMatchObject({ status: 403, body: { code: 'step_up_required' } });
    expect((await login(owner.email)).status).toBe(200);
  });
});

describe('deleting the account (ID-17, CON-6)', () => {
  it('needs a step-up, then anonymises the identity, publishes IdentityErased and ends every login', async () => {
    const { email, identityId, token, refreshToken } = await register();
    const address = {
      name: 'Eva Ek',
      line1: 'Storgatan 1',
      postalCode: '11122',
      city: 'Stockholm',
      country: 'SE',
    };
    expect(
      (await call('PUT', '/v1/me/markets/se/addresses', { billing: address, delivery: address }, token))
        .status,
    ).toBe(200);

    expect(await call('DELETE', '/v1/me', undefined, token)).toMatchObject({
      status: 403,
      body: { code: 'step_up_required' },
    });

    const stepUpToken = await steppedUp(identityId);
    const erased = await call('DELETE', '/v1/me', undefined, stepUpToken);
    expect(erased.status).toBe(202);
    expect(erased.body.erasureId).toEqual(expect.any(String));

    const [row] = await identity.dataSource.query(`SELECT * FROM identity.identities WHERE id = $1`, [
      identityId,
    ]);
    expect(row).toMatchObject({
      email: `erased+${identityId}@invalid`,
      first_name: '',
      last_name: '',
      phone: null,
      postal_code: null,
      date_of_birth: null,
      password_hash: null,
      public_profile: false,
      erasure_id: erased.body.erasureId,
    });
    expect(row.erased_at).toBeInstanceOf(Date);
    const accounts = await identity.dataSource.query(
      `SELECT billing_address, delivery_address FROM identity.market_accounts WHERE identity_id = $1`,
      [identityId],
    );
    expect(accounts).toEqual([{ billing_address: null, delivery_address: null }]);
    expect(await outboxCount(identityId, 'ticketry.identity.v1.IdentityErased')).toBe(1);

    expect(await login(email)).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect((await call('POST', '/v1/auth/refresh', { refreshToken })).status).toBe(401);

    // The access token outlives the erasure by at most its 15 minutes: asking again repeats the answer.
    const again = await call('DELETE', '/v1/me', undefined, stepUpToken);
    expect(again).toMatchObject({ status: 202, body: { erasureId: erased.body.erasureId } });
    expect(await outboxCount(identityId, 'ticketry.identity.v1.IdentityErased')).toBe(1);
    const revived = await call('PUT', '/v1/me/email', { email: uniqueEmail('back') }, stepUpToken);
    expect(revived).toMatchObject({ status: 404, body: { code: 'identity_not_found' } });
  });
});
