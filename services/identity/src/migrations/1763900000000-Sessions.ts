import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Sessions1763900000000 implements MigrationInterface {
  name = 'Sessions1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      ALTER TABLE "${s}".identities
        ADD COLUMN must_reset_password boolean NOT NULL DEFAULT false,
        ADD COLUMN platform_roles text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE TABLE "${s}".signing_keys (
        kid text PRIMARY KEY,
        private_pem text NOT NULL,
        created_at timestamptz NOT NULL,
        retire_after timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        identity_id uuid NOT NULL REFERENCES "${s}".identities (id) ON DELETE CASCADE,
        market text,
        token_hash text NOT NULL UNIQUE,
        amr text[] NOT NULL,
        auth_time timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_family ON "${s}".refresh_tokens (family_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".refresh_tokens`);
    await queryRunner.query(`DROP TABLE "${s}".signing_keys`);
    await queryRunner.query(
      `ALTER TABLE "${s}".identities DROP COLUMN must_reset_password, DROP COLUMN platform_roles`,
    );
  }
}
