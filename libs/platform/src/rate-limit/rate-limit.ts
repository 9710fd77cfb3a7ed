import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock/clock';

/**
 * How much a key may do: at most `limit` consumptions per fixed window of `windowSeconds`,
 * starting at the key's first consumption in that window.
 *
 * Without `coolDownSeconds` a refused key waits for its window to end. With it, the first
 * consumption over the limit blocks the key for `coolDownSeconds[0]`, the next offence (after the
 * block, with a fresh window) for `coolDownSeconds[1]`, and so on, staying at the last entry
 * (e.g. [60, 300, 3600]). Each block is a *strike*. Strikes are forgotten once the key has gone
 * `strikeDecaySeconds` (default 24 hours) after its last block ended without being blocked again,
 * so the ladder starts over at the first cool-down.
 */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
  coolDownSeconds?: readonly number[];
  strikeDecaySeconds?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the key may try again; only when refused (fit for `Retry-After`). */
  retryAfterSeconds?: number;
  /** Consumptions left in the current window (0 when refused). */
  remaining: number;
}

export const DEFAULT_STRIKE_DECAY_SECONDS = 24 * 60 * 60;

interface RateLimitRow {
  window_start: Date;
  count: number;
  blocked_until: Date | null;
  strikes: number;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function checkPolicy(policy: RateLimitPolicy): void {
  const ok =
    isPositiveInteger(policy.limit) &&
    isPositiveInteger(policy.windowSeconds) &&
    (policy.coolDownSeconds ?? []).every(isPositiveInteger) &&
    (policy.strikeDecaySeconds === undefined || isPositiveInteger(policy.strikeDecaySeconds));
  if (!ok) {
    throw new Error(`Invalid rate-limit policy ${JSON.stringify(policy)}: use positive whole numbers.`);
  }
}

function secondsUntil(later: Date, now: Date): number {
  return Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000));
}

/**
 * A fixed-window rate limiter with growing cool-downs, kept in the service's `rate_limits` table
 * (RateLimitTables1763600000002) so all replicas share the counts. `consume` is one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock serialises concurrent calls on a key,
 * so a limit of 10 lets exactly 10 through however many arrive at once. Time is the injected
 * clock's, passed to SQL as a parameter (never SQL `now()`), so tests and `asOf` runs can move it.
 *
 * Given `options.manager`, the statement runs in the caller's transaction: a rollback undoes the
 * consumption, and the key's row stays locked until that transaction ends.
 */
export class RateLimiter {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    const schema = (dataSource.options as { schema?: string }).schema;
    if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new Error('RateLimiter needs the DataSource option `schema` (the service schema).');
    }
    this.table = `"${schema}".rate_limits`;
  }

  /** Counts one use of `key` and says whether it is allowed. */
  async consume(
    key: string,
    policy: RateLimitPolicy,
    options: { manager?: EntityManager } = {},
  ): Promise<RateLimitDecision> {
    checkPolicy(policy);
    const now = this.clock.now();
    const coolDowns = [...(policy.coolDownSeconds ?? [])];
    // $1 key, $2 now, $3 limit, $4 window seconds, $5 cool-downs, $6 strike decay seconds.
    // Every SET expression sees the row as it was before this statement (t.*).
    const blocked = `(t.blocked_until IS NOT NULL AND t.blocked_until > $2::timestamptz)`;
    const fresh = `(t.window_start + $4::int * interval '1 second' <= $2::timestamptz)`;
    const nextCount = `(CASE WHEN ${fresh} THEN 1 ELSE t.count + 1 END)`;
    const exceeded = `(NOT ${blocked} AND ${nextCount} > $3::int)`;
    const hasCoolDown = `(cardinality($5::int[]) > 0)`;
    const strikes = `(CASE WHEN t.blocked_until IS NOT NULL
        AND t.blocked_until + $6::int * interval '1 second' <= $2::timestamptz THEN 0 ELSE t.strikes END)`;
    const blockEnds = `($2::timestamptz + ($5::int[])[LEAST(${strikes} + 1, cardinality($5::int[]))] * interval '1 second')`;
    const sql = `
      INSERT INTO ${this.table} AS t (key, window_start, count, blocked_until, strikes, updated_at)
      VALUES ($1, $2::timestamptz, 1, NULL, 0, $2::timestamptz)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE
          WHEN ${blocked} THEN t.count
          WHEN ${exceeded} AND ${hasCoolDown} THEN 0
          WHEN ${exceeded} THEN $3::int + 1
          ELSE ${nextCount} END,
        window_start = CASE
          WHEN ${blocked} THEN t.window_start
          WHEN ${exceeded} AND ${hasCoolDown} THEN ${blockEnds}
          WHEN ${fresh} THEN $2::timestamptz
          ELSE t.window_start END,
        blocked_until = CASE
          WHEN ${exceeded} AND ${hasCoolDown} THEN ${blockEnds}
          ELSE t.blocked_until END,
        strikes = CASE
          WHEN ${blocked} THEN t.strikes
          WHEN ${exceeded} AND ${hasCoolDown} THEN ${strikes} + 1
          ELSE ${strikes} END,
        updated_at = $2::timestamptz
      RETURNING window_start, count, blocked_until, strikes`;
    const params = [
      key,
      now.toISOString(),
      policy.limit,
      policy.windowSeconds,
      coolDowns,
      policy.strikeDecaySeconds ?? DEFAULT_STRIKE_DECAY_SECONDS,
    ];
    const rows = (await (options.manager ?? this.dataSource.manager).query(sql, params)) as RateLimitRow[];
    // After the statement: blocked (now or just now) → refused until the block ends; a count over
    // the limit (only without cool-downs) → refused until the window ends; otherwise allowed.
    return this.decide(rows[0], policy, now, false);
  }

  /**
   * Whether the next `consume` would be allowed, without counting anything. When it would be
   * refused, `retryAfterSeconds` is the end of the current block or window (a `consume` over the
   * limit would start a cool-down instead).
   */
  async peek(
    key: string,
    policy: RateLimitPolicy,
    options: { manager?: EntityManager } = {},
  ): Promise<RateLimitDecision> {
    checkPolicy(policy);
    const rows = (await (options.manager ?? this.dataSource.manager).query(
      `SELECT window_start, count, blocked_until, strikes FROM ${this.table} WHERE key = $1`,
      [key],
    )) as RateLimitRow[];
    return this.decide(rows[0], policy, this.clock.now(), true);
  }

  /** Forgets the key entirely, strikes included (e.g. failed logins after a successful one). */
  async reset(key: string, options: { manager?: EntityManager } = {}): Promise<void> {
    await (options.manager ?? this.dataSource.manager).query(`DELETE FROM ${this.table} WHERE key = $1`, [
      key,
    ]);
  }

  /**
   * Deletes rows untouched for `olderThanSeconds` and not blocked; returns how many. Choose it at
   * least as long as the longest window and strike decay in use, or keys lose their strikes early.
   */
  async prune(olderThanSeconds: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - olderThanSeconds * 1000).toISOString();
    const [, affected] = (await this.dataSource.query(
      `DELETE FROM ${this.table}
       WHERE updated_at < $1::timestamptz AND (blocked_until IS NULL OR blocked_until < $1::timestamptz)`,
      [cutoff],
    )) as [unknown, number];
    return affected;
  }

  private decide(
    row: RateLimitRow | undefined,
    policy: RateLimitPolicy,
    now: Date,
    beforeConsuming: boolean,
  ): RateLimitDecision {
    if (!row) return { allowed: true, remaining: policy.limit - (beforeConsuming ? 0 : 1) };
    if (row.blocked_until && row.blocked_until.getTime() > now.getTime()) {
      return { allowed: false, retryAfterSeconds: secondsUntil(row.blocked_until, now), remaining: 0 };
    }
    const windowEnd = new Date(row.window_start.getTime() + policy.windowSeconds * 1000);
    const used = windowEnd.getTime() <= now.getTime() ? 0 : row.count;
    // After consuming, `used` includes this call, so it may equal the limit; before, it must be below.
    const over = beforeConsuming ? used >= policy.limit : used > policy.limit;
    if (over) return { allowed: false, retryAfterSeconds: secondsUntil(windowEnd, now), remaining: 0 };
    return { allowed: true, remaining: Math.max(0, policy.limit - used) };
  }
}
