import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ID-17, CON-6: an erased identity keeps its row (ids stay valid elsewhere) but no personal data. */
export class Erasure1763900000004 implements MigrationInterface {
  name = 'Erasure1763900000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // erasure_id is kept so that a repeated DELETE /v1/me answers with the same erasure, not a new one.
    await queryRunner.query(`
      ALTER TABLE "${s}".identities
        ADD COLUMN erased_at timestamptz,
        ADD COLUMN erasure_id uuid,
        ADD CONSTRAINT identities_erasure_complete CHECK ((erased_at IS NULL) = (erasure_id IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      ALTER TABLE "${s}".identities
        DROP CONSTRAINT identities_erasure_complete,
        DROP COLUMN erasure_id,
        DROP COLUMN erased_at`);
  }
}
