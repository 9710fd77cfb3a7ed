import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seats gone per ticket type as orders last reported them (orders.availability.v1), with the time
 * orders counted them, so a late, older report never overwrites a newer one.
 */
export class TicketTypesSold1764000000002 implements MigrationInterface {
  name = 'TicketTypesSold1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".ticket_types ADD COLUMN sold int NOT NULL DEFAULT 0, ADD COLUMN sold_as_of timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".ticket_types DROP COLUMN sold, DROP COLUMN sold_as_of`);
  }
}
