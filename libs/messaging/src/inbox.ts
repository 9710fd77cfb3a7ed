import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DescMessage, fromBinary, MessageShape } from '@bufbuild/protobuf';
import { runWithContext } from '@ticketry/platform';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { DeadLetterEntity, InboxEntity, OutboxEntity } from './entities';
import { backoffMs, PermanentMessageError, sleep } from './retry';
import { deadLetterTopic, EVENT_HEADERS, logicalTopic, physicalTopic, TopicName } from './topics';

export interface ConsumedEvent<D extends DescMessage = DescMessage> {
  eventId: string;
  eventType: string;
  topic: TopicName;
  key: string | null;
  occurredAt: Date;
  correlationId: string;
  message: MessageShape<D>;
}

/** Runs inside the inbox transaction: its writes (and outbox events) commit with the inbox row. */
export type EventHandler<D extends DescMessage> = (
  event: ConsumedEvent<D>,
  manager: EntityManager,
) => Promise<void>;

interface Registration {
  schema: DescMessage;
  handler: EventHandler<DescMessage>;
}

export interface InboxSettings {
  groupId: string;
  topicPrefix: string;
  fromBeginning: boolean;
  /** Attempts of a failing handler before the message is dead-lettered. */
  maxAttempts: number;
  sessionTimeoutMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    const value = headerValue(headers, name);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/**
 * Consumes integration events at least once and handles each effectively once: the event id is
 * inserted into the inbox in the same transaction as the handler's effect, so a redelivery
 * (after a crash, a rebalance or a duplicate send) finds it and does nothing. A handler that
 * keeps failing while the database is healthy has its message parked in dead_letters and
 * forwarded to `<topic>.dlq`, and the partition moves on; while the database itself is down the
 * error propagates, the offset is not committed, and Kafka redelivers later.
 */
export class InboxConsumer {
  private readonly logger = new Logger(InboxConsumer.name);
  private readonly registrations = new Map<string, Registration>();
  private consumer: Consumer | undefined;
  private joined: Promise<void> = Promise.resolve();
  /** Set once by stop(): nothing restarts the consumer after the service began to shut down. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly settings: InboxSettings,
  ) {}

  on<D extends DescMessage>(topic: TopicName, schema: D, handler: EventHandler<D>): void {
    if (this.consumer) throw new Error('Register handlers before the consumer starts');
    this.registrations.set(`${topic}|${schema.typeName}`, {
      schema,
      handler: handler as EventHandler<DescMessage>,
    });
  }

  get topics(): TopicName[] {
    return [...new Set([...this.registrations.keys()].map((k) => k.split('|')[0] as TopicName))];
  }

  /** Resolves once the consumer has joined its group and got partitions (tests wait on it). */
  whenJoined(): Promise<void> {
    return this.joined;
  }

  async start(): Promise<void> {
    if (this.consumer || this.registrations.size === 0 || this.shutdown.signal.aborted) return;
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: Math.floor(this.settings.sessionTimeoutMs / 3),
      maxWaitTimeInMs: 200,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 10 },
    });
    this.consumer = consumer;
    this.joined = new Promise((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.logger.warn({ err: error, restart }, 'Kafka consumer crashed');
      // kafkajs gives up on some errors (restart=false); we never do while the service runs.
      if (!restart && !this.shutdown.signal.aborted) void this.restart();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: this.topics.map((t) => physicalTopic(this.settings.topicPrefix, t)),
        fromBeginning: this.settings.fromBeginning,
      });
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently: 3,
        eachMessage: async ({ topic, message }) => this.receive(topic, message),
      });
    } catch (error) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async restart(): Promise<void> {
    await this.disconnect().catch(() => undefined);
    await this.retryStart();
  }

  /** Keeps trying to (re)start until it works or the service stops. */
  async retryStart(): Promise<void> {
    for (let attempt = 1; !this.shutdown.signal.aborted; attempt += 1) {
      try {
        await this.start();
        return;
      } catch (error) {
        this.logger.warn({ err: error, attempt }, 'Kafka consumer start failed; retrying');
        await sleep(backoffMs(attempt, 500, 10_000), this.shutdown.signal);
      }
    }
  }

  /** Entry point for one Kafka message; also called directly by tests that simulate redelivery. */
  async receive(physical: string, message: KafkaMessage): Promise<void> {
    const topic = logicalTopic(this.settings.topicPrefix, physical) as TopicName;
    const eventId = headerValue(message.headers, EVENT_HEADERS.eventId);
    const eventType = headerValue(message.headers, EVENT_HEADERS.eventType) ?? '';
    const correlationId =
      headerValue(message.headers, EVENT_HEADERS.correlationId) ?? eventId ?? randomUUID();
    await runWithContext({ correlationId }, async () => {
      const registration = this.registrations.get(`${topic}|${eventType}`);
      if (!registration) return; // another consumer's event on a shared topic
      if (!eventId || !UUID.test(eventId)) {
        await this.deadLetter(
          topic,
          message,
          eventId,
          eventType,
          new PermanentMessageError('missing or invalid event-id header'),
          1,
        );
        return;
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.process(topic, message, eventId, eventType, correlationId, registration);
          return;
        } catch (error) {
          const permanent = error instanceof PermanentMessageError;
          if (permanent || attempt >= this.settings.maxAttempts) {
            if (!(await this.databaseHealthy())) throw error;
            await this.deadLetter(topic, message, eventId, eventType, error as Error, attempt);
            return;
          }
          this.logger.warn({ err: error, eventId, topic, attempt }, 'event handler failed; retrying');
          await sleep(backoffMs(attempt, 200, 3000));
        }
      }
    });
  }

  private async process(
    topic: TopicName,
    message: KafkaMessage,
    eventId: string,
    eventType: string,
    correlationId: string,
    registration: Registration,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const inbox = manager.connection.getMetadata(InboxEntity).tablePath;
      const inserted = (await manager.query(
        `INSERT INTO ${inbox} (event_id, topic, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
        [eventId, topic, eventType],
      )) as unknown[];
      if (inserted.length === 0) return; // handled before: a redelivery
      let decoded: MessageShape<DescMessage>;
      try {
        decoded = fromBinary(registration.schema, message.value ?? new Uint8Array());
      } catch (error) {
        throw new PermanentMessageError(`cannot decode ${eventType}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const occurredAt = new Date(
        headerValue(message.headers, EVENT_HEADERS.occurredAt) ?? Number(message.timestamp),
      );
      await registration.handler(
        {
          eventId,
          eventType,
          topic,
          key: message.key?.toString() ?? null,
          occurredAt,
          correlationId,
          message: decoded,
        },
        manager,
      );
    });
  }

  private async databaseHealthy(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async deadLetter(
    topic: TopicName,
    message: KafkaMessage,
    eventId: string | undefined,
    eventType: string,
    error: Error,
    attempts: number,
  ): Promise<void> {
    const text = `${error.name}: ${error.message}`.slice(0, 2000);
    this.logger.error({ err: error, eventId, topic, attempts }, 'event dead-lettered');
    const headers = stringHeaders(message.headers);
    await this.dataSource.transaction(async (manager) => {
      if (eventId && UUID.test(eventId)) {
        const inbox = manager.connection.getMetadata(InboxEntity).tablePath;
        await manager.query(
          `INSERT INTO ${inbox} (event_id, topic, event_type, outcome) VALUES ($1, $2, $3, 'dead_lettered') ON CONFLICT DO NOTHING`,
          [eventId, topic, eventType],
        );
      }
      await manager.getRepository(DeadLetterEntity).insert({
        id: randomUUID(),
        direction: 'inbound',
        topic,
        key: message.key?.toString() ?? null,
        eventId: eventId ?? null,
        eventType: eventType || null,
        payload: message.value,
        headers,
        error: text,
        attempts,
      });
      // The dead-letter topic gets it through this service's own outbox: same guarantees, no second producer path.
      const outbox = manager.connection.getMetadata(OutboxEntity).tablePath;
      await manager.query(
        `INSERT INTO ${outbox} (id, topic, key, event_type, payload, headers, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [
          randomUUID(),
          deadLetterTopic(topic),
          message.key?.toString() ?? eventId ?? 'unknown',
          eventType || 'unknown',
          message.value ?? Buffer.alloc(0),
          {
            ...headers,
            'original-event-id': eventId ?? '',
            'dead-letter-error': text,
            'dead-letter-consumer': this.settings.groupId,
          },
        ],
      );
    });
  }
}
