import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CAT-2: the organizer's fee agreement, as catalog publishes it with each event. */
export class EventFeeOverride1765200000000 implements MigrationInterface {
  name = 'EventFeeOverride1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".events ADD COLUMN fee_override_percent_bp int, ADD COLUMN fee_override_fixed_minor bigint`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".events DROP COLUMN fee_override_percent_bp, DROP COLUMN fee_override_fixed_minor`,
    );
  }
}
