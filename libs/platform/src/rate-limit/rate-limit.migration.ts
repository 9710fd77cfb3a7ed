import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../database/schema';

/**
 * The shared counters behind RateLimiter (rate-limit.ts), in the service's own schema so every
 * replica of a service sees the same counts. One row per key; `blocked_until` and `strikes` hold
 * the growing cool-down, `updated_at` lets old rows be pruned.
 */
export class RateLimitTables1763600000002 implements MigrationInterface {
  name = 'RateLimitTables1763600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".rate_limits (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        count int NOT NULL CHECK (count >= 0),
        blocked_until timestamptz,
        strikes int NOT NULL DEFAULT 0 CHECK (strikes >= 0),
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rate_limits_updated_at ON "${s}".rate_limits (updated_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".rate_limits`);
  }
}
