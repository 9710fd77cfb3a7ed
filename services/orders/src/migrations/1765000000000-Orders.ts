import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Orders1765000000000 implements MigrationInterface {
  name = 'Orders1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // Read model of catalog.event.v1: what checkout needs, never catalog's own tables.
    await queryRunner.query(`
      CREATE TABLE "${s}".events (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        title text NOT NULL,
        country text NOT NULL,
        currency text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        fee_mode text NOT NULL,
        transfers_allowed boolean NOT NULL,
        advertising_enabled boolean NOT NULL,
        e_invoice_enabled boolean NOT NULL,
        refund_policy_version int NOT NULL,
        status text NOT NULL,
        legal_entity text NOT NULL,
        snapshot_at timestamptz NOT NULL
      )`);
    // One row per ticket type is the unit of contention: a sale is one conditional UPDATE of it
    // (ORD-2: never oversold), so buyers of different ticket types never wait for each other.
    await queryRunner.query(`
      CREATE TABLE "${s}".ticket_types (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES "${s}".events (id),
        name text NOT NULL,
        kind text NOT NULL,
        price_minor bigint NOT NULL,
        capacity int NOT NULL,
        taken int NOT NULL DEFAULT 0 CHECK (taken >= 0),
        sales_start_at timestamptz NOT NULL,
        sales_end_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ticket_types_event ON "${s}".ticket_types (event_id)`);
    await queryRunner.query(`
      CREATE TABLE "${s}".orders (
        id uuid PRIMARY KEY,
        confirmation_number text NOT NULL UNIQUE,
        event_id uuid NOT NULL REFERENCES "${s}".events (id),
        organization_id uuid NOT NULL,
        market text NOT NULL,
        legal_entity text NOT NULL,
        language text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'payment_failed', 'awaiting_invoice_payment',
          'refunded', 'partially_refunded', 'cancelled')),
        buyer_email text NOT NULL,
        buyer_email_normalized text NOT NULL,
        buyer_first_name text NOT NULL,
        buyer_last_name text NOT NULL,
        buyer_identity_id uuid,
        owner_identity_id uuid,
        payment_method text NOT NULL,
        payment_token text,
        payment_id uuid,
        decline_code text,
        currency text NOT NULL,
        fee_mode text NOT NULL,
        face_value_minor bigint NOT NULL,
        service_fee_minor bigint NOT NULL,
        platform_fee_minor bigint NOT NULL,
        platform_fee_vat_minor bigint NOT NULL,
        add_ons jsonb NOT NULL,
        add_ons_minor bigint NOT NULL,
        add_ons_vat_minor bigint NOT NULL,
        alt_payment_fee_minor bigint NOT NULL,
        alt_payment_fee_vat_minor bigint NOT NULL,
        advertising_fee_minor bigint NOT NULL,
        advertising_fee_vat_minor bigint NOT NULL,
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        organizer_share_minor bigint NOT NULL,
        source jsonb NOT NULL,
        advertising boolean NOT NULL,
        refund_policy_version int NOT NULL,
        organizer_marketing_opt_in boolean NOT NULL,
        invoice jsonb,
        idempotency_key text UNIQUE,
        request_hash text NOT NULL,
        hold_expires_at timestamptz,
        payment_attempted_at timestamptz,
        created_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text
      )`);
    await queryRunner.query(
      `CREATE INDEX orders_owner ON "${s}".orders (owner_identity_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX orders_buyer_identity ON "${s}".orders (buyer_identity_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX orders_event ON "${s}".orders (event_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX orders_unowned_email ON "${s}".orders (buyer_email_normalized) WHERE owner_identity_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX orders_pending_holds ON "${s}".orders (hold_expires_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".order_lines (
        order_id uuid NOT NULL REFERENCES "${s}".orders (id),
        ticket_type_id uuid NOT NULL REFERENCES "${s}".ticket_types (id),
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL,
        unit_fee_minor bigint NOT NULL,
        unit_fee_vat_minor bigint NOT NULL,
        PRIMARY KEY (order_id, ticket_type_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".tickets (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES "${s}".orders (id),
        event_id uuid NOT NULL,
        ticket_type_id uuid NOT NULL,
        code text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('valid', 'used', 'void', 'transferred')),
        holder_email text NOT NULL,
        holder_email_normalized text NOT NULL,
        holder_first_name text NOT NULL,
        holder_last_name text NOT NULL,
        holder_identity_id uuid,
        transferred_from uuid REFERENCES "${s}".tickets (id),
        transferred_to uuid REFERENCES "${s}".tickets (id),
        checked_in_at timestamptz,
        voided_at timestamptz,
        void_reason text,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX tickets_order ON "${s}".tickets (order_id, created_at)`);
    await queryRunner.query(
      `CREATE INDEX tickets_unowned_email ON "${s}".tickets (holder_email_normalized) WHERE holder_identity_id IS NULL`,
    );
    // ID-13/ID-14: which identity an e-mail's purchases belong to, from identity.identity.v1.
    await queryRunner.query(`
      CREATE TABLE "${s}".identity_emails (
        email_normalized text PRIMARY KEY,
        identity_id uuid NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['identity_emails', 'tickets', 'order_lines', 'orders', 'ticket_types', 'events']) {
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
    }
  }
}
