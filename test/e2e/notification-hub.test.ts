/**
 * Walking skeleton, end to end over the real broker and Postgres: a state change in identity
 * writes an event to its outbox; the relay moves it to Kafka; consent consumes it through its
 * inbox and delivers the message, visible at GET /v1/dev/messages. Exactly once, also when the
 * same event arrives twice and when the broker restarts in the middle.
 */
import { randomUUID } from 'node:crypto';
import { consentEvents, create, toBinary } from '@ticketry/contracts';
import { EVENT_HEADERS, physicalTopic } from '@ticketry/messaging';
import {
  canRestartKafka,
  eventually,
  newTopicPrefix,
  startKafka,
  stopKafka,
  RunningService,
  startService,
  testKafka,
  TopicRecorder,
  uniqueEmail,
  uniqueSwedishMobile,
} from '@ticketry/testing';
import type { Kafka, Producer } from 'kafkajs';
import { consentService } from '../../services/consent/src/service';
import { identityService } from '../../services/identity/src/service';

interface DevMessage {
  id: string;
  channel: string;
  to: string;
  subject: string;
  body: string;
  template: string;
  data: Record<string, string>;
  createdAt: string;
}

let prefix: string;
let identity: RunningService;
let consent: RunningService;
let kafka: Kafka;
let producer: Producer;
let recorder: TopicRecorder;

beforeAll(async () => {
  prefix = newTopicPrefix();
  // Consent first: its consumer must have joined before identity publishes anything.
  consent = await startService(consentService, { topicPrefix: prefix });
  identity = await startService(identityService, { topicPrefix: prefix });
  kafka = testKafka();
  producer = kafka.producer();
  await producer.connect();
  recorder = new TopicRecorder(kafka);
  await recorder.start([
    physicalTopic(prefix, 'consent.notification.v1'),
    physicalTopic(prefix, 'identity.identity.v1'),
  ]);
});

afterAll(async () => {
  await recorder?.stop();
  await producer?.disconnect();
  await identity?.stop();
  await consent?.stop();
});

async function register(
  email: string,
  correlationId?: string,
): Promise<{ identityId: string; status: number }> {
  const response = await fetch(`${identity.url}/v1/accounts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
    },
    body: JSON.stringify({
      email,
      password: 'a-long-enough-passphrase',
      market: 'se',
      firstName: 'Anna',
      lastName: 'Svensson',
      phone: uniqueSwedishMobile(),
    }),
  });
  const body = (await response.json()) as { identityId: string };
  return { identityId: body.identityId, status: response.status };
}

async function messagesTo(to: string): Promise<DevMessage[]> {
  const response = await fetch(`${consent.url}/v1/dev/messages?to=${encodeURIComponent(to)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: DevMessage[] }).items;
}

async function exactlyOneWelcome(email: string): Promise<DevMessage> {
  const messages = await eventually(async () => {
    const found = await messagesTo(email);
    expect(found).toHaveLength(1);
    return found;
  });
  return messages[0];
}

/** Waits for a marker sent after `email`'s events on the same key, so everything before it was handled. */
async function drainKey(email: string): Promise<void> {
  const marker = await sendRequest({
    recipient: email,
    template: 'generic',
    data: { subject: 'marker', body: randomUUID() },
  });
  await eventually(async () => {
    const found = await messagesTo(email);
    expect(found.some((m) => m.body === marker.data.body)).toBe(true);
  });
}

async function sendRequest(fields: {
  recipient: string;
  template: string;
  data: Record<string, string>;
  eventId?: string;
}) {
  const message = create(consentEvents.NotificationRequestedSchema, {
    notificationId: randomUUID(),
    channel: consentEvents.Channel.EMAIL,
    kind: consentEvents.NotificationKind.TRANSACTIONAL,
    market: 'se',
    language: 'en',
    requestedBy: 'e2e-test',
    ...fields,
  });
  await producer.send({
    topic: physicalTopic(prefix, 'consent.notification.v1'),
    messages: [
      {
        key: fields.recipient,
        value: Buffer.from(toBinary(consentEvents.NotificationRequestedSchema, message)),
        headers: {
          [EVENT_HEADERS.eventId]: fields.eventId ?? randomUUID(),
          [EVENT_HEADERS.eventType]: consentEvents.NotificationRequestedSchema.typeName,
          [EVENT_HEADERS.occurredAt]: new Date().toISOString(),
        },
      },
    ],
  });
  return message;
}

describe('identity → Kafka → consent notification hub', () => {
  it('delivers the welcome e-mail of a registration exactly once, carrying the correlation id', async () => {
    const email = uniqueEmail('welcome');
    const correlationId = `e2e-${randomUUID()}`;
    const { status, identityId } = await register(email, correlationId);
    expect(status).toBe(201);

    const message = await exactlyOneWelcome(email);
    expect(message).toMatchObject({ channel: 'email', to: email, template: 'account_welcome' });
    expect(message.body).toContain('Anna');

    // The event on the topic carries the headers api.md names, keyed by the aggregate.
    const registered = await eventually(() => {
      const found = recorder.messages.filter((m) => m.key === identityId);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(registered.headers[EVENT_HEADERS.eventType]).toBe('ticketry.identity.v1.IdentityRegistered');
    expect(registered.headers[EVENT_HEADERS.eventId]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(registered.headers[EVENT_HEADERS.occurredAt]).getTime()).not.toBeNaN();
    expect(registered.headers[EVENT_HEADERS.correlationId]).toBe(correlationId);

    await drainKey(email);
    expect((await messagesTo(email)).filter((m) => m.template === 'account_welcome')).toHaveLength(1);
  });

  it('handles the same event delivered twice only once', async () => {
    const email = uniqueEmail('duplicate');
    await register(email);
    await exactlyOneWelcome(email);
    const original = await eventually(() => {
      const found = recorder.messages.find((m) => m.key === email);
      expect(found).toBeDefined();
      return found!;
    });

    // Redeliver the very same record (same event-id), as Kafka may after a rebalance or crash.
    await producer.send({
      topic: physicalTopic(prefix, 'consent.notification.v1'),
      messages: [{ key: original.key, value: original.value, headers: original.headers }],
    });
    await drainKey(email);

    expect((await messagesTo(email)).filter((m) => m.template === 'account_welcome')).toHaveLength(1);
  });

  it('parks a poison message in the dead letters and keeps consuming the partition', async () => {
    const email = uniqueEmail('poison');
    const eventId = randomUUID();
    await sendRequest({ recipient: email, template: 'no_such_template', data: {}, eventId });
    const after = await sendRequest({
      recipient: email,
      template: 'generic',
      data: { subject: 'after', body: 'still flowing' },
    });

    await eventually(async () => {
      const found = await messagesTo(email);
      expect(found.map((m) => m.body)).toEqual([after.data.body]);
    });
    const [dead] = (await consent.dataSource.query(
      `SELECT direction, topic, error FROM consent.dead_letters WHERE event_id = $1`,
      [eventId],
    )) as { direction: string; topic: string; error: string }[];
    expect(dead).toMatchObject({ direction: 'inbound', topic: 'consent.notification.v1' });
    expect(dead.error).toMatch(/template/i);
  });

  const withBroker = canRestartKafka() ? it : it.skip;
  withBroker(
    'loses no event when the broker restarts in the middle',
    async () => {
      const emails = Array.from({ length: 30 }, (_, i) => uniqueEmail(`restart${i}`));
      for (const email of emails.slice(0, 10)) expect((await register(email)).status).toBe(201);

      const stoppedMs = await stopKafka();
      // With the broker down, registrations still commit: their events wait in identity's outbox.
      for (const email of emails.slice(10, 20)) expect((await register(email)).status).toBe(201);
      const startedMs = await startKafka();
      for (const email of emails.slice(20)) expect((await register(email)).status).toBe(201);

      for (const email of emails) await exactlyOneWelcome(email);
      const [{ pending }] = (await identity.dataSource.query(
        `SELECT count(*)::int AS pending FROM identity.outbox WHERE published_at IS NULL AND topic_prefix = $1`,
        [prefix],
      )) as { pending: number }[];
      expect(pending).toBe(0);
      console.log(`broker restart: stop ${stoppedMs} ms, start ${startedMs} ms`);
    },
    240_000,
  );
});
