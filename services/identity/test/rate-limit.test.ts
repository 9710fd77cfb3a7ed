/**
 * libs/platform's RateLimiter against real Postgres, in a throwaway schema with only its own
 * migration: the limit holds under concurrency, windows roll over on the injected clock, and
 * repeated offences get growing cool-downs.
 */
import { randomUUID } from 'node:crypto';
import { FixedClock, RateLimiter, RateLimitPolicy, RateLimitTables1763600000002 } from '@ticketry/platform';
import { currentInfra } from '@ticketry/testing';
import { DataSource } from 'typeorm';

const schema = `rl_test_${randomUUID().slice(0, 8)}`;
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = new DataSource({
    type: 'postgres',
    url: currentInfra().adminDatabaseUrl,
    schema,
    migrations: [RateLimitTables1763600000002],
    installExtensions: false,
    extra: { max: 20 },
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations();
});

afterAll(async () => {
  await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource?.destroy();
});

function setup(start = '2026-11-21T12:00:00Z') {
  const clock = new FixedClock(start);
  return { clock, limiter: new RateLimiter(dataSource, clock), key: `test:${randomUUID()}` };
}

async function consumeTimes(limiter: RateLimiter, key: string, policy: RateLimitPolicy, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i += 1) decisions.push(await limiter.consume(key, policy));
  return decisions;
}

describe('RateLimiter', () => {
  it('allows up to the limit in a window and refuses the next until the window ends', async () => {
    const { limiter, key, clock } = setup();
    const policy = { limit: 3, windowSeconds: 60 };
    const decisions = await consumeTimes(limiter, key, policy, 3);
    expect(decisions).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    clock.advanceMs(20_000);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 40,
      remaining: 0,
    });
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 40,
      remaining: 0,
    });
  });

  it('lets exactly the limit through when 50 calls arrive at once', async () => {
    const { limiter, key } = setup();
    const policy = { limit: 10, windowSeconds: 60, coolDownSeconds: [60] };
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(key, policy)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(40);
    const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts a new window once the old one has passed (clock time, not database time)', async () => {
    const { limiter, key, clock } = setup();
    const policy = { limit: 2, windowSeconds: 3600 };
    await consumeTimes(limiter, key, policy, 2);
    expect((await limiter.consume(key, policy)).allowed).toBe(false);
    clock.advanceMs(3_599_000);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
      remaining: 0,
    });
    clock.advanceMs(1_000);
    expect(await limiter.consume(key, policy)).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.consume(key, policy)).toEqual({ allowed: true, remaining: 0 });
    expect((await limiter.consume(key, policy)).allowed).toBe(false);
  });

  it('blocks for growing cool-downs: 60 s for the first offence, 300 s for the second', async () => {
    const { limiter, key, clock } = setup();
    const policy = { limit: 2, windowSeconds: 3600, coolDownSeconds: [60, 300, 3600] };
    await consumeTimes(limiter, key, policy, 2);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
      remaining: 0,
    });
    clock.advanceMs(59_000);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
      remaining: 0,
    });
    clock.advanceMs(1_000);
    // The block is over and the key starts a fresh window.
    expect(await consumeTimes(limiter, key, policy, 2)).toEqual([
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 300,
      remaining: 0,
    });
    clock.advanceMs(300_000);
    await consumeTimes(limiter, key, policy, 2);
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 3600,
      remaining: 0,
    });
    clock.advanceMs(3_600_000);
    await consumeTimes(limiter, key, policy, 2);
    // The last cool-down repeats.
    expect(await limiter.consume(key, policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 3600,
      remaining: 0,
    });
  });

  it('forgets strikes after a quiet period, so the ladder starts over at the first cool-down', async () => {
    const { limiter, key, clock } = setup();
    const policy = { limit: 1, windowSeconds: 60, coolDownSeconds: [60, 300], strikeDecaySeconds: 3600 };
    await consumeTimes(limiter, key, policy, 1);
    expect((await limiter.consume(key, policy)).retryAfterSeconds).toBe(60);
    clock.advanceMs((60 + 3600) * 1000);
    await consumeTimes(limiter, key, policy, 1);
    expect((await limiter.consume(key, policy)).retryAfterSeconds).toBe(60);
    clock.advanceMs((60 + 3599) * 1000);
    await consumeTimes(limiter, key, policy, 1);
    expect((await limiter.consume(key, policy)).retryAfterSeconds).toBe(300);
  });

  it('peeks without consuming', async () => {
    const { limiter, key } = setup();
    const policy = { limit: 2, windowSeconds: 60, coolDownSeconds: [120] };
    expect(await limiter.peek(key, policy)).toEqual({ allowed: true, remaining: 2 });
    await limiter.consume(key, policy);
    expect(await limiter.peek(key, policy)).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.peek(key, policy)).toEqual({ allowed: true, remaining: 1 });
    await limiter.consume(key, policy);
    expect(await limiter.peek(key, policy)).toEqual({ allowed: false, retryAfterSeconds: 60, remaining: 0 });
    await limiter.consume(key, policy);
    expect(await limiter.peek(key, policy)).toEqual({ allowed: false, retryAfterSeconds: 120, remaining: 0 });
  });

  it('reset clears the count, the block and the strikes (e.g. after a successful login)', async () => {
    const { limiter, key } = setup();
    const policy = { limit: 1, windowSeconds: 600, coolDownSeconds: [60, 300] };
    await consumeTimes(limiter, key, policy, 2);
    expect((await limiter.peek(key, policy)).allowed).toBe(false);
    await limiter.reset(key);
    expect(await limiter.consume(key, policy)).toEqual({ allowed: true, remaining: 0 });
    expect((await limiter.consume(key, policy)).retryAfterSeconds).toBe(60);
  });

  it('keeps keys apart and counts inside the caller transaction, undone by its rollback', async () => {
    const { limiter, key } = setup();
    const other = `${key}:other`;
    const policy = { limit: 1, windowSeconds: 60 };
    await limiter.consume(key, policy);
    expect((await limiter.consume(other, policy)).allowed).toBe(true);
    const third = `${key}:tx`;
    await expect(
      dataSource.transaction(async (manager) => {
        expect((await limiter.consume(third, policy, { manager })).allowed).toBe(true);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await limiter.peek(third, policy)).toEqual({ allowed: true, remaining: 1 });
  });

  it('prunes rows left untouched for long, but not blocked ones', async () => {
    const { limiter, key, clock } = setup('2020-01-01T00:00:00Z');
    const blocked = `${key}:blocked`;
    await limiter.consume(key, { limit: 5, windowSeconds: 60 });
    await consumeTimes(limiter, blocked, { limit: 1, windowSeconds: 60, coolDownSeconds: [10 * 86_400] }, 2);
    clock.advanceMs(2 * 86_400_000);
    expect(await limiter.prune(86_400)).toBeGreaterThanOrEqual(1);
    const keys = (await dataSource.query(`SELECT key FROM "${schema}".rate_limits WHERE key LIKE $1`, [
      `${key}%`,
    ])) as { key: string }[];
    expect(keys.map((k) => k.key)).toEqual([blocked]);
  });

  it('refuses a policy that is not positive whole numbers', async () => {
    const { limiter, key } = setup();
    await expect(limiter.consume(key, { limit: 0, windowSeconds: 60 })).rejects.toThrow(/Invalid rate-limit/);
    await expect(
      limiter.consume(key, { limit: 1, windowSeconds: 60, coolDownSeconds: [1.5] }),
    ).rejects.toThrow(/Invalid rate-limit/);
  });
});
