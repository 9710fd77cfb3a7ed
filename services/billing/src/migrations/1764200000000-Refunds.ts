import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds through the API (POST /v1/payments/{id}/refunds): a refund attempt keeps the hash of the
 * request that asked for it and its reason, so a repeat of the Idempotency-Key is recognised by
 * billing itself (not only by the platform's interceptor) and another body under it is refused.
 */
export class Refunds1764200000000 implements MigrationInterface {
  name = 'Refunds1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".payment_attempts ADD COLUMN request_hash text`);
    await queryRunner.query(`ALTER TABLE "${s}".payment_attempts ADD COLUMN reason text`);
    // The provider key of a refund is derived from the request's Idempotency-Key: one succeeded
    // refund per key and payment, whatever reaches the database, so a key never refunds twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX payment_attempts_refund_once ON "${s}".payment_attempts (payment_id, idempotency_key)
        WHERE kind = 'refund' AND outcome = 'succeeded'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX "${s}".payment_attempts_refund_once`);
    await queryRunner.query(`ALTER TABLE "${s}".payment_attempts DROP COLUMN reason`);
    await queryRunner.query(`ALTER TABLE "${s}".payment_attempts DROP COLUMN request_hash`);
  }
}
