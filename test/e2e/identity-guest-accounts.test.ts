/**
 * Guest accounts (ID-13, ID-14) over the real broker and Postgres: an OrderConfirmed for a guest
 * buyer creates a password-less identity and sends the claim e-mail through the consent hub;
 * claiming sets the password and announces GuestAccountClaimed.
 */
import { randomUUID } from 'node:crypto';
import { create, fromBinary, identityEvents, orderEvents, toBinary } from '@ticketry/contracts';
import { EVENT_HEADERS, physicalTopic } from '@ticketry/messaging';
import {
  eventually,
  newTopicPrefix,
  RunningService,
  startService,
  testKafka,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import type { Producer } from 'kafkajs';
import { consentService } from '../../services/consent/src/service';
import { identityService } from '../../services/identity/src/service';

interface DevMessage {
  to: string;
  subject: string;
  body: string;
  template: string;
}

let prefix: string;
let identity: RunningService;
let consent: RunningService;
let producer: Producer;
const PASSWORD = 'a-long-enough-passphrase';
// Per-IP login limits live in the shared test database: this file's failed logins count for a
// client address of its own (the app trusts X-Forwarded-For from loopback).
const CLIENT_IP = `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;

beforeAll(async () => {
  prefix = newTopicPrefix();
  consent = await startService(consentService, { topicPrefix: prefix });
  identity = await startService(identityService, { topicPrefix: prefix });
  producer = testKafka().producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await identity?.stop();
  await consent?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${identity.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': CLIENT_IP },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

interface OrderFields {
  email: string;
  identityId?: string;
  eventId?: string;
  orderId?: string;
  language?: string;
}

function orderRecord(fields: OrderFields) {
  const orderId = fields.orderId ?? randomUUID();
  const message = create(orderEvents.OrderConfirmedSchema, {
    orderId,
    confirmationNumber: `T-${orderId.slice(0, 8)}`,
    eventId: randomUUID(),
    organizationId: randomUUID(),
    market: 'se',
    buyer: { email: fields.email, firstName: 'Greta', lastName: 'Gäst', identityId: fields.identityId },
    totalMinor: 49_900n,
    currency: 'SEK',
    language: fields.language ?? 'en',
  });
  return {
    key: orderId,
    value: Buffer.from(toBinary(orderEvents.OrderConfirmedSchema, message)),
    headers: {
      [EVENT_HEADERS.eventId]: fields.eventId ?? randomUUID(),
      [EVENT_HEADERS.eventType]: orderEvents.OrderConfirmedSchema.typeName,
      [EVENT_HEADERS.occurredAt]: new Date().toISOString(),
    },
  };
}

/** Produces OrderConfirmed records (raw, as the orders service's relay would) and returns their event ids. */
async function confirmOrders(...orders: OrderFields[]): Promise<string[]> {
  const records = orders.map(orderRecord);
  await producer.send({ topic: physicalTopic(prefix, 'orders.order.v1'), messages: records });
  return records.map((r) => r.headers[EVENT_HEADERS.eventId]);
}

/** Identity handled (or ignored) these events: their ids are in its inbox. */
async function handled(...eventIds: string[]): Promise<void> {
  await eventually(async () => {
    const rows = (await identity.dataSource.query(
      'SELECT event_id FROM identity.inbox WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    )) as unknown[];
    expect(rows).toHaveLength(eventIds.length);
  });
}

interface IdentityRow {
  id: string;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  language: string;
}

async function identitiesWith(email: string): Promise<IdentityRow[]> {
  return (await identity.dataSource.query('SELECT * FROM identity.identities WHERE email = $1', [
    email,
  ])) as IdentityRow[];
}

async function outboxEvents(key: string, eventType: string): Promise<Buffer[]> {
  const rows = (await identity.dataSource.query(
    'SELECT payload FROM identity.outbox WHERE key = $1 AND event_type = $2 ORDER BY seq',
    [key, eventType],
  )) as { payload: Buffer }[];
  return rows.map((r) => r.payload);
}

async function claimMailRequests(email: string): Promise<number> {
  const requests = await outboxEvents(email, 'ticketry.consent.v1.NotificationRequested');
  return requests.filter((payload) => payload.toString('latin1').includes('guest_account_claim')).length;
}

async function messagesTo(to: string, template: string): Promise<DevMessage[]> {
  const response = await fetch(`${consent.url}/v1/dev/messages?to=${encodeURIComponent(to)}`);
  expect(response.status).toBe(200);
  const { items } = (await response.json()) as { items: DevMessage[] };
  return items.filter((m) => m.template === template);
}

async function tokenFromMail(email: string, template: string, count = 1): Promise<string> {
  return eventually(async () => {
    const mails = await messagesTo(email, template);
    expect(mails).toHaveLength(count);
    return /token=([A-Za-z0-9_-]+)/.exec(mails[0].body)![1];
  });
}

async function guestFor(email: string): Promise<IdentityRow> {
  const [eventId] = await confirmOrders({ email });
  await handled(eventId);
  const rows = await identitiesWith(email);
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe('guest purchases (ID-13)', () => {
  it('creates a guest account for an unknown buyer e-mail and sends the claim e-mail once', async () => {
    const email = uniqueEmail('guest');
    const [first] = await confirmOrders({ email: `  ${email.toUpperCase()} ` });
    const guest = await eventually(async () => {
      const rows = await identitiesWith(email);
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    expect(guest).toMatchObject({
      password_hash: null,
      first_name: 'Greta',
      last_name: 'Gäst',
      language: 'en',
    });
    const [account] = (await identity.dataSource.query(
      'SELECT market, link_status FROM identity.market_accounts WHERE identity_id = $1',
      [guest.id],
    )) as { market: string; link_status: string }[];
    expect(account).toEqual({ market: 'se', link_status: 'linked' });

    const created = await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountCreated');
    expect(created).toHaveLength(1);
    expect(fromBinary(identityEvents.GuestAccountCreatedSchema, created[0])).toMatchObject({
      identityId: guest.id,
      email,
      market: 'se',
    });

    const token = await tokenFromMail(email, 'guest_account_claim');
    const [mail] = await messagesTo(email, 'guest_account_claim');
    expect(mail.body).toContain(`/claim-account?token=${token}`);
    expect(mail.body).toContain('Greta');

    // A second order with the same e-mail: no second identity, no second welcome.
    const [second] = await confirmOrders({ email });
    await handled(first, second);
    expect(await identitiesWith(email)).toHaveLength(1);
    expect(await claimMailRequests(email)).toBe(1);
    expect(await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountCreated')).toHaveLength(1);
  });

  it('creates one identity when the same event arrives twice', async () => {
    const email = uniqueEmail('twice');
    const eventId = randomUUID();
    const orderId = randomUUID();
    await confirmOrders({ email, eventId, orderId }, { email, eventId, orderId });
    // A later event on the same partition (same key): once it is handled, both copies were seen.
    const [marker] = await confirmOrders({ email: uniqueEmail('marker'), orderId, identityId: randomUUID() });
    await handled(eventId, marker);
    expect(await identitiesWith(email)).toHaveLength(1);
    expect(await claimMailRequests(email)).toBe(1);
  });

  it('creates one identity when two orders of a new e-mail are handled at once', async () => {
    const email = uniqueEmail('race');
    const ids = await confirmOrders({ email }, { email }, { email });
    await handled(...ids);
    expect(await identitiesWith(email)).toHaveLength(1);
    expect(await claimMailRequests(email)).toBe(1);
  });

  it('creates nothing for a buyer e-mail that belongs to a registered identity', async () => {
    const email = uniqueEmail('member');
    const registered = await call('POST', '/v1/accounts', {
      email,
      password: PASSWORD,
      market: 'se',
      firstName: 'Rut',
      lastName: 'Registrerad',
      phone: uniqueSwedishMobile(),
    });
    expect(registered.status).toBe(201);
    const [eventId] = await confirmOrders({ email: email.toUpperCase() });
    await handled(eventId);
    const rows = await identitiesWith(email);
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(registered.body.identityId);
    expect(rows[0].password_hash).not.toBeNull();
    expect(await outboxEvents(rows[0].id, 'ticketry.identity.v1.GuestAccountCreated')).toHaveLength(0);
    expect(await claimMailRequests(email)).toBe(0);
  });

  it('creates nothing for a purchase by a logged-in buyer', async () => {
    const email = uniqueEmail('loggedin');
    const [eventId] = await confirmOrders({ email, identityId: randomUUID() });
    await handled(eventId);
    expect(await identitiesWith(email)).toHaveLength(0);
  });
});

describe('claiming a guest account (ID-14)', () => {
  it('claims through the welcome link: the password is set, GuestAccountClaimed is published, login works', async () => {
    const email = uniqueEmail('claim');
    const guest = await guestFor(email);
    const refused = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' });
    expect(refused.status).toBe(401);

    const token = await tokenFromMail(email, 'guest_account_claim');
    const reset = await call('POST', '/v1/password/reset', { token, newPassword: PASSWORD });
    expect(reset.status).toBe(204);

    const claimed = await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountClaimed');
    expect(claimed).toHaveLength(1);
    expect(fromBinary(identityEvents.GuestAccountClaimedSchema, claimed[0])).toMatchObject({
      identityId: guest.id,
      email,
    });
    const login = await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' });
    expect(login.status).toBe(200);
    expect(login.body.accessToken).toEqual(expect.any(String));

    // A later purchase does not make it a guest again; a later reset is not a second claim.
    await call('POST', '/v1/password/forgot', { email, market: 'se' });
    const again = await tokenFromMail(email, 'password_reset');
    expect(
      (await call('POST', '/v1/password/reset', { token: again, newPassword: `${PASSWORD}-2` })).status,
    ).toBe(204);
    expect(await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountClaimed')).toHaveLength(1);
  });

  it('claims through forgot-password with the same e-mail', async () => {
    const email = uniqueEmail('forgot');
    const guest = await guestFor(email);
    expect((await call('POST', '/v1/password/forgot', { email, market: 'se' })).status).toBe(202);
    const token = await tokenFromMail(email, 'password_reset');
    expect((await call('POST', '/v1/password/reset', { token, newPassword: PASSWORD })).status).toBe(204);
    expect(await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountClaimed')).toHaveLength(1);
    expect((await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' })).status).toBe(
      200,
    );
  });

  it('answers a registration with a guest e-mail like a new one, creates nothing and mails a claim link', async () => {
    const email = uniqueEmail('reg-guest');
    const guest = await guestFor(email);
    await tokenFromMail(email, 'guest_account_claim');
    const fresh = uniqueEmail('reg-new');
    const body = (address: string) => ({
      email: address,
      password: PASSWORD,
      market: 'se',
      firstName: 'Ingen',
      lastName: 'Aning',
      phone: uniqueSwedishMobile(),
    });
    const forGuest = await call('POST', '/v1/accounts', body(email));
    const forNew = await call('POST', '/v1/accounts', body(fresh));
    expect(forGuest.status).toBe(forNew.status);
    expect(Object.keys(forGuest.body).sort()).toEqual(Object.keys(forNew.body).sort());
    expect(forGuest.body.requiredActions).toEqual(forNew.body.requiredActions);
    expect(forGuest.body.identityId).not.toBe(guest.id);

    // No second identity, no password set by someone who has not shown the e-mail is theirs.
    const rows = await identitiesWith(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: guest.id, password_hash: null, first_name: 'Greta' });
    expect((await call('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' })).status).toBe(
      401,
    );

    // The e-mail's owner gets a fresh claim link, which claims the account.
    const token = await tokenFromMail(email, 'guest_account_claim', 2);
    const mails = await messagesTo(email, 'guest_account_claim');
    const latest =
      mails.map((m) => /token=([A-Za-z0-9_-]+)/.exec(m.body)![1]).find((t) => t !== token) ?? token;
    expect((await call('POST', '/v1/password/reset', { token: latest, newPassword: PASSWORD })).status).toBe(
      204,
    );
    expect(await outboxEvents(guest.id, 'ticketry.identity.v1.GuestAccountClaimed')).toHaveLength(1);
  });
});
