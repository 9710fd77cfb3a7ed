import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityAccounts1763800000001 implements MigrationInterface {
  name = 'IdentityAccounts1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".identities (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
        password_hash text,
        first_name text NOT NULL,
        last_name text NOT NULL,
        phone text,
        phone_verified_at timestamptz,
        language text,
        country text,
        postal_code text,
        date_of_birth date,
        public_profile boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".market_accounts (
        id uuid PRIMARY KEY,
        identity_id uuid NOT NULL REFERENCES "${s}".identities (id) ON DELETE CASCADE,
        market text NOT NULL,
        link_status text NOT NULL CHECK (link_status IN ('linked', 'refused')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (identity_id, market)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".market_accounts`);
    await queryRunner.query(`DROP TABLE "${s}".identities`);
  }
}
