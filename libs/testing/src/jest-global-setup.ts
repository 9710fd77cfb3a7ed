import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { dockerAvailable, infraFromEnv, MissingInfrastructureError } from './infra';

const root = path.resolve(__dirname, '../../..');

function prepareDatabase(adminUrl: string): void {
  const url = new URL(adminUrl);
  const database = url.pathname.replace(/^\//, '') || 'ticketry_test';
  url.pathname = '/postgres';
  execFileSync(process.execPath, [path.join(root, 'scripts/db/prepare.mjs')], {
    env: {
      ...process.env,
      PG_ADMIN_URL: url.toString(),
      TICKETRY_DATABASES: database,
      PREPARE_QUIET: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function startContainers(): Promise<void> {
  // Only on machines with Docker; imported lazily so a machine without it never loads the client.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:17')
      .withDatabase('ticketry_test')
      .withUsername('postgres')
      .withPassword('postgres')
      .start(),
    new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
  ]);
  (globalThis as { __TICKETRY_CONTAINERS__?: unknown[] }).__TICKETRY_CONTAINERS__ = [postgres, kafka];
  process.env.DATABASE_URL = postgres.getConnectionUri();
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
}

/**
 * Rate-limit counters (failed logins per IP, code sends) live in the test database, which is kept
 * between runs; every test comes from 127.0.0.1, so a run starts from clean counters. Outbox rows
 * an earlier run's service instances left unsent belong to topic prefixes nobody relays any more
 * (each run has its own): they are dropped, so "nothing pending" means this run's events.
 */
async function resetRateLimits(adminUrl: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'rate_limits'`,
    );
    for (const { schema } of tables.rows) await client.query(`DELETE FROM "${schema}".rate_limits`);
    const outboxes = await client.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.columns
       WHERE table_name = 'outbox' AND column_name = 'topic_prefix'`,
    );
    for (const { schema } of outboxes.rows) {
      await client.query(`DELETE FROM "${schema}".outbox WHERE published_at IS NULL AND topic_prefix <> ''`);
    }
  } finally {
    await client.end();
  }
}

export default async function globalSetup(): Promise<void> {
  process.env.TICKETRY_TEST_RUN_ID ??= Date.now().toString(36);
  let infra = infraFromEnv();
  if (!infra) {
    if (!dockerAvailable()) {
      throw new MissingInfrastructureError(
        'Integration tests need Postgres and Kafka: run them with `npm test` (starts a local broker and uses ' +
          'the local Postgres), set DATABASE_URL and KAFKA_BROKERS, or run where Docker is available.',
      );
    }
    await startContainers();
    infra = infraFromEnv();
  }
  if (!infra) throw new MissingInfrastructureError('test infrastructure did not come up');
  prepareDatabase(infra.adminDatabaseUrl);
  await resetRateLimits(infra.adminDatabaseUrl);
}
