/**
 * The people and things end-to-end tests need, against any running identity: consumers and
 * organizers with real tokens, and a compliant event with a ticket type to sell.
 */
import { apiClient, uniqueEmail, uniqueSwedishMobile } from '@ticketry/testing';

export const PASSWORD = 'a-long-enough-passphrase';

export async function login(identityUrl: string, email: string, password: string): Promise<string> {
  const call = apiClient(() => identityUrl);
  const answer = await call('POST', '/v1/auth/login', { email, password, market: 'se' });
  if (answer.status !== 200)
    throw new Error(`login ${email}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.accessToken as string;
}

/** A registered consumer with a token: `{ token, email, identityId }`. */
export async function consumer(identityUrl: string, email = uniqueEmail('buyer')) {
  const call = apiClient(() => identityUrl);
  const created = await call('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Bea',
    lastName: 'Köpare',
    phone: uniqueSwedishMobile(),
  });
  if (created.status !== 201) throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  const token = await login(identityUrl, email, PASSWORD);
  const me = await call('GET', '/v1/me', undefined, token);
  return { token, email, identityId: (me.body.identityId ?? me.body.id) as string };
}

/** A person owning an organization; the token (after re-login) carries the membership. */
export async function organizer(identityUrl: string) {
  const call = apiClient(() => identityUrl);
  const { token: first, email } = await consumer(identityUrl, uniqueEmail('organizer'));
  const org = await call('POST', '/v1/organizations', { name: 'Konsertbolaget', country: 'SE' }, first);
  if (org.status !== 201) throw new Error(`organization: ${org.status} ${JSON.stringify(org.body)}`);
  return {
    token: await login(identityUrl, email, PASSWORD),
    organizationId: org.body.organizationId as string,
    email,
  };
}

export const compliantPolicy = {
  kind: 'until_days_before',
  daysBefore: 7,
  text:
    'Refunds of the ticket price until 7 days before the event. If the event is cancelled or does not take place as ' +
    'advertised, you always get your money back. Ask by e-mail to the organizer; we answer within 5 business days.',
  responseBusinessDays: 5,
  contact: 'tickets@konsertbolaget.se',
};

export function anEvent(organizationId: string, overrides: Record<string, unknown> = {}) {
  const start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  return {
    organizationId,
    title: `Vårkonsert ${Math.random().toString(36).slice(2, 8)}`,
    description: 'En kväll med körmusik.',
    category: 'concert',
    country: 'SE',
    currency: 'SEK',
    venue: 'Konserthuset, Stockholm',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3600 * 1000).toISOString(),
    feeMode: 'passed_on',
    refundPolicy: compliantPolicy,
    transfersAllowed: true,
    advertisingEnabled: false,
    eInvoiceEnabled: false,
    ...overrides,
  };
}

export function aTicketType(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Ståplats',
    kind: 'single',
    priceMinor: 35000,
    capacity: 100,
    salesStartAt: new Date(Date.now() - 3600 * 1000).toISOString(),
    salesEndAt: new Date(Date.now() + 29 * 24 * 3600 * 1000).toISOString(),
    ...overrides,
  };
}
