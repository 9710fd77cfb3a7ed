import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, inbox and dead letters: every service has them in its own schema. */
export class MessagingTables1763600000001 implements MigrationInterface {
  name = 'MessagingTables1763600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".outbox (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        topic text NOT NULL,
        key text NOT NULL,
        event_type text NOT NULL,
        payload bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        dead_at timestamptz
      )`);
    // The relay scans only what is still to send; published rows are pruned later.
    await queryRunner.query(
      `CREATE INDEX outbox_pending ON "${s}".outbox (seq) WHERE published_at IS NULL AND dead_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_published_at ON "${s}".outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".inbox (
        event_id uuid PRIMARY KEY,
        topic text NOT NULL,
        event_type text NOT NULL,
        outcome text NOT NULL DEFAULT 'processed' CHECK (outcome IN ('processed', 'dead_lettered')),
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".dead_letters (
        id uuid PRIMARY KEY,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        topic text NOT NULL,
        key text,
        event_id text,
        event_type text,
        payload bytea,
        headers jsonb NOT NULL DEFAULT '{}',
        error text NOT NULL,
        attempts int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".dead_letters`);
    await queryRunner.query(`DROP TABLE "${s}".inbox`);
    await queryRunner.query(`DROP TABLE "${s}".outbox`);
  }
}
