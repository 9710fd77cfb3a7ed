import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProfilesAndResets1763900000001 implements MigrationInterface {
  name = 'ProfilesAndResets1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      ALTER TABLE "${s}".market_accounts
        ADD COLUMN billing_address jsonb,
        ADD COLUMN delivery_address jsonb,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`ALTER TABLE "${s}".identities ADD COLUMN guardian_consent boolean`);
    await queryRunner.query(`
      CREATE TABLE "${s}".password_resets (
        id uuid PRIMARY KEY,
        identity_id uuid NOT NULL REFERENCES "${s}".identities (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".password_resets`);
    await queryRunner.query(`ALTER TABLE "${s}".identities DROP COLUMN guardian_consent`);
    await queryRunner.query(
      `ALTER TABLE "${s}".market_accounts DROP COLUMN billing_address, DROP COLUMN delivery_address, DROP COLUMN updated_at`,
    );
  }
}
