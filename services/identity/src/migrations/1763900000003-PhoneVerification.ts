import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PhoneVerification1763900000003 implements MigrationInterface {
  name = 'PhoneVerification1763900000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".otp_challenges (
        id uuid PRIMARY KEY,
        identity_id uuid NOT NULL REFERENCES "${s}".identities (id) ON DELETE CASCADE,
        phone text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('verify_phone', 'step_up')),
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        consumed_at timestamptz
      )`);
    // The check reads the newest challenge of one identity, phone and purpose.
    await queryRunner.query(
      `CREATE INDEX otp_challenges_lookup ON "${s}".otp_challenges (identity_id, purpose, phone, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".otp_challenges`);
  }
}
