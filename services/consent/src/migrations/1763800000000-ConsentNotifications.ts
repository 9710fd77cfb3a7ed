import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentNotifications1763800000000 implements MigrationInterface {
  name = 'ConsentNotifications1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".notifications (
        id uuid PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        template text NOT NULL,
        kind text NOT NULL,
        market text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('sent', 'suppressed')),
        reason text,
        transport text,
        provider_message_id text,
        requested_by text NOT NULL,
        source_event_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_recipient ON "${s}".notifications (recipient, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".notifications`);
  }
}
