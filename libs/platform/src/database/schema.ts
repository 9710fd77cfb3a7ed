import type { QueryRunner } from 'typeorm';

/** The schema a migration writes to: the service's own, from its DataSource options. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error('Migrations need the DataSource option `schema` (the service schema).');
  }
  return schema;
}
