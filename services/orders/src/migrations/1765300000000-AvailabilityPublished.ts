import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seat count last sent on orders.availability.v1, per ticket type: the publisher sends only the
 * ticket types whose `taken` moved since, so a sale never writes anything but its own UPDATE.
 */
export class AvailabilityPublished1765300000000 implements MigrationInterface {
  name = 'AvailabilityPublished1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".ticket_types ADD COLUMN published_taken int NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".ticket_types DROP COLUMN published_taken`);
  }
}
