import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { CONFIG, PlatformConfig, ReadinessIndicator, ReadinessRegistry } from '@ticketry/platform';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { InboxConsumer } from './inbox';
import { createKafka, ensureTopics } from './kafka';
import { Outbox } from './outbox';
import { OutboxRelay } from './relay';
import { deadLetterTopic, TopicName } from './topics';

export const KAFKA = Symbol('KAFKA');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  service: string;
  /** Topics this service writes to its outbox; created at start outside production. */
  produces: TopicName[];
}

class KafkaIndicator implements ReadinessIndicator {
  readonly name = 'kafka';
  private connected: Promise<void> | undefined;
  constructor(private readonly admin: Admin) {}
  async check(): Promise<void> {
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await this.admin.describeCluster();
  }
}

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** Owns the service's Kafka connections: starts relay and consumers after boot, stops them in order. */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingRuntime.name);
  readonly relay: OutboxRelay;
  private readonly admin: Admin;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    dataSource: DataSource,
    private readonly inbox: InboxConsumer,
    private readonly readiness: ReadinessRegistry,
  ) {
    // One in-flight request per connection keeps per-partition order even when a send is retried.
    // A factory, so the relay can start a new producer session when the broker forgot this one.
    const producer = (): Producer =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
      });
    this.admin = kafka.admin();
    this.relay = new OutboxRelay(dataSource, producer, {
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      batchSize: Number(env('OUTBOX_BATCH_SIZE', '200')),
      idleMs: Number(env('OUTBOX_IDLE_MS', '100')),
      maxAttempts: Number(env('OUTBOX_MAX_ATTEMPTS', '5')),
      retentionMs: Number(env('OUTBOX_RETENTION_MS', String(24 * 3600 * 1000))),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register(new KafkaIndicator(this.kafka.admin()));
    if (!this.config.isProduction || process.env.KAFKA_CREATE_TOPICS === 'true') {
      const topics = [
        ...this.options.produces,
        ...this.inbox.topics,
        ...this.inbox.topics.map(deadLetterTopic),
      ];
      await this.admin
        .connect()
        .then(() => ensureTopics(this.admin, this.config.KAFKA_TOPIC_PREFIX, [...new Set(topics)]))
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not create topics now; Kafka may be down'),
        )
        .finally(() => this.admin.disconnect().catch(() => undefined));
    }
    this.relay.start();
    // A broker that is down at start must not stop the service: the consumer keeps retrying.
    this.inbox.start().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Kafka consumer could not start; retrying in the background');
      void this.inbox.retryStart();
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.inbox.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.relay.disconnect();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA,
          inject: [CONFIG],
          useFactory: (config: PlatformConfig) =>
            createKafka({ brokers: config.KAFKA_BROKERS.split(','), clientId: options.service }),
        },
        {
          provide: InboxConsumer,
          inject: [KAFKA, DataSource, CONFIG],
          useFactory: (kafka: Kafka, dataSource: DataSource, config: PlatformConfig) =>
            new InboxConsumer(kafka, dataSource, {
              groupId: config.KAFKA_GROUP_ID ?? options.service,
              topicPrefix: config.KAFKA_TOPIC_PREFIX,
              fromBeginning: env('KAFKA_FROM_BEGINNING', 'true') === 'true',
              maxAttempts: Number(env('INBOX_MAX_ATTEMPTS', '5')),
              sessionTimeoutMs: Number(env('KAFKA_SESSION_TIMEOUT_MS', '10000')),
            }),
        },
        Outbox,
        MessagingRuntime,
      ],
      exports: [KAFKA, Outbox, InboxConsumer, MessagingRuntime],
    };
  }
}
