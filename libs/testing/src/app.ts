import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import {
  Clock,
  createServiceApp,
  loadConfig,
  PlatformConfig,
  ServiceDefinition,
  shutdownGracefully,
} from '@ticketry/platform';
import { InboxConsumer } from '@ticketry/messaging';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { currentInfra, serviceDatabaseUrl } from './infra';

export interface RunningService<C extends PlatformConfig = PlatformConfig> {
  name: string;
  app: INestApplication;
  url: string;
  config: C;
  dataSource: DataSource;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Topic prefix shared by the services of one test, so its events stay its own on a shared broker. */
  topicPrefix: string;
  env?: Record<string, string>;
  clock?: Clock;
}

/** A prefix unique to this test file and run; pass the same one to every service in a test. */
export function newTopicPrefix(): string {
  return `t${currentInfra().runId}-${randomUUID().slice(0, 8)}.`;
}

/** Migrations of one schema must not run twice at once (jest workers start apps in parallel). */
async function migrateExclusively(dataSource: DataSource, adminUrl: string, schema: string): Promise<void> {
  const lock = new Client({ connectionString: adminUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]).catch(() => undefined);
    await lock.end();
  }
}

/**
 * Starts a service exactly as main.ts does (same module, config class, filters, OpenAPI), on the
 * test database with the service's own login role, on a random port, against the real broker.
 */
export async function startService<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
  options: StartOptions,
): Promise<RunningService<C>> {
  const infra = currentInfra();
  const config = loadConfig(definition.configClass, {
    ...definition.configDefaults,
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: serviceDatabaseUrl(infra.adminDatabaseUrl, definition.name),
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    KAFKA_GROUP_ID: `${options.topicPrefix}${definition.name}`,
    MIGRATIONS_RUN: 'false',
    ...options.env,
  });
  const app = await createServiceApp(definition, config, { clock: options.clock });
  const dataSource = app.get(DataSource);
  await migrateExclusively(dataSource, infra.adminDatabaseUrl, definition.name);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  const inbox = app.get(InboxConsumer);
  // Consumers must have joined their group before a test produces, or the first events race them.
  if (inbox.topics.length > 0) await inbox.whenJoined();
  return {
    name: definition.name,
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    dataSource,
    stop: () => shutdownGracefully(app, 2000),
  };
}

/**
 * The service a test file is about: started before its tests (on a topic prefix of its own) and
 * stopped after them. The returned handle is filled in by `beforeAll`, so read it inside tests.
 */
export function serviceUnderTest<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
  options: Partial<StartOptions> = {},
): RunningService<C> {
  const handle = {} as RunningService<C>;
  beforeAll(async () => {
    Object.assign(handle, await startService(definition, { topicPrefix: newTopicPrefix(), ...options }));
  });
  afterAll(async () => {
    await handle.stop?.();
  });
  return handle;
}
