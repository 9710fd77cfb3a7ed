import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CAT-2: an organizer's agreed service fee. One agreement per organization and currency (a fixed part
 * only makes sense in one currency's minor units); the event's country still decides VAT (PAY-10).
 * The checks mirror libs/fees `withOverride`, so a row the database holds is always one it accepts.
 */
export class FeeOverrides1764000000001 implements MigrationInterface {
  name = 'FeeOverrides1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".fee_overrides (
        organization_id uuid NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        percent_bp int NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
        fixed_minor bigint NOT NULL CHECK (fixed_minor >= 0),
        reason text NOT NULL,
        set_by uuid NOT NULL,
        set_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, currency)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".fee_overrides`);
  }
}
