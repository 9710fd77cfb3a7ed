/**
 * libs/messaging's outbox relay and inbox consumer against real Postgres and the real broker,
 * without a service around them (here rather than in libs/messaging/test, because libs/testing
 * depends on libs/messaging): ordering per key, poison messages in both directions, retries, rollback.
 */
import { randomUUID } from 'node:crypto';
import { create, identityEvents } from '@ticketry/contracts';
import { FixedClock, PlatformConfig, runWithContext } from '@ticketry/platform';
import { currentInfra, eventually, testKafka, TopicRecorder } from '@ticketry/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import {
  EVENT_HEADERS,
  InboxConsumer,
  MESSAGING_ENTITIES,
  MessagingTables1763600000001,
  Outbox,
  OutboxTopicPrefix1765100000000,
  OutboxRelay,
  physicalTopic,
} from '@ticketry/messaging';

const schema = `msg_test_${randomUUID().slice(0, 8)}`;
const prefix = `t${currentInfra().runId}-${randomUUID().slice(0, 8)}.`;
const topic = 'identity.identity.v1' as const;
let dataSource: DataSource;
let kafka: Kafka;
let producer: Producer;
let relay: OutboxRelay;
let recorder: TopicRecorder;
const outbox = new Outbox(new FixedClock('2026-11-21T12:00:00Z'), {
  KAFKA_TOPIC_PREFIX: prefix,
} as PlatformConfig);

function registered(identityId: string, email = `${identityId}@example.test`) {
  return create(identityEvents.IdentityRegisteredSchema, { identityId, email, market: 'se' });
}

async function publish(key: string, message = registered(key), eventId?: string): Promise<string> {
  return dataSource.transaction((manager) =>
    outbox.publish(manager, {
      topic,
      key,
      schema: identityEvents.IdentityRegisteredSchema,
      message,
      eventId,
    }),
  );
}

beforeAll(async () => {
  dataSource = new DataSource({
    type: 'postgres',
    url: currentInfra().adminDatabaseUrl,
    schema,
    entities: MESSAGING_ENTITIES,
    migrations: [MessagingTables1763600000001, OutboxTopicPrefix1765100000000],
    installExtensions: false,
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations();
  kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: physicalTopic(prefix, topic), numPartitions: 3 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  relay = new OutboxRelay(dataSource, producer, {
    topicPrefix: prefix,
    batchSize: 50,
    idleMs: 50,
    maxAttempts: 2,
    retentionMs: 3_600_000,
  });
  recorder = new TopicRecorder(kafka);
  await recorder.start([physicalTopic(prefix, topic)]);
  relay.start();
});

afterAll(async () => {
  await relay?.stop(1000);
  await relay?.disconnect();
  await recorder?.stop();
  await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource?.destroy();
});

describe('outbox relay', () => {
  it('publishes every committed event once, in commit order per key, with the api.md headers', async () => {
    const keys = Array.from({ length: 4 }, () => randomUUID());
    const committed: Record<string, string[]> = {};
    for (let i = 0; i < 40; i += 1) {
      const key = keys[i % keys.length];
      const id = await runWithContext({ correlationId: `corr-${i}` }, () => publish(key));
      (committed[key] ??= []).push(id);
    }
    await eventually(() => {
      for (const key of keys) {
        const seen = recorder.messages
          .filter((m) => m.key === key)
          .map((m) => m.headers[EVENT_HEADERS.eventId]);
        expect(seen).toEqual(committed[key]);
      }
    });
    const first = recorder.messages.find((m) => m.headers[EVENT_HEADERS.eventId] === committed[keys[0]][0])!;
    expect(first.headers[EVENT_HEADERS.eventType]).toBe('ticketry.identity.v1.IdentityRegistered');
    expect(first.headers[EVENT_HEADERS.correlationId]).toBe('corr-0');
    expect(first.headers[EVENT_HEADERS.occurredAt]).toBe('2026-11-21T12:00:00.000Z');
    // The relay marks a batch published after the broker took it, so the recorder can see the
    // messages a moment before the rows say so.
    await eventually(async () => {
      const [{ pending }] = (await dataSource.query(
        `SELECT count(*)::int AS pending FROM "${schema}".outbox WHERE published_at IS NULL`,
      )) as { pending: number }[];
      expect(pending).toBe(0);
    });
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    const key = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.publish(manager, {
          topic,
          key,
          schema: identityEvents.IdentityRegisteredSchema,
          message: registered(key),
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const marker = randomUUID();
    await publish(marker);
    await eventually(() => expect(recorder.messages.some((m) => m.key === marker)).toBe(true));
    expect(recorder.messages.some((m) => m.key === key)).toBe(false);
  });

  it('refuses to write an event outside a transaction', async () => {
    const manager: EntityManager = dataSource.manager;
    await expect(
      outbox.publish(manager, {
        topic,
        key: 'k',
        schema: identityEvents.IdentityRegisteredSchema,
        message: registered('k'),
      }),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('dead-letters a message the broker refuses, keeps later events of its key behind it, and lets other keys flow', async () => {
    const poisonKey = randomUUID();
    const otherKey = randomUUID();
    // Larger than the broker's message.max.bytes (1 MiB by default): refused, not retriable.
    const poisonId = await publish(poisonKey, registered(poisonKey, 'x'.repeat(1_200_000)));
    const behindId = await publish(poisonKey);
    const otherId = await publish(otherKey);

    await eventually(() =>
      expect(recorder.messages.some((m) => m.headers[EVENT_HEADERS.eventId] === otherId)).toBe(true),
    );
    await eventually(async () => {
      const [dead] = await dataSource.query(
        `SELECT direction, error, attempts FROM "${schema}".dead_letters WHERE event_id = $1`,
        [poisonId],
      );
      expect(dead).toMatchObject({ direction: 'outbound', attempts: 2 });
      expect(dead.error).toMatch(/MESSAGE_TOO_LARGE.*larger than the max message size/);
    });
    await eventually(() =>
      expect(recorder.messages.some((m) => m.headers[EVENT_HEADERS.eventId] === behindId)).toBe(true),
    );
    expect(recorder.messages.some((m) => m.headers[EVENT_HEADERS.eventId] === poisonId)).toBe(false);
  });
});

describe('inbox consumer', () => {
  let inbox: InboxConsumer;
  const attempts = new Map<string, number>();
  const failTimes = new Map<string, number>();

  beforeAll(async () => {
    await dataSource.query(
      `CREATE TABLE "${schema}".effects (identity_id text PRIMARY KEY, seen int NOT NULL DEFAULT 1)`,
    );
    inbox = new InboxConsumer(kafka, dataSource, {
      groupId: `${prefix}inbox-test`,
      topicPrefix: prefix,
      fromBeginning: true,
      maxAttempts: 3,
      sessionTimeoutMs: 10_000,
    });
    inbox.on(topic, identityEvents.IdentityRegisteredSchema, async (event, manager) => {
      const id = event.message.identityId;
      const count = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, count);
      if (count <= (failTimes.get(id) ?? 0)) throw new Error(`handler failure ${count}`);
      await manager.query(
        `INSERT INTO "${schema}".effects (identity_id) VALUES ($1) ON CONFLICT (identity_id) DO UPDATE SET seen = effects.seen + 1`,
        [id],
      );
    });
    await inbox.start();
    await inbox.whenJoined();
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await inbox?.stop();
    await producer?.disconnect();
  });

  async function send(identityId: string, eventId: string = randomUUID()): Promise<string> {
    await producer.send({
      topic: physicalTopic(prefix, topic),
      messages: [
        {
          key: identityId,
          value: Buffer.from(
            (await import('@ticketry/contracts')).toBinary(
              identityEvents.IdentityRegisteredSchema,
              registered(identityId),
            ),
          ),
          headers: {
            [EVENT_HEADERS.eventId]: eventId,
            [EVENT_HEADERS.eventType]: identityEvents.IdentityRegisteredSchema.typeName,
            [EVENT_HEADERS.occurredAt]: new Date().toISOString(),
          },
        },
      ],
    });
    return eventId;
  }

  async function effectCount(identityId: string): Promise<number | undefined> {
    const rows = await dataSource.query(`SELECT seen FROM "${schema}".effects WHERE identity_id = $1`, [
      identityId,
    ]);
    return rows[0]?.seen;
  }

  it('applies an event once even when it is delivered twice', async () => {
    const id = randomUUID();
    const eventId = await send(id);
    await send(id, eventId);
    const marker = randomUUID();
    await send(marker);
    await eventually(async () => expect(await effectCount(marker)).toBe(1));
    expect(await effectCount(id)).toBe(1);
  });

  it('retries a handler that fails a few times and applies the event once', async () => {
    const id = randomUUID();
    failTimes.set(id, 2);
    await send(id);
    await eventually(async () => expect(await effectCount(id)).toBe(1));
    expect(attempts.get(id)).toBe(3);
  });

  it('dead-letters a message whose handler keeps failing and goes on with the next on its partition', async () => {
    const id = randomUUID();
    failTimes.set(id, 99);
    const eventId = await send(id);
    const next = randomUUID();
    await send(next); // same topic; the next event must not be stuck behind the poison one
    await eventually(async () => expect(await effectCount(next)).toBe(1));
    const [dead] = await dataSource.query(
      `SELECT direction, attempts, error FROM "${schema}".dead_letters WHERE event_id = $1`,
      [eventId],
    );
    expect(dead).toMatchObject({ direction: 'inbound', attempts: 3 });
    expect(dead.error).toContain('handler failure 3');
    const [dlq] = await dataSource.query(
      `SELECT topic FROM "${schema}".outbox WHERE headers->>'original-event-id' = $1`,
      [eventId],
    );
    expect(dlq.topic).toBe(`${topic}.dlq`);
    expect(await effectCount(id)).toBeUndefined();
  });

  it('dead-letters at once a message that cannot be decoded', async () => {
    const eventId = randomUUID();
    await producer.send({
      topic: physicalTopic(prefix, topic),
      messages: [
        {
          key: 'garbage',
          value: Buffer.from([0xff, 0xff, 0xff, 0xff]),
          headers: {
            [EVENT_HEADERS.eventId]: eventId,
            [EVENT_HEADERS.eventType]: identityEvents.IdentityRegisteredSchema.typeName,
          },
        },
      ],
    });
    await eventually(async () => {
      const [dead] = await dataSource.query(
        `SELECT attempts, error FROM "${schema}".dead_letters WHERE event_id = $1`,
        [eventId],
      );
      expect(dead).toMatchObject({ attempts: 1 });
      expect(dead.error).toMatch(/cannot decode/);
    });
  });
});
