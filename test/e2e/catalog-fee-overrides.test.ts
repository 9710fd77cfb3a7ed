/**
 * CAT-2 over HTTP with real tokens from identity, real Postgres and Kafka: "the platform service fee
 * may be overridden per organizer by agreement". A platform_admin sets and removes an organization's
 * agreement per currency; the organization reads the fees that apply to it while GET /v1/fees keeps
 * the published schedule (an agreement is private); catalog's included-fee check uses the agreement;
 * and every snapshot on catalog.event.v1 carries it, so orders prices new orders with it.
 */
import { randomUUID } from 'node:crypto';
import { catalogEvents, fromBinary } from '@ticketry/contracts';
import { EVENT_HEADERS, physicalTopic } from '@ticketry/messaging';
import {
  apiClient,
  eventually,
  newTopicPrefix,
  type RecordedMessage,
  RunningService,
  startService,
  testKafka,
  TopicRecorder,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import { catalogService } from '../../services/catalog/src/service';
import { identityService } from '../../services/identity/src/service';
import { anEvent, aTicketType } from './support/actors';

let identity: RunningService;
let catalog: RunningService;
let recorder: TopicRecorder;
const id = apiClient(() => identity.url);
const cat = apiClient(() => catalog.url);
const PASSWORD = 'a-long-enough-passphrase';
const admin = { email: `admin+${randomUUID().slice(0, 8)}@ticketry.test`, password: 'admin-test-passphrase' };
let adminToken: string;

const UPDATED = 'ticketry.catalog.v1.EventUpdated';
const PUBLISHED = 'ticketry.catalog.v1.EventPublished';

beforeAll(async () => {
  const topicPrefix = newTopicPrefix();
  identity = await startService(identityService, {
    topicPrefix,
    env: { BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password },
  });
  catalog = await startService(catalogService, {
    topicPrefix,
    env: { JWKS_URL: `${identity.url}/.well-known/jwks.json` },
  });
  recorder = new TopicRecorder(testKafka());
  await recorder.start([physicalTopic(topicPrefix, 'catalog.event.v1')]);
  adminToken = await login(admin.email, admin.password);
});

afterAll(async () => {
  await recorder?.stop();
  await catalog?.stop();
  await identity?.stop();
});

async function login(email: string, password = PASSWORD): Promise<string> {
  const answer = await id('POST', '/v1/auth/login', { email, password, market: 'se' });
  expect(answer.status).toBe(200);
  return answer.body.accessToken as string;
}

async function person(tag: string): Promise<{ email: string; token: string }> {
  const email = uniqueEmail(tag);
  const created = await id('POST', '/v1/accounts', {
    email,
    password: PASSWORD,
    market: 'se',
    firstName: 'Per',
    lastName: 'Son',
    phone: uniqueSwedishMobile(),
  });
  expect(created.status).toBe(201);
  return { email, token: await login(email) };
}

/** A person with an organization of their own; the token (after re-login) carries the membership. */
async function organizer(): Promise<{ token: string; organizationId: string }> {
  const { email, token: first } = await person('organizer');
  const org = await id('POST', '/v1/organizations', { name: 'Konsertbolaget', country: 'SE' }, first);
  expect(org.status).toBe(201);
  return { token: await login(email), organizationId: org.body.organizationId as string };
}

/** Someone the owner adds to the organization with a role (ID-16); the token carries it. */
async function member(owner: { token: string; organizationId: string }, role: string): Promise<string> {
  const { email } = await person(role);
  const added = await id(
    'POST',
    `/v1/organizations/${owner.organizationId}/members`,
    { email, role },
    owner.token,
  );
  expect(added.status).toBe(201);
  return login(email);
}

async function draft(
  org: { token: string; organizationId: string },
  eventOverrides: Record<string, unknown> = {},
  ticketOverrides: Record<string, unknown> = {},
): Promise<{ eventId: string; ticketTypeId: string }> {
  const created = await cat('POST', '/v1/events', anEvent(org.organizationId, eventOverrides), org.token);
  expect(created.status).toBe(201);
  const eventId = created.body.eventId as string;
  const type = await cat(
    'POST',
    `/v1/events/${eventId}/ticket-types`,
    aTicketType(ticketOverrides),
    org.token,
  );
  expect(type.status).toBe(201);
  return { eventId, ticketTypeId: type.body.ticketTypeId as string };
}

async function published(
  org: { token: string; organizationId: string },
  eventOverrides: Record<string, unknown> = {},
  ticketOverrides: Record<string, unknown> = {},
): Promise<{ eventId: string; ticketTypeId: string }> {
  const made = await draft(org, eventOverrides, ticketOverrides);
  expect((await cat('POST', `/v1/events/${made.eventId}/publish`, undefined, org.token)).status).toBe(200);
  return made;
}

function setOverride(organizationId: string, currency: string, body: unknown, token = adminToken) {
  return cat('PUT', `/v1/admin/organizations/${organizationId}/fee-overrides/${currency}`, body, token);
}

/** CAT-2: the fees that apply to the organization, as its own members read them. */
function ownFees(org: { token: string; organizationId: string }, country = 'SE', currency = 'SEK') {
  return cat(
    'GET',
    `/v1/organizations/${org.organizationId}/fees?country=${country}&currency=${currency}`,
    undefined,
    org.token,
  );
}

function removeOverride(organizationId: string, currency: string, token = adminToken) {
  return cat(
    'DELETE',
    `/v1/admin/organizations/${organizationId}/fee-overrides/${currency}`,
    undefined,
    token,
  );
}

function messagesFor(eventId: string, eventType?: string): RecordedMessage[] {
  return recorder.messages.filter(
    (m) => m.key === eventId && (eventType === undefined || m.headers[EVENT_HEADERS.eventType] === eventType),
  );
}

function snapshotOf(message: RecordedMessage) {
  const type = message.headers[EVENT_HEADERS.eventType];
  const schema =
    type === PUBLISHED
      ? catalogEvents.EventPublishedSchema
      : type === UPDATED
        ? catalogEvents.EventUpdatedSchema
        : catalogEvents.EventCancelledSchema;
  return fromBinary(schema, message.value!).event!;
}

/** Waits until more than `seen` messages of the type exist for the event, and returns the newest. */
async function nextMessage(eventId: string, eventType: string, seen: number): Promise<RecordedMessage> {
  return eventually(() => {
    const found = messagesFor(eventId, eventType);
    expect(found.length).toBeGreaterThan(seen);
    return found.at(-1)!;
  });
}

const agreement = {
  percentBp: 250,
  fixedMinor: 300,
  reason: 'Framework agreement 2025-14, signed 2025-03-01.',
};

describe('organizer fee overrides (CAT-2)', () => {
  it('CAT-2: a platform_admin sets an agreement; the organization reads it as its fees, GET /v1/fees stays published; removing it restores the schedule', async () => {
    const org = await organizer();
    const publicBefore = await cat('GET', '/v1/fees?country=SE&currency=SEK');
    expect(publicBefore.status).toBe(200);

    const set = await setOverride(org.organizationId, 'sek', agreement);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      organizationId: org.organizationId,
      currency: 'SEK',
      percentBp: 250,
      fixedMinor: 300,
      reason: agreement.reason,
      setAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    // Who set it is kept with the agreement, for audit.
    const [row] = await catalog.dataSource.query(
      'SELECT set_by, reason FROM catalog.fee_overrides WHERE organization_id = $1 AND currency = $2',
      [org.organizationId, 'SEK'],
    );
    const me = await id('GET', '/v1/me', undefined, adminToken);
    expect(row).toEqual({ set_by: me.body.identityId, reason: agreement.reason });

    // Only percentBp and fixedMinor change; VAT (PAY-10) and the ORD-4/ORD-5 fees stay published.
    const own = await ownFees(org, 'SE', 'SEK');
    expect(own).toMatchObject({ status: 200 });
    expect(own.body).toEqual({
      percentBp: 250,
      fixedMinor: 300,
      vatBp: publicBefore.body.vatBp,
      altPaymentFeeBp: publicBefore.body.altPaymentFeeBp,
      advertisingFeeBp: publicBefore.body.advertisingFeeBp,
      overridden: true,
    });
    // The agreement is per currency: the organization's EUR fees are the published ones.
    const euro = await ownFees(org, 'FI', 'EUR');
    expect(euro.body).toEqual({
      ...(await cat('GET', '/v1/fees?country=FI&currency=EUR')).body,
      overridden: false,
    });
    // An agreement is private to the organization: the public schedule does not move.
    expect(await cat('GET', '/v1/fees?country=SE&currency=SEK')).toMatchObject({
      status: 200,
      body: publicBefore.body,
    });

    // A changed agreement replaces the earlier one (one per organization and currency).
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 100 })).body,
    ).toMatchObject({
      percentBp: 100,
    });
    expect((await ownFees(org)).body).toMatchObject({ percentBp: 100, fixedMinor: 300, overridden: true });

    expect((await removeOverride(org.organizationId, 'SEK')).status).toBe(204);
    expect((await ownFees(org)).body).toEqual({ ...publicBefore.body, overridden: false });
    // Removing what is not there is done already.
    expect((await removeOverride(org.organizationId, 'SEK')).status).toBe(204);
  });

  it('CAT-2: only a platform_admin sets or removes an agreement; the organizer cannot (403), nor can anyone without a token (401)', async () => {
    const org = await organizer();
    const byOwner = await setOverride(org.organizationId, 'SEK', agreement, org.token);
    expect(byOwner).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(byOwner.headers.get('content-type')).toContain('application/problem+json');
    expect((await removeOverride(org.organizationId, 'SEK', org.token)).status).toBe(403);
    expect((await setOverride(org.organizationId, 'SEK', agreement, '')).status).toBe(401);
    expect((await ownFees(org)).body).toMatchObject({ overridden: false });
  });

  it("CAT-2: the organization's owner, finance and manager, support and platform_admin read its fees; a scanner or another organization's owner cannot (403 organization_forbidden)", async () => {
    const org = await organizer();
    expect((await setOverride(org.organizationId, 'SEK', agreement)).status).toBe(200);
    const path = `/v1/organizations/${org.organizationId}/fees?country=SE&currency=SEK`;

    const agent = await person('support');
    await identity.dataSource.query(
      `UPDATE identity.identities SET platform_roles = '{support}' WHERE email = $1`,
      [agent.email],
    );
    const readers = [
      org.token,
      await member(org, 'finance'),
      await member(org, 'manager'),
      await login(agent.email),
      adminToken,
    ];
    for (const token of readers) {
      expect(await cat('GET', path, undefined, token)).toMatchObject({
        status: 200,
        body: { percentBp: 250, fixedMinor: 300, overridden: true },
      });
    }

    const stranger = await organizer();
    for (const token of [stranger.token, await member(org, 'scanner')]) {
      const refused = await cat('GET', path, undefined, token);
      expect(refused).toMatchObject({ status: 403, body: { code: 'organization_forbidden' } });
      expect(refused.body).not.toHaveProperty('percentBp');
    }
    expect((await cat('GET', path)).status).toBe(401);
    // A pair the platform does not sell in is refused as on GET /v1/fees.
    expect(await ownFees(org, 'SE', 'EUR')).toMatchObject({
      status: 422,
      body: { code: 'fees_not_available' },
    });
    expect(
      (await cat('GET', `/v1/organizations/${org.organizationId}/fees?country=SE`, undefined, org.token))
        .status,
    ).toBe(400);
  });

  it('CAT-2: an agreement outside 0..100 % or with a negative fixed part is 422 invalid_fee_override; a malformed request is 400 validation_failed', async () => {
    const org = await organizer();
    for (const body of [
      { ...agreement, percentBp: 10_001 },
      { ...agreement, percentBp: -1 },
      { ...agreement, fixedMinor: -1 },
    ]) {
      expect(await setOverride(org.organizationId, 'SEK', body)).toMatchObject({
        status: 422,
        body: { code: 'invalid_fee_override', status: 422 },
      });
    }
    // The edges are agreements like any other: 0 % and 100 %, no fixed part.
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 10_000, fixedMinor: 0 }))
        .status,
    ).toBe(200);
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 0, fixedMinor: 0 })).status,
    ).toBe(200);

    const malformed: [string, string, unknown][] = [
      [org.organizationId, 'SEK', { ...agreement, percentBp: 2.5 }],
      [org.organizationId, 'SEK', { ...agreement, fixedMinor: '300' }],
      [org.organizationId, 'SEK', { percentBp: 250, fixedMinor: 300 }],
      [org.organizationId, 'SEK', { ...agreement, reason: '   ' }],
      [org.organizationId, 'SEK', { ...agreement, vatBp: 0 }], // unknown fields are rejected
      [org.organizationId, 'USD', agreement], // the platform sells in no country in USD
      [org.organizationId, 'SEKK', agreement],
      ['not-a-uuid', 'SEK', agreement],
    ];
    for (const [organizationId, currency, body] of malformed) {
      const refused = await setOverride(organizationId, currency, body);
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect((refused.body.errors as unknown[]).length).toBeGreaterThan(0);
    }
    // None of them touched the agreement in force.
    expect((await ownFees(org)).body).toMatchObject({ percentBp: 0, fixedMinor: 0, overridden: true });
  });

  it('CAT-2: every snapshot carries the agreement; setting one republishes the organization’s events on sale in that currency (only those), removing it republishes them without it', async () => {
    const org = await organizer();
    const onSale = await published(org);
    const other = await published(org, { country: 'FI', currency: 'EUR', venue: 'Musiikkitalo' });
    const notYetPublished = await draft(org);
    const cancelled = await published(org);
    expect(
      (
        await cat(
          'POST',
          `/v1/events/${cancelled.eventId}/cancel`,
          { reason: 'The choir is ill.' },
          org.token,
        )
      ).status,
    ).toBe(200);
    const started = await published(org, {
      startsAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 3600 * 1000).toISOString(),
    });
    const elsewhere = await published(await organizer()); // another organization in SEK

    const before = await nextMessage(onSale.eventId, PUBLISHED, 0);
    expect(snapshotOf(before).feeOverridePercentBp).toBeUndefined(); // no agreement: absent
    expect(snapshotOf(before).feeOverrideFixedMinor).toBeUndefined();
    // Count only once everything already published has arrived, so a late message is not a republish.
    for (const event of [other, started, elsewhere]) await nextMessage(event.eventId, PUBLISHED, 0);
    await nextMessage(cancelled.eventId, 'ticketry.catalog.v1.EventCancelled', 0);
    const untouched = [other, notYetPublished, cancelled, started, elsewhere].map((e) => ({
      eventId: e.eventId,
      // Only republishes (EventUpdated) count: a late EventPublished of a busy broker is not one.
      count: messagesFor(e.eventId, UPDATED).length,
    }));
    const updatesBefore = messagesFor(onSale.eventId, UPDATED).length;

    expect((await setOverride(org.organizationId, 'SEK', agreement)).status).toBe(200);
    const republished = snapshotOf(await nextMessage(onSale.eventId, UPDATED, updatesBefore));
    expect(republished).toMatchObject({
      eventId: onSale.eventId,
      status: 'published',
      feeOverridePercentBp: 250,
      feeOverrideFixedMinor: 300n,
    });
    // Same transaction, same relay: anything else republished would be here by now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const { eventId, count } of untouched) expect(messagesFor(eventId, UPDATED)).toHaveLength(count);

    // A new reason alone changes no price: nothing is republished.
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, reason: 'Renewed, same terms.' })).status,
    ).toBe(200);

    // Publishing and any later change carry the agreement in force.
    expect(
      (await cat('POST', `/v1/events/${notYetPublished.eventId}/publish`, undefined, org.token)).status,
    ).toBe(200);
    expect(snapshotOf(await nextMessage(notYetPublished.eventId, PUBLISHED, 0))).toMatchObject({
      feeOverridePercentBp: 250,
      feeOverrideFixedMinor: 300n,
    });
    const seen = messagesFor(onSale.eventId, UPDATED).length;
    expect(seen).toBe(updatesBefore + 1); // the reason-only change republished nothing
    expect(
      (
        await cat(
          'PATCH',
          `/v1/events/${onSale.eventId}/ticket-types/${onSale.ticketTypeId}`,
          { capacity: 80 },
          org.token,
        )
      ).status,
    ).toBe(200);
    expect(snapshotOf(await nextMessage(onSale.eventId, UPDATED, seen))).toMatchObject({
      feeOverridePercentBp: 250,
      feeOverrideFixedMinor: 300n,
      ticketTypes: [expect.objectContaining({ capacity: 80 })],
    });

    // Removed: both events on sale go out again without it, and orders falls back to the schedule.
    const counts = [onSale, notYetPublished].map((e) => messagesFor(e.eventId, UPDATED).length);
    expect((await removeOverride(org.organizationId, 'SEK')).status).toBe(204);
    for (const [index, event] of [onSale, notYetPublished].entries()) {
      const snapshot = snapshotOf(await nextMessage(event.eventId, UPDATED, counts[index]!));
      expect(snapshot.feeOverridePercentBp).toBeUndefined();
      expect(snapshot.feeOverrideFixedMinor).toBeUndefined();
    }
  });

  it('CAT-2: the agreement endpoints are described in the OpenAPI document', async () => {
    const document = (await (await fetch(`${catalog.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const admin = document.paths['/v1/admin/organizations/{organizationId}/fee-overrides/{currency}'];
    expect(Object.keys(admin ?? {}).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(document.paths['/v1/organizations/{organizationId}/fees'] ?? {})).toEqual(['get']);
  });

  it('CAT-2: the included-fee check uses the agreement: a 0 % / 0 agreement lets a cheap included price pass that the published schedule refuses (fee_exceeds_price)', async () => {
    const org = await organizer();
    const created = await cat(
      'POST',
      '/v1/events',
      anEvent(org.organizationId, { feeMode: 'included' }),
      org.token,
    );
    const eventId = created.body.eventId as string;
    // Published SEK schedule: 4 % of 5.00 + 5.00 fixed = 5.20, plus 25 % VAT = 6.50 > 5.00.
    const cheap = aTicketType({ priceMinor: 500 });
    expect(await cat('POST', `/v1/events/${eventId}/ticket-types`, cheap, org.token)).toMatchObject({
      status: 422,
      body: { code: 'fee_exceeds_price' },
    });

    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 0, fixedMinor: 0 })).status,
    ).toBe(200);
    const added = await cat('POST', `/v1/events/${eventId}/ticket-types`, cheap, org.token);
    expect(added.status).toBe(201);
    expect(await cat('POST', `/v1/events/${eventId}/publish`, undefined, org.token)).toMatchObject({
      status: 200,
      body: { status: 'published' },
    });
    // Repricing is checked against the agreement too.
    expect(
      (
        await cat(
          'PATCH',
          `/v1/events/${eventId}/ticket-types/${added.body.ticketTypeId as string}`,
          { priceMinor: 100 },
          org.token,
        )
      ).status,
    ).toBe(200);

    // An agreement cannot be ended, or raised, while a ticket on sale needs it: checkout would refuse
    // every sale of it. The admin hears which ticket types must be repriced first.
    const refused = await removeOverride(org.organizationId, 'SEK');
    expect(refused).toMatchObject({
      status: 422,
      body: {
        code: 'fee_exceeds_price',
        ticketTypes: [{ eventId, ticketTypeId: added.body.ticketTypeId, priceMinor: 100 }],
      },
    });
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 0, fixedMinor: 200 })).status,
    ).toBe(422);
    expect((await ownFees(org)).body).toMatchObject({ percentBp: 0, fixedMinor: 0, overridden: true });
  });

  it('CAT-2: a higher agreement refuses an included price the published schedule accepts, at pricing and at publish', async () => {
    const org = await organizer();
    // 10.00 SEK: published fee 0.40 + 5.00 + 25 % VAT = 6.75 fits; at 50 % it is 5.00 + 5.00 + 2.50 = 12.50.
    const { eventId } = await draft(org, { feeMode: 'included' }, { priceMinor: 1000 });
    expect(
      (await setOverride(org.organizationId, 'SEK', { ...agreement, percentBp: 5000, fixedMinor: 500 }))
        .status,
    ).toBe(200);
    // A draft is not on sale, so the agreement could be set; publishing checks against it.
    expect(await cat('POST', `/v1/events/${eventId}/publish`, undefined, org.token)).toMatchObject({
      status: 422,
      body: { code: 'fee_exceeds_price', faceValueMinor: 1000, totalFeeMinor: 1250 },
    });
    expect(
      await cat(
        'POST',
        `/v1/events/${eventId}/ticket-types`,
        aTicketType({ priceMinor: 1000, name: 'Balkong' }),
        org.token,
      ),
    ).toMatchObject({ status: 422, body: { code: 'fee_exceeds_price' } });
    // Passed on, the same agreement refuses nothing: the consumer pays the fee on top.
    const passedOn = await draft(org, { feeMode: 'passed_on' }, { priceMinor: 1000 });
    expect((await cat('POST', `/v1/events/${passedOn.eventId}/publish`, undefined, org.token)).status).toBe(
      200,
    );
  });
});
