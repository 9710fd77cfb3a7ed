import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1764000000000 implements MigrationInterface {
  name = 'Catalog1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".events (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        country text NOT NULL,
        currency text NOT NULL,
        venue text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at >= starts_at),
        fee_mode text NOT NULL CHECK (fee_mode IN ('included', 'passed_on')),
        transfers_allowed boolean NOT NULL,
        advertising_enabled boolean NOT NULL,
        e_invoice_enabled boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
        refund_policy_version int NOT NULL,
        legal_entity text NOT NULL,
        cancel_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX events_organization ON "${s}".events (organization_id)`);
    await queryRunner.query(`CREATE INDEX events_search ON "${s}".events (status, country, starts_at)`);
    await queryRunner.query(`
      CREATE TABLE "${s}".refund_policies (
        event_id uuid NOT NULL REFERENCES "${s}".events (id) ON DELETE CASCADE,
        version int NOT NULL,
        policy jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".ticket_types (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES "${s}".events (id) ON DELETE CASCADE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('single', 'subscription')),
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        capacity int NOT NULL CHECK (capacity >= 0),
        sales_start_at timestamptz NOT NULL,
        sales_end_at timestamptz NOT NULL CHECK (sales_end_at > sales_start_at),
        binding_months int,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ticket_types_event ON "${s}".ticket_types (event_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".ticket_types`);
    await queryRunner.query(`DROP TABLE "${s}".refund_policies`);
    await queryRunner.query(`DROP TABLE "${s}".events`);
  }
}
