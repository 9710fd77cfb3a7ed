import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema';

/** Tables every service has from libs/platform: idempotency keys (api.md, Conventions). */
export class PlatformTables1763600000000 implements MigrationInterface {
  name = 'PlatformTables1763600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_created_at ON "${s}".idempotency_keys (created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".idempotency_keys`);
  }
}
