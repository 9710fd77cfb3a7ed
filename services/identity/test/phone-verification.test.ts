/**
 * Phone verification and step-up over HTTP on real Postgres and Kafka (ID-9..ID-11). Codes are
 * read where a person would find them outside production: identity's GET /v1/dev/messages.
 */
import { apiClient, serviceUnderTest, uniqueEmail, uniqueSwedishMobile } from '@ticketry/testing';
import { decodeJwt } from 'jose';
import { identityService } from '../src/service';

const identity = serviceUnderTest(identityService);
const PASSWORD = 'a-long-enough-passphrase';

const call = apiClient(() => identity.url);

async function consumer(): Promise<{ token: string; identityId: string }> {
  const email = uniqueEmail('phone');
  const created = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Olle',
    lastName: 'Ek',
    phone: uniqueSwedishMobile(),
  });
  const login = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' });
  return { token: login.body.accessToken as string, identityId: created.body.identityId as string };
}

async function lastMessage(to: string): Promise<{ channel: string; template: string; body: string }> {
  const { body } = await call('GET', `/v1/dev/messages?to=${encodeURIComponent(to)}`);
  const items = body.items as { channel: string; template: string; body: string }[];
  expect(items.length).toBeGreaterThan(0);
  return items[0];
}

async function codeSentTo(phone: string): Promise<string> {
  const message = await lastMessage(phone);
  return message.body.replace(/\D+/g, '').slice(0, 6).length === 6 && message.channel === 'sms'
    ? /(\d{6})/.exec(message.body)![1]
    : message.body.replace(/[^\d]/g, '').slice(0, 6);
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('phone verification (ID-9, ID-10)', () => {
  it('sends a 6-digit code by SMS and links the phone when it is entered', async () => {
    const { token, identityId } = await consumer();
    const phone = uniqueSwedishMobile();
    expect((await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token)).status).toBe(
      202,
    );
    const message = await lastMessage(phone);
    expect(message).toMatchObject({ channel: 'sms', template: 'phone_verification_code' });
    const code = /(\d{6})/.exec(message.body)![1];

    const wrong = await call(
      'POST',
      '/v1/phone/verifications/check',
      { phone, code: otherCode(code) },
      token,
    );
    expect(wrong).toMatchObject({ status: 400, body: { code: 'invalid_code' } });
    const right = await call('POST', '/v1/phone/verifications/check', { phone, code }, token);
    expect(right).toMatchObject({ status: 200, body: { verified: true } });
    expect((await call('GET', '/v1/me', undefined, token)).body).toMatchObject({
      phone,
      phoneVerified: true,
    });
    const [event] = await identity.dataSource.query(
      `SELECT key FROM identity.outbox WHERE event_type = 'ticketry.identity.v1.PhoneVerified' AND key = $1`,
      [identityId],
    );
    expect(event).toBeDefined();

    const reuse = await call('POST', '/v1/phone/verifications/check', { phone, code }, token);
    expect(reuse.status).toBe(410);
  });

  it('reads the code aloud digit by digit on a voice call', async () => {
    const { token } = await consumer();
    const phone = uniqueSwedishMobile();
    await call('POST', '/v1/phone/verifications', { phone, channel: 'voice' }, token);
    const message = await lastMessage(phone);
    expect(message.channel).toBe('voice');
    expect(message.body).toMatch(/\d, \d, \d, \d, \d, \d/);
    const code = message.body.match(/\d/g)!.join('').slice(0, 6);
    expect((await call('POST', '/v1/phone/verifications/check', { phone, code }, token)).status).toBe(200);
  });

  it('lets the same phone verify several identities (ID-10)', async () => {
    const phone = uniqueSwedishMobile();
    for (const { token } of [await consumer(), await consumer()]) {
      await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token);
      const code = await codeSentTo(phone);
      expect((await call('POST', '/v1/phone/verifications/check', { phone, code }, token)).status).toBe(200);
    }
  });

  it('refuses the 6th attempt after 5 wrong codes, even with the right code', async () => {
    const { token } = await consumer();
    const phone = uniqueSwedishMobile();
    await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token);
    const code = await codeSentTo(phone);
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await call('POST', '/v1/phone/verifications/check', { phone, code: otherCode(code) }, token)).status,
      ).toBe(400);
    }
    const sixth = await call('POST', '/v1/phone/verifications/check', { phone, code }, token);
    expect(sixth).toMatchObject({ status: 429, body: { code: 'too_many_attempts' } });
  });

  it('refuses an expired code with 410 code_expired', async () => {
    const { token, identityId } = await consumer();
    const phone = uniqueSwedishMobile();
    await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token);
    const code = await codeSentTo(phone);
    await identity.dataSource.query(
      `UPDATE identity.otp_challenges SET expires_at = now() - interval '1 second' WHERE identity_id = $1`,
      [identityId],
    );
    const expired = await call('POST', '/v1/phone/verifications/check', { phone, code }, token);
    expect(expired).toMatchObject({ status: 410, body: { code: 'code_expired' } });
  });

  it('enforces the per-phone send budget with 429 too_many_requests', async () => {
    const { token } = await consumer();
    const phone = uniqueSwedishMobile();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('rejects a number that cannot exist with 400, and needs a token', async () => {
    const { token } = await consumer();
    expect(
      (await call('POST', '/v1/phone/verifications', { phone: '+461', channel: 'sms' }, token)).status,
    ).toBe(400);
    expect(
      (await call('POST', '/v1/phone/verifications', { phone: uniqueSwedishMobile(), channel: 'sms' }))
        .status,
    ).toBe(401);
  });
});

describe('step-up (ID-11)', () => {
  it('is needed to replace a verified phone', async () => {
    const { token } = await consumer();
    const phone = uniqueSwedishMobile();
    await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token);
    await call('POST', '/v1/phone/verifications/check', { phone, code: await codeSentTo(phone) }, token);

    const other = uniqueSwedishMobile();
    const refused = await call('POST', '/v1/phone/verifications', { phone: other, channel: 'sms' }, token);
    expect(refused).toMatchObject({ status: 403, body: { code: 'step_up_required' } });

    await call('POST', '/v1/auth/step-up', {}, token);
    const stepped = (await call('POST', '/v1/auth/step-up', { code: await codeSentTo(phone) }, token)).body
      .accessToken as string;
    expect(
      (await call('POST', '/v1/phone/verifications', { phone: other, channel: 'sms' }, stepped)).status,
    ).toBe(202);
  });

  it('needs a verified phone', async () => {
    const { token } = await consumer();
    expect(await call('POST', '/v1/auth/step-up', {}, token)).toMatchObject({
      status: 403,
      body: { code: 'phone_not_verified' },
    });
  });

  it('sends a code to the verified phone and exchanges it for a 10-minute token with amr otp', async () => {
    const { token } = await consumer();
    const phone = uniqueSwedishMobile();
    await call('POST', '/v1/phone/verifications', { phone, channel: 'sms' }, token);
    await call('POST', '/v1/phone/verifications/check', { phone, code: await codeSentTo(phone) }, token);

    expect((await call('POST', '/v1/auth/step-up', {}, token)).status).toBe(202);
    const message = await lastMessage(phone);
    expect(message.template).toBe('step_up_code');
    const code = /(\d{6})/.exec(message.body)![1];
    expect((await call('POST', '/v1/auth/step-up', { code: otherCode(code) }, token)).status).toBe(400);
    const stepped = await call('POST', '/v1/auth/step-up', { code }, token);
    expect(stepped.status).toBe(200);
    const claims = decodeJwt(stepped.body.accessToken as string);
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.exp! - claims.iat!).toBe(600);
  });
});
