#!/usr/bin/env node
// Benchmarks identity's two hot paths against a running service (npm start), at fixed concurrency:
//   POST /v1/auth/login                 (argon2id verify + token signing + refresh token insert)
//   POST /v1/phone/verifications/check  (row-locked challenge check + phone update + outbox event)
// Usage: node scripts/bench/identity.mjs [--url http://127.0.0.1:3001] [--concurrency 16] [--logins 2000] [--otps 300]
// Prints p50/p99/max latency, throughput and errors per path. Bounded: it stops by itself.
import { randomUUID } from 'node:crypto';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs),
      [],
    ),
);
const url = args.url ?? process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001';
const concurrency = Number(args.concurrency ?? 16);
const loginCount = Number(args.logins ?? 2000);
const otpCount = Number(args.otps ?? 300);
const users = Number(args.users ?? 50);
const PASSWORD = 'bench-passphrase-long-enough';
const run = randomUUID().slice(0, 8);

async function post(path, body, token) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

let phoneSeq = 0;
function phone() {
  phoneSeq += 1;
  return `+4670${String((Date.now() % 1000) * 10000 + phoneSeq)
    .padStart(7, '0')
    .slice(-7)}`;
}

async function pool(total, work) {
  const latencies = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          if (!(await work(i))) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50: pick(0.5),
    p99: pick(0.99),
    max: latencies.at(-1),
    errors,
  };
}

async function main() {
  console.log(`identity bench against ${url}, concurrency ${concurrency}`);
  const accounts = [];
  for (let i = 0; i < Math.max(users, otpCount); i += 1) {
    const email = `bench+${run}-${i}@example.test`;
    const created = await post('/v1/accounts', {
      email,
      password: PASSWORD,
      market: 'se',
      firstName: 'Bench',
      lastName: 'User',
      phone: phone(),
    });
    if (created.status !== 201)
      throw new Error(`setup: registration answered ${created.status} ${JSON.stringify(created.body)}`);
    accounts.push({ email });
  }

  const login = await pool(loginCount, async (i) => {
    const { email } = accounts[i % users];
    return (await post('/v1/auth/login', { email, password: PASSWORD, market: 'se' })).status === 200;
  });

  // OTP check: each account gets one code (send budgets are per phone and identity), read from the
  // dev message sink, then all checks run under the same concurrency.
  const challenges = [];
  for (const account of accounts.slice(0, otpCount)) {
    const token = (await post('/v1/auth/login', { email: account.email, password: PASSWORD, market: 'se' }))
      .body.accessToken;
    const number = phone();
    const sent = await post('/v1/phone/verifications', { phone: number, channel: 'sms' }, token);
    if (sent.status !== 202)
      throw new Error(`setup: send answered ${sent.status} ${JSON.stringify(sent.body)}`);
    const messages = await (await fetch(`${url}/v1/dev/messages?to=${encodeURIComponent(number)}`)).json();
    challenges.push({ token, phone: number, code: /(\d{6})/.exec(messages.items[0].body)[1] });
  }
  const otp = await pool(challenges.length, async (i) => {
    const { token, phone: number, code } = challenges[i];
    return (await post('/v1/phone/verifications/check', { phone: number, code }, token)).status === 200;
  });

  const row = (name, r) =>
    `| ${name.padEnd(34)} | ${String(r.requests).padStart(8)} | ${r.perSecond.toFixed(1).padStart(9)} | ${r.p50.toFixed(1).padStart(7)} | ${r.p99.toFixed(1).padStart(7)} | ${r.max.toFixed(1).padStart(7)} | ${String(r.errors).padStart(6)} |`;
  console.log(
    '| path                               | requests |   req/s   | p50 ms  | p99 ms  | max ms  | errors |',
  );
  console.log(
    '| ---------------------------------- | -------- | --------- | ------- | ------- | ------- | ------ |',
  );
  console.log(row('POST /v1/auth/login', login));
  console.log(row('POST /v1/phone/verifications/check', otp));
}

main().catch((error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
