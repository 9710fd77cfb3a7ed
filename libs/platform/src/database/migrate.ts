import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { checkDatabase } from '../bootstrap/bootstrap';
import { ConfigError, loadConfig, NODE_ENVS, NodeEnv } from '../config/config';
import { DatabaseOptions, dataSourceOptions } from './database';

class MigrationConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsString({ message: 'is required (a postgres:// URL)' })
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/)
  DATABASE_SCHEMA?: string;
}

/** `node dist/migrate.js`: applies pending migrations and exits (a Kubernetes Job before rollout). */
export async function runMigrations(options: Omit<DatabaseOptions, 'config'>): Promise<void> {
  try {
    const env = loadConfig(MigrationConfig, process.env);
    await checkDatabase(env.DATABASE_URL);
    const config = {
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_SCHEMA: env.DATABASE_SCHEMA,
      MIGRATIONS_RUN: 'false' as const,
      isProduction: env.NODE_ENV === 'production',
    };
    const dataSource = new DataSource(dataSourceOptions({ ...options, config }));
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    process.stdout.write(
      `${options.service}: ${applied.length} migration(s) applied${applied.length ? `: ${applied.map((m) => m.name).join(', ')}` : ''}\n`,
    );
  } catch (error) {
    const message =
      error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message;
    process.stderr.write(`${options.service}: migration failed: ${message}\n`);
    process.exit(1);
  }
}
