import { TypeOrmModule } from '@nestjs/typeorm';
import type { DynamicModule } from '@nestjs/common';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { PlatformConfig } from '../config/config';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;

export type DatabaseConfig = Pick<
  PlatformConfig,
  'DATABASE_URL' | 'DATABASE_SCHEMA' | 'MIGRATIONS_RUN' | 'isProduction'
>;

export interface DatabaseOptions {
  service: string;
  config: DatabaseConfig;
  entities: EntityList;
  migrations: MigrationList;
}

/**
 * The service's own schema, never `synchronize`: the schema changes only through migrations,
 * which run at start outside production and as a Kubernetes Job in production.
 */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const { config } = options;
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA ?? options.service,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: config.MIGRATIONS_RUN ? config.MIGRATIONS_RUN === 'true' : !config.isProduction,
    synchronize: false,
    // Service roles may not create extensions; gen_random_uuid() is built into Postgres 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: ['error'],
    applicationName: options.service,
    extra: { max: Number(process.env.DATABASE_POOL_MAX ?? 10), connectionTimeoutMillis: 5000 },
  };
}

export function databaseModule(options: DatabaseOptions): DynamicModule {
  return TypeOrmModule.forRoot({
    ...dataSourceOptions(options),
    // The bootstrap already checked that the database answers; fail rather than spin on startup.
    retryAttempts: 2,
    retryDelay: 1000,
  });
}
