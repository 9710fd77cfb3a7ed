import type { DataSource, EntityManager } from 'typeorm';

/**
 * Orders works in plain SQL: the hot path (a conditional UPDATE per ticket type, one INSERT per
 * table) must be exactly the statements we measured, not what an ORM chooses to emit.
 */
export function schemaName(source: DataSource | EntityManager): string {
  const connection = 'connection' in source ? source.connection : source;
  const schema = (connection.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error('orders needs its DataSource schema option');
  return `"${schema}"`;
}

/** node-postgres returns bigint columns as strings; our amounts are far below 2^53. */
export function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(value)}`);
  return n;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.code ?? e.driverError?.code;
  const name = e.constraint ?? e.driverError?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}

/**
 * Rows of any statement: TypeORM answers UPDATE/DELETE … RETURNING with `[rows, affectedCount]`
 * and everything else with the rows.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
