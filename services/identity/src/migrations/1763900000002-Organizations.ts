import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Organizations1763900000002 implements MigrationInterface {
  name = 'Organizations1763900000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        legal_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // ID-16: one role per member; added_by records which member let them in (null for the founder).
    await queryRunner.query(`
      CREATE TABLE "${s}".organization_members (
        organization_id uuid NOT NULL REFERENCES "${s}".organizations (id) ON DELETE CASCADE,
        identity_id uuid NOT NULL REFERENCES "${s}".identities (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'manager', 'finance', 'scanner')),
        added_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, identity_id)
      )`);
    // Tokens are issued with the caller's memberships: looked up by identity on every login and refresh.
    await queryRunner.query(
      `CREATE INDEX organization_members_identity ON "${s}".organization_members (identity_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".api_clients (
        client_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES "${s}".organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        secret_hash text NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
        scopes text[] NOT NULL DEFAULT '{}',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_clients_organization ON "${s}".api_clients (organization_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".api_clients`);
    await queryRunner.query(`DROP TABLE "${s}".organization_members`);
    await queryRunner.query(`DROP TABLE "${s}".organizations`);
  }
}
