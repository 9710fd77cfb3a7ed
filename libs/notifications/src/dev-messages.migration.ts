import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `"<schema>".dev_messages` when the DataSource names a schema (every Ticketry service does), else
 * the bare name so the connection's search_path decides. Quoted, so any schema name is safe.
 */
function devMessagesTable(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: unknown }).schema;
  return typeof schema === 'string' && schema !== ''
    ? `"${schema.replace(/"/g, '""')}".dev_messages`
    : 'dev_messages';
}

/** The dev message sink (api.md, Conventions). Services list it in their migrations. */
export class DevMessagesMigration1763700000000 implements MigrationInterface {
  name = 'DevMessagesMigration1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = devMessagesTable(queryRunner);
    // clock_timestamp(), not now(): several messages sent in one transaction still get distinct,
    // ordered times, so "newest first" holds for them too.
    await queryRunner.query(`
      CREATE TABLE ${table} (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
        to_address text NOT NULL,
        subject text,
        body text NOT NULL,
        template text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT dev_messages_idempotency_key_unique UNIQUE (idempotency_key)
      )`);
    // The sink is searched by recipient, case-insensitively for e-mail addresses.
    await queryRunner.query(
      `CREATE INDEX dev_messages_to_created ON ${table} (lower(to_address), created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX dev_messages_created ON ${table} (created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${devMessagesTable(queryRunner)}`);
  }
}
