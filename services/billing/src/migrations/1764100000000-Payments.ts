import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1764100000000 implements MigrationInterface {
  name = 'Payments1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // One payment per order: the unique order_id is what makes a duplicate checkout call find the
    // first payment instead of authorising a second time.
    await queryRunner.query(`
      CREATE TABLE "${s}".payments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        method text NOT NULL CHECK (method IN ('card', 'swish', 'mobilepay', 'paypal', 'klarna')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status text NOT NULL CHECK (status IN
          ('pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed')),
        provider text NOT NULL,
        provider_ref text,
        decline_code text,
        buyer_email text NOT NULL,
        buyer_identity_id uuid,
        payment_token text,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        order_outcome text CHECK (order_outcome IN ('confirmed', 'cancelled')),
        requested_action text CHECK (requested_action IN ('capture', 'void')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (requested_action IS NULL
          OR (requested_action = 'capture' AND order_outcome = 'confirmed')
          OR (requested_action = 'void' AND order_outcome = 'cancelled'))
      )`);
    await queryRunner.query(
      `CREATE INDEX payments_pending ON "${s}".payments (created_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_requested ON "${s}".payments (updated_at) WHERE requested_action IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_buyer ON "${s}".payments (buyer_identity_id) WHERE buyer_identity_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".payment_attempts (
        payment_id uuid NOT NULL REFERENCES "${s}".payments (id),
        seq int NOT NULL CHECK (seq >= 1),
        kind text NOT NULL CHECK (kind IN ('authorize', 'capture', 'void', 'refund')),
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'unavailable')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        code text,
        provider_ref text,
        refund_ref text,
        idempotency_key text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (payment_id, seq)
      )`);
    // The sandbox provider's own state (sandbox-store.ts): what a real processor would keep on its
    // side. Only the sandbox adapter reads or writes these two tables.
    await queryRunner.query(`
      CREATE TABLE "${s}".sandbox_payments (
        provider_ref text PRIMARY KEY,
        payment_id text NOT NULL,
        method text NOT NULL,
        status text NOT NULL,
        currency text NOT NULL,
        authorized_minor bigint NOT NULL,
        captured_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL,
        refunds int NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".sandbox_idempotency_keys (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        result jsonb NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".sandbox_idempotency_keys`);
    await queryRunner.query(`DROP TABLE "${s}".sandbox_payments`);
    await queryRunner.query(`DROP TABLE "${s}".payment_attempts`);
    await queryRunner.query(`DROP TABLE "${s}".payments`);
  }
}
