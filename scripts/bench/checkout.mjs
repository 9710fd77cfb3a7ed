#!/usr/bin/env node
// Benchmarks checkout under a sale rush against a running platform (npm start), then runs pgbench on
// the same machine for a ceiling to compare with:
//   1. setup: an organizer (identity), an SE/SEK event with the fee passed on, one `single` ticket type
//      of --seats seats on sale now, published (catalog); then waits until orders' read model knows it
//      (GET /v1/events/{id}/availability answers 200, fed from catalog.event.v1 over Kafka).
//   2. burst: --buyers guests each POST /v1/orders for one ticket (card, tok_visa, own Idempotency-Key),
//      --concurrency at a time, fired as fast as possible. Answers: 201 confirmed, 202 pending,
//      409 sold_out, anything else an error (broken down by status and problem code).
//   3. prints wall time, confirmed orders/s, p50/p99 latency (all and confirmed), sold_out, errors and
//      sold vs capacity (sold = confirmed + pending, and orders' own availability figure after the
//      burst); OVERSOLD is flagged loudly (ORD-2: capacity is never oversold) and exits 2.
//   4. pgbench: a single-row conditional decrement (`UPDATE stock SET taken = taken + 1 WHERE id = 1
//      AND taken + 1 <= capacity`, the least work that takes a seat safely) in a scratch database
//      `ticketry_bench` (created when missing), with the burst's client count (capped at 100 and at
//      the free connection slots), for --pgbench-seconds; prints its tps beside checkout's
//      confirmed orders/s and the ratio. Skipped with a note when pgbench is not installed.
// Usage: node scripts/bench/checkout.mjs [--buyers 2000] [--seats 1000] [--concurrency 200]
//          [--pgbench-seconds 10] [--identity http://127.0.0.1:3001] [--catalog http://127.0.0.1:3002]
//          [--orders http://127.0.0.1:3003] [--wait-seconds 60] [--setup-only] [--pgbench-only]
//   --pgbench-seconds 0 skips pgbench; --setup-only stops after orders knows the event (no seat is
//   taken); --pgbench-only runs step 4 alone (its client count is --concurrency, capped).
//   Postgres for pgbench: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), trust auth.
// Requests use Node's global fetch, whose default dispatcher opens as many connections per origin as
// there are requests in flight, so --concurrency really is the number of open connections.
// Bounded: every request has a timeout and the script stops by itself.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `--name value` pairs, as in identity.mjs; a flag followed by another flag (or nothing) is `true`.
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (pairs, arg, i, all) =>
        arg.startsWith('--')
          ? [
              ...pairs,
              [arg.slice(2), all[i + 1] === undefined || all[i + 1].startsWith('--') ? 'true' : all[i + 1]],
            ]
          : pairs,
      [],
    ),
);
const identityUrl = args.identity ?? process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001';
const catalogUrl = args.catalog ?? process.env.CATALOG_URL ?? 'http://127.0.0.1:3002';
const ordersUrl = args.orders ?? process.env.ORDERS_URL ?? 'http://127.0.0.1:3003';
const buyers = Number(args.buyers ?? 2000);
const seats = Number(args.seats ?? 1000);
const concurrency = Number(args.concurrency ?? 200);
const pgbenchSeconds = Number(args['pgbench-seconds'] ?? 10);
const waitSeconds = Number(args['wait-seconds'] ?? 60);
const setupOnly = args['setup-only'] === 'true';
const pgbenchOnly = args['pgbench-only'] === 'true';
const PG = {
  PGHOST: process.env.PGHOST ?? '127.0.0.1',
  PGPORT: process.env.PGPORT ?? '5432',
  PGUSER: process.env.PGUSER ?? 'postgres',
};
const BENCH_DB = 'ticketry_bench';
const PG_CLIENT_CAP = 100;
const REQUEST_TIMEOUT_MS = 60_000;
const PASSWORD = 'bench-passphrase-long-enough';
const PRICE_MINOR = 35000;
const run = randomUUID().slice(0, 8);

for (const [name, value, min] of [
  ['buyers', buyers, 1],
  ['seats', seats, 1],
  ['concurrency', concurrency, 1],
  ['pgbench-seconds', pgbenchSeconds, 0],
  ['wait-seconds', waitSeconds, 1],
]) {
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number, at least ${min}`);
    process.exit(1);
  }
}

async function request(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  return { status: response.status, body: parsed };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** Throws with the step, the answer and a hint when a setup call does not answer `expected`. */
async function expectStatus(step, expected, call) {
  let answer;
  try {
    answer = await call();
  } catch (error) {
    throw new Error(`setup: ${step}: ${error.cause?.code ?? error.message} (is the service running?)`);
  }
  if (answer.status !== expected)
    throw new Error(`setup: ${step} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

let phoneSeq = Math.floor(Math.random() * 9000);
function phone() {
  phoneSeq = (phoneSeq + 1) % 10_000;
  const tail = String(Date.now() % 100_000).padStart(5, '0') + String(phoneSeq).padStart(4, '0');
  return `+4670${tail.slice(-7)}`;
}

/** Organizer, organization, published event with one ticket type; as test/e2e/catalog-events.test.ts. */
async function setup() {
  const email = `bench+${run}-organizer@example.test`;
  const login = () =>
    request('POST', `${identityUrl}/v1/auth/login`, { email, password: PASSWORD, market: 'se' });
  await expectStatus('POST /v1/accounts', 201, () =>
    request('POST', `${identityUrl}/v1/accounts`, {
      email,
      password: PASSWORD,
      market: 'se',
      firstName: 'Bench',
      lastName: 'Organizer',
      phone: phone(),
    }),
  );
  const first = (await expectStatus('POST /v1/auth/login', 200, login)).accessToken;
  const { organizationId } = await expectStatus('POST /v1/organizations', 201, () =>
    request(
      'POST',
      `${identityUrl}/v1/organizations`,
      { name: `Bench ${run}`, country: 'SE' },
      bearer(first),
    ),
  );
  // A new login puts the owner membership into the token.
  const token = (await expectStatus('POST /v1/auth/login (with membership)', 200, login)).accessToken;

  const start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const { eventId } = await expectStatus('POST /v1/events', 201, () =>
    request(
      'POST',
      `${catalogUrl}/v1/events`,
      {
        organizationId,
        title: `Checkout bench ${run}`,
        description: 'A sale rush for the checkout benchmark.',
        category: 'concert',
        country: 'SE',
        currency: 'SEK',
        venue: 'Konserthuset, Stockholm',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3 * 3600 * 1000).toISOString(),
        feeMode: 'passed_on',
        refundPolicy: {
          kind: 'until_days_before',
          daysBefore: 7,
          text:
            'Refunds of the ticket price until 7 days before the event. If the event is cancelled or does not take ' +
            'place as advertised, you always get your money back. Ask by e-mail to the organizer; we answer within ' +
            '5 business days.',
          responseBusinessDays: 5,
          contact: 'tickets@example.test',
        },
        transfersAllowed: true,
        advertisingEnabled: false,
        eInvoiceEnabled: false,
      },
      bearer(token),
    ),
  );
  const { ticketTypeId } = await expectStatus('POST /v1/events/{id}/ticket-types', 201, () =>
    request(
      'POST',
      `${catalogUrl}/v1/events/${eventId}/ticket-types`,
      {
        name: 'Ståplats',
        kind: 'single',
        priceMinor: PRICE_MINOR,
        capacity: seats,
        salesStartAt: new Date(Date.now() - 3600 * 1000).toISOString(),
        salesEndAt: new Date(Date.now() + 29 * 24 * 3600 * 1000).toISOString(),
      },
      bearer(token),
    ),
  );
  await expectStatus('POST /v1/events/{id}/publish', 200, () =>
    request('POST', `${catalogUrl}/v1/events/${eventId}/publish`, undefined, bearer(token)),
  );
  return { eventId, ticketTypeId };
}

/** Orders learns of the event from Kafka: poll its availability (no probe order: it would take a seat). */
async function waitForOrders(eventId, ticketTypeId) {
  const deadline = performance.now() + waitSeconds * 1000;
  const started = performance.now();
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    try {
      const answer = await request('GET', `${ordersUrl}/v1/events/${eventId}/availability`);
      if (answer.status === 200 && answer.body?.ticketTypes?.some((t) => t.ticketTypeId === ticketTypeId)) {
        return { seconds: (performance.now() - started) / 1000, availability: answer.body };
      }
      last = `${answer.status} ${JSON.stringify(answer.body)}`;
    } catch (error) {
      last = `${error.cause?.code ?? error.message}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `setup: orders at ${ordersUrl} did not know event ${eventId} after ${waitSeconds} s ` +
      `(GET /v1/events/{id}/availability, last answer: ${last.slice(0, 300)}); is orders running and ` +
      `consuming catalog.event.v1?`,
  );
}

function percentiles(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, p50: pick(0.5), p99: pick(0.99), max: sorted.at(-1) };
}

/** Every buyer once, `concurrency` in flight; each answer classified. */
async function burst(eventId, ticketTypeId) {
  const results = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, buyers) }, async () => {
      while (next < buyers) {
        const i = next++;
        const t0 = performance.now();
        let outcome;
        try {
          const answer = await request(
            'POST',
            `${ordersUrl}/v1/orders`,
            {
              eventId,
              market: 'se',
              items: [{ ticketTypeId, quantity: 1 }],
              buyer: { email: `buyer+${run}-${i}@example.test`, firstName: 'Bench', lastName: `Buyer ${i}` },
              paymentMethod: 'card',
              paymentToken: 'tok_visa',
            },
            { 'idempotency-key': randomUUID() },
          );
          const { status, body } = answer;
          if (status === 201 && body?.status === 'confirmed') outcome = 'confirmed';
          else if (status === 202 || (status === 201 && body?.status === 'pending')) outcome = 'pending';
          else if (status === 409 && body?.code === 'sold_out') outcome = 'sold_out';
          else outcome = `error: ${status} ${body?.code ?? body?.status ?? ''}`.trim();
        } catch (error) {
          outcome = `error: ${error.name === 'TimeoutError' ? 'timeout' : (error.cause?.code ?? error.message)}`;
        }
        results.push({ outcome, ms: performance.now() - t0 });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const count = (outcome) => results.filter((r) => r.outcome === outcome).length;
  const errors = {};
  for (const r of results)
    if (r.outcome.startsWith('error: ')) errors[r.outcome.slice(7)] = (errors[r.outcome.slice(7)] ?? 0) + 1;
  return {
    seconds,
    confirmed: count('confirmed'),
    pending: count('pending'),
    soldOut: count('sold_out'),
    errors,
    errorCount: Object.values(errors).reduce((a, b) => a + b, 0),
    all: percentiles(results.map((r) => r.ms)),
    confirmedLatency: percentiles(results.filter((r) => r.outcome === 'confirmed').map((r) => r.ms)),
  };
}

function pg(command, commandArgs, options = {}) {
  return spawnSync(command, commandArgs, {
    encoding: 'utf8',
    env: { ...process.env, ...PG, PGCONNECT_TIMEOUT: '10' },
    ...options,
  });
}

function psql(database, sql) {
  const result = pg('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql]);
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`psql: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Step 4. Returns { tps, clients, ... } or { skipped: reason }. */
function runPgbench(clientsWanted) {
  if (pgbenchSeconds === 0) return { skipped: '--pgbench-seconds 0' };
  const version = pg('pgbench', ['--version']);
  if (version.error?.code === 'ENOENT')
    return { skipped: 'pgbench is not installed (PostgreSQL client tools)' };
  if (version.error) throw version.error;

  const exists = psql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${BENCH_DB}'`);
  if (exists !== '1') {
    const created = pg('createdb', [BENCH_DB]);
    if (created.status !== 0 && !/already exists/.test(created.stderr))
      throw new Error(`createdb ${BENCH_DB}: ${created.stderr.trim()}`);
  }
  psql(
    BENCH_DB,
    'CREATE TABLE IF NOT EXISTS stock (id int PRIMARY KEY, capacity int, taken int); ' +
      'INSERT INTO stock VALUES (1, 2147483647, 0) ON CONFLICT (id) DO UPDATE SET capacity = EXCLUDED.capacity, taken = 0;',
  );

  // Capped at 100, and at the connection slots free right now (pgbench fails outright when one of
  // its clients cannot connect; a running platform holds pools of its own).
  const [maxConnections, reserved, inUse] = psql(
    'postgres',
    "SELECT current_setting('max_connections'), current_setting('superuser_reserved_connections'), " +
      "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')",
  )
    .split('|')
    .map(Number);
  const free = maxConnections - (inUse - 1) - 2; // not counting this query's own connection
  const clients = Math.max(1, Math.min(clientsWanted, PG_CLIENT_CAP, free));
  const note =
    clients < Math.min(clientsWanted, PG_CLIENT_CAP)
      ? `lowered to ${clients}: max_connections ${maxConnections} (${reserved} reserved), ${inUse} in use`
      : '';

  const dir = mkdtempSync(join(tmpdir(), 'ticketry-bench-'));
  try {
    const script = join(dir, 'decrement.sql');
    writeFileSync(script, 'UPDATE stock SET taken = taken + 1 WHERE id = 1 AND taken + 1 <= capacity;\n');
    const threads = Math.min(2, clients);
    console.log(
      `pgbench: ${clients} clients, ${threads} threads, ${pgbenchSeconds} s on ${BENCH_DB}.stock ...`,
    );
    const result = pg(
      'pgbench',
      [
        '-c',
        String(clients),
        '-j',
        String(threads),
        '-T',
        String(pgbenchSeconds),
        '-n',
        '-f',
        script,
        BENCH_DB,
      ],
      { timeout: (pgbenchSeconds + 120) * 1000 },
    );
    if (result.error) throw result.error;
    const tps = /^tps = ([\d.]+)/m.exec(result.stdout);
    if (result.status !== 0 || !tps)
      throw new Error(
        `pgbench exited ${result.status}: ${(result.stderr || result.stdout).trim().slice(-500)}`,
      );
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(result.stdout)?.[1]);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(result.stdout)?.[1]);
    const taken = Number(psql(BENCH_DB, 'SELECT taken FROM stock WHERE id = 1'));
    return { tps: Number(tps[1]), clients, threads, processed, latency, taken, note };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const num = (n, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

function printPgbench(pgb, checkoutPerSecond) {
  if (pgb.skipped) {
    console.log(`pgbench skipped: ${pgb.skipped}`);
    return;
  }
  console.log(
    `pgbench: ${pgb.processed} decrements (stock.taken = ${pgb.taken}), latency average ${num(pgb.latency, 3)} ms` +
      (pgb.note ? ` [clients ${pgb.note}]` : ''),
  );
  const row = (name, clients, perSecond) =>
    `| ${name.padEnd(44)} | ${String(clients).padStart(7)} | ${num(perSecond).padStart(10)} |`;
  console.log('| system                                       | clients | per second |');
  console.log('| -------------------------------------------- | ------- | ---------- |');
  if (checkoutPerSecond !== undefined)
    console.log(row('checkout POST /v1/orders, confirmed orders/s', concurrency, checkoutPerSecond));
  console.log(row('pgbench single-row conditional decrement tps', pgb.clients, pgb.tps));
  if (checkoutPerSecond !== undefined)
    console.log(
      `ratio checkout ÷ pgbench: ${(checkoutPerSecond / pgb.tps).toFixed(4)} ` +
        `(${((100 * checkoutPerSecond) / pgb.tps).toFixed(2)} % of the single-row ceiling)`,
    );
}

async function main() {
  if (pgbenchOnly) {
    printPgbench(runPgbench(concurrency));
    return 0;
  }
  console.log(
    `checkout bench: ${buyers} buyers, ${seats} seats, concurrency ${concurrency}; ` +
      `identity ${identityUrl}, catalog ${catalogUrl}, orders ${ordersUrl}`,
  );
  const { eventId, ticketTypeId } = await setup();
  console.log(
    `setup: event ${eventId}, ticket type ${ticketTypeId} (${seats} seats, SEK ${PRICE_MINOR / 100})`,
  );
  const known = await waitForOrders(eventId, ticketTypeId);
  console.log(
    `setup: orders knows the event after ${num(known.seconds)} s: ${JSON.stringify(known.availability)}`,
  );
  if (setupOnly) return 0;

  const b = await burst(eventId, ticketTypeId);
  const sold = b.confirmed + b.pending;
  const confirmedPerSecond = b.confirmed / b.seconds;
  let after;
  try {
    const answer = await request('GET', `${ordersUrl}/v1/events/${eventId}/availability`);
    after =
      answer.status === 200
        ? answer.body.ticketTypes?.find((t) => t.ticketTypeId === ticketTypeId)
        : undefined;
    if (!after)
      console.log(`availability after the burst answered ${answer.status} ${JSON.stringify(answer.body)}`);
  } catch (error) {
    console.log(`availability after the burst: ${error.cause?.code ?? error.message}`);
  }

  console.log('');
  console.log(`buyers               ${buyers}`);
  console.log(`concurrency          ${concurrency}`);
  console.log(`wall time            ${num(b.seconds, 2)} s`);
  console.log(`confirmed            ${b.confirmed}  (${num(confirmedPerSecond)} confirmed orders/s)`);
  console.log(`pending (202)        ${b.pending}`);
  console.log(`sold_out (409)       ${b.soldOut}`);
  console.log(
    `errors               ${b.errorCount}` +
      (b.errorCount
        ? `  (${Object.entries(b.errors)
            .sort((x, y) => y[1] - x[1])
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')})`
        : ''),
  );
  console.log(`sold vs capacity     ${sold} / ${seats}  (confirmed + pending)`);
  console.log(
    `availability after   ${after ? `sold ${after.sold} / capacity ${after.capacity}, available ${after.available}` : 'unknown'}`,
  );
  console.log('');
  const row = (name, r) =>
    `| ${name.padEnd(34)} | ${String(r.count).padStart(8)} | ${num(r.p50).padStart(7)} | ${num(r.p99).padStart(7)} | ${num(r.max).padStart(7)} |`;
  console.log('| requests                           |  answers | p50 ms  | p99 ms  | max ms  |');
  console.log('| ---------------------------------- | -------- | ------- | ------- | ------- |');
  console.log(row('POST /v1/orders, all answers', b.all));
  console.log(row('POST /v1/orders, confirmed', b.confirmedLatency));
  console.log('');

  const oversold = sold > seats || (after && (after.sold > after.capacity || after.available < 0));
  if (oversold) {
    const line = '!'.repeat(78);
    console.log(line);
    console.log(
      `!!! OVERSOLD: ${sold} sold by the answers, ${after ? `${after.sold} by orders' availability` : 'availability unknown'}, ` +
        `for ${seats} seats (ORD-2) !!!`,
    );
    console.log(line);
    console.log('');
  } else if (b.soldOut > 0 && sold < seats) {
    console.log(
      `note: ${b.soldOut} buyers were told sold_out while only ${sold} of ${seats} seats were sold`,
    );
    console.log('');
  }

  printPgbench(runPgbench(concurrency), confirmedPerSecond);
  return oversold ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench failed: ${error.message}`);
    process.exit(1);
  },
);
