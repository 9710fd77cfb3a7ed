/**
 * Catalog over HTTP with real tokens from identity, real Postgres and Kafka: organizations create
 * and publish events under CAT-1..CAT-8, and every public change is published on catalog.event.v1.
 */
import { catalogEvents, fromBinary } from '@ticketry/contracts';
import { EVENT_HEADERS, physicalTopic } from '@ticketry/messaging';
import {
  apiClient,
  eventually,
  newTopicPrefix,
  RunningService,
  startService,
  testKafka,
  TopicRecorder,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import { catalogService } from '../../services/catalog/src/service';
import { identityService } from '../../services/identity/src/service';
import { anEvent, aTicketType, compliantPolicy } from './support/actors';

let identity: RunningService;
let catalog: RunningService;
let recorder: TopicRecorder;
const id = apiClient(() => identity.url);
const cat = apiClient(() => catalog.url);
const PASSWORD = 'a-long-enough-passphrase';

beforeAll(async () => {
  const topicPrefix = newTopicPrefix();
  identity = await startService(identityService, { topicPrefix });
  catalog = await startService(catalogService, {
    topicPrefix,
    env: { JWKS_URL: `${identity.url}/.well-known/jwks.json` },
  });
  recorder = new TopicRecorder(testKafka());
  await recorder.start([physicalTopic(topicPrefix, 'catalog.event.v1')]);
});

afterAll(async () => {
  await recorder?.stop();
  await catalog?.stop();
  await identity?.stop();
});

/** A person with an organization of their own; the token (after re-login) carries the membership. */
async function organizer(): Promise<{ token: string; organizationId: string }> {
  const email = uniqueEmail('organizer');
  await id('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Org',
    lastName: 'Anizer',
    phone: uniqueSwedishMobile(),
  });
  const first = (await id('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' })).body
    .accessToken as string;
  const org = await id('POST', '/v1/organizations', { name: 'Konsertbolaget', country: 'SE' }, first);
  expect(org.status).toBe(201);
  const token = (await id('POST', '/v1/auth/login', { email, password: PASSWORD, market: 'se' })).body
    .accessToken as string;
  return { token, organizationId: org.body.organizationId as string };
}

async function draftWithTickets(
  token: string,
  organizationId: string,
  overrides: Record<string, unknown> = {},
) {
  const created = await cat('POST', '/v1/events', anEvent(organizationId, overrides), token);
  expect(created.status).toBe(201);
  const eventId = created.body.eventId as string;
  expect((await cat('POST', `/v1/events/${eventId}/ticket-types`, aTicketType(), token)).status).toBe(201);
  return eventId;
}

describe('fees (CAT-2, PAY-10)', () => {
  it('answers the schedule for a country and currency, and 422 where none exists', async () => {
    const fees = await cat('GET', '/v1/fees?country=SE&currency=SEK');
    expect(fees.status).toBe(200);
    expect(fees.body).toEqual({
      percentBp: expect.any(Number),
      fixedMinor: expect.any(Number),
      vatBp: 2500,
      altPaymentFeeBp: expect.any(Number),
      advertisingFeeBp: expect.any(Number),
    });
    expect((await cat('GET', '/v1/fees?country=SE&currency=USD')).body).toMatchObject({
      code: 'fees_not_available',
    });
    expect((await cat('GET', '/v1/fees?country=SE')).status).toBe(400);
  });
});

describe('events (CAT-1..CAT-8)', () => {
  it('creates a draft, publishes it, shows it publicly and publishes EventPublished with the read model orders needs', async () => {
    const { token, organizationId } = await organizer();
    const created = await cat('POST', '/v1/events', anEvent(organizationId), token);
    expect(created).toMatchObject({ status: 201, body: { status: 'draft' } });
    const eventId = created.body.eventId as string;
    expect((await cat('GET', `/v1/events/${eventId}`)).status).toBe(404); // drafts are not public
    const ticketType = await cat('POST', `/v1/events/${eventId}/ticket-types`, aTicketType(), token);
    expect(ticketType.status).toBe(201);

    expect(await cat('POST', `/v1/events/${eventId}/publish`, undefined, token)).toMatchObject({
      status: 200,
      body: { status: 'published' },
    });
    const view = await cat('GET', `/v1/events/${eventId}`);
    expect(view.body).toMatchObject({
      status: 'published',
      legalEntity: 'ticketry_se', // ENT-1
      refundPolicy: { kind: 'until_days_before', version: 1 },
      ticketTypes: [
        {
          ticketTypeId: ticketType.body.ticketTypeId,
          name: 'Ståplats',
          kind: 'single',
          priceMinor: 35000,
          currency: 'SEK',
          available: 100,
        },
      ],
    });

    const published = await eventually(() => {
      const found = recorder.messages.find((m) => m.key === eventId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(published.headers[EVENT_HEADERS.eventType]).toBe('ticketry.catalog.v1.EventPublished');
    const message = fromBinary(catalogEvents.EventPublishedSchema, published.value!);
    expect(message.event).toMatchObject({
      eventId,
      organizationId,
      feeMode: 'passed_on',
      refundPolicyVersion: 1,
      status: 'published',
    });
    expect(message.event!.ticketTypes[0]).toMatchObject({ priceMinor: 35000n, capacity: 100 });
  });

  it('refuses to publish a paid event whose refund policy misses the minimum requirements (CAT-3)', async () => {
    const { token, organizationId } = await organizer();
    const eventId = await draftWithTickets(token, organizationId, {
      refundPolicy: { kind: 'custom', text: 'Ask us.', responseBusinessDays: 14, contact: '' },
    });
    const refused = await cat('POST', `/v1/events/${eventId}/publish`, undefined, token);
    expect(refused).toMatchObject({ status: 422, body: { code: 'refund_policy_noncompliant' } });
    expect((refused.body.problems as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses to publish an event in a prohibited category (CAT-4)', async () => {
    const { token, organizationId } = await organizer();
    const created = await cat('POST', '/v1/events', anEvent(organizationId, { category: 'gambling' }), token);
    expect(created).toMatchObject({ status: 422, body: { code: 'prohibited_category' } });
    // A permitted category with a ticket that is really a gift card (CAT-5) is stopped at publish.
    const eventId = await draftWithTickets(token, organizationId);
    await cat(
      'POST',
      `/v1/events/${eventId}/ticket-types`,
      aTicketType({ name: 'Presentkort 500 kr' }),
      token,
    );
    expect(await cat('POST', `/v1/events/${eventId}/publish`, undefined, token)).toMatchObject({
      status: 422,
      body: { code: 'prohibited_category' },
    });
  });

  it('keeps each refund policy version: a change is a new version (CAT-3)', async () => {
    const { token, organizationId } = await organizer();
    const eventId = await draftWithTickets(token, organizationId);
    await cat('POST', `/v1/events/${eventId}/publish`, undefined, token);
    const changed = await cat(
      'PATCH',
      `/v1/events/${eventId}`,
      { refundPolicy: { ...compliantPolicy, daysBefore: 14 } },
      token,
    );
    expect(changed).toMatchObject({ status: 200, body: { refundPolicy: { version: 2, daysBefore: 14 } } });
    const versions = await catalog.dataSource.query(
      "SELECT version, policy->>'daysBefore' AS days FROM catalog.refund_policies WHERE event_id = $1 ORDER BY version",
      [eventId],
    );
    expect(versions).toEqual([
      { version: 1, days: '7' },
      { version: 2, days: '14' },
    ]);
  });

  it('lets only the organization change its events; others see a missing event', async () => {
    const owner = await organizer();
    const stranger = await organizer();
    const eventId = await draftWithTickets(owner.token, owner.organizationId);
    expect((await cat('POST', '/v1/events', anEvent(owner.organizationId), stranger.token)).status).toBe(403);
    expect((await cat('POST', `/v1/events/${eventId}/publish`, undefined, stranger.token)).status).toBe(404);
    expect(
      (await cat('POST', `/v1/events/${eventId}/ticket-types`, aTicketType(), stranger.token)).status,
    ).toBe(404);
    expect((await cat('POST', '/v1/events', anEvent(owner.organizationId))).status).toBe(401);
  });

  it('cancels before the start and announces it (CAT-8)', async () => {
    const { token, organizationId } = await organizer();
    const eventId = await draftWithTickets(token, organizationId);
    await cat('POST', `/v1/events/${eventId}/publish`, undefined, token);
    expect(
      await cat('POST', `/v1/events/${eventId}/cancel`, { reason: 'The artist is ill.' }, token),
    ).toMatchObject({
      status: 200,
      body: { status: 'cancelled' },
    });
    await eventually(() =>
      expect(
        recorder.messages.some(
          (m) =>
            m.key === eventId && m.headers[EVENT_HEADERS.eventType] === 'ticketry.catalog.v1.EventCancelled',
        ),
      ).toBe(true),
    );
    expect((await cat('POST', `/v1/events/${eventId}/ticket-types`, aTicketType(), token)).status).toBe(409);
  });

  it('finds published events by country and text, page by page', async () => {
    const { token, organizationId } = await organizer();
    const word = `Unik${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 3; i += 1) {
      const eventId = await draftWithTickets(token, organizationId, { title: `${word} konsert ${i}` });
      await cat('POST', `/v1/events/${eventId}/publish`, undefined, token);
    }
    await draftWithTickets(token, organizationId, { title: `${word} utkast` }); // a draft: never listed
    const first = await cat('GET', `/v1/events?country=SE&q=${word}&limit=2`);
    expect((first.body.items as unknown[]).length).toBe(2);
    const second = await cat(
      'GET',
      `/v1/events?country=SE&q=${word}&limit=2&cursor=${first.body.nextCursor as string}`,
    );
    expect((second.body.items as unknown[]).length).toBe(1);
    expect(second.body.nextCursor).toBeNull();
    expect((await cat('GET', `/v1/events?country=NO&q=${word}`)).body.items).toEqual([]);
  });
});
