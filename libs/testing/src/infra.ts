import { execFileSync } from 'node:child_process';

/**
 * Where the integration tests find Postgres and Kafka: `DATABASE_URL` (a superuser URL for the
 * test database) and `KAFKA_BROKERS` when set (this machine: scripts/test.sh sets them for the
 * local Postgres and the script-managed broker), otherwise containers started by testcontainers
 * when Docker is available; with neither, the run stops at once saying what to provide.
 */
export interface TestInfra {
  adminDatabaseUrl: string;
  kafkaBrokers: string;
  /** How the broker can be restarted by a test: the repo's script, or not at all. */
  kafkaControl: 'script' | 'none';
  runId: string;
}

export class MissingInfrastructureError extends Error {}

export function infraFromEnv(env: NodeJS.ProcessEnv = process.env): TestInfra | undefined {
  const adminDatabaseUrl = env.TEST_DATABASE_URL ?? env.DATABASE_URL;
  const kafkaBrokers = env.KAFKA_BROKERS;
  if (!adminDatabaseUrl && !kafkaBrokers) return undefined;
  if (!adminDatabaseUrl || !kafkaBrokers) {
    throw new MissingInfrastructureError(
      `Integration tests need both DATABASE_URL and KAFKA_BROKERS (got ${adminDatabaseUrl ? 'DATABASE_URL' : 'KAFKA_BROKERS'} only).`,
    );
  }
  return {
    adminDatabaseUrl,
    kafkaBrokers,
    kafkaControl: env.TICKETRY_KAFKA_CONTROL === 'script' ? 'script' : 'none',
    runId: env.TICKETRY_TEST_RUN_ID ?? 'local',
  };
}

export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function currentInfra(): TestInfra {
  const infra = infraFromEnv();
  if (!infra) {
    throw new MissingInfrastructureError(
      'No test infrastructure: set DATABASE_URL and KAFKA_BROKERS (npm test does this on a machine with ' +
        'Postgres and Java), or run where Docker is available for testcontainers.',
    );
  }
  return infra;
}

/** The URL of a service's own login role on the test database (roles made by scripts/db/prepare.mjs). */
export function serviceDatabaseUrl(adminUrl: string, service: string): string {
  const url = new URL(adminUrl);
  url.username = service;
  url.password = process.env[`${service.toUpperCase()}_DB_PASSWORD`] ?? `${service}-dev-password`;
  return url.toString();
}
