/**
 * What every service inherits from libs/platform, checked through identity's real HTTP app on
 * real Postgres and Kafka: problem+json errors, validation, idempotency keys, health, OpenAPI,
 * and configuration that stops a bad start with one line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Lifecycle } from '@ticketry/platform';
import { serviceUnderTest, uniqueEmail, uniqueSwedishMobile } from '@ticketry/testing';
import { identityService } from '../src/service';

const identity = serviceUnderTest(identityService);

function registration(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail('platform'),
    password: 'a-long-enough-passphrase',
    market: 'se',
    firstName: 'Anna',
    lastName: 'Svensson',
    phone: uniqueSwedishMobile(),
    ...overrides,
  };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${identity.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function identitiesWithEmail(email: string): Promise<number> {
  const [{ count }] = await identity.dataSource.query(
    'SELECT count(*)::int AS count FROM identity.identities WHERE email = $1',
    [email],
  );
  return count;
}

describe('problem+json errors and validation', () => {
  it('answers invalid input with 400 validation_failed listing each field', async () => {
    const response = await post(
      '/v1/accounts',
      registration({ email: 'not-an-email', market: 'xx', password: 'short' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed', title: 'Bad Request' });
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'market', 'password']);
  });

  it('rejects a common password even when it is long enough', async () => {
    const response = await post('/v1/accounts', registration({ password: 'Password123' }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
  });

  it('answers a NUL character in a field with 400 invalid_input and stores nothing', async () => {
    const body = registration({ firstName: 'An\u0000na' });
    const response = await post('/v1/accounts', body);
    expect(response).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    expect(await identitiesWithEmail(body.email)).toBe(0);
  });

  it('rejects unknown fields', async () => {
    const response = await post('/v1/accounts', registration({ isAdmin: true }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'isAdmin' })]);
  });

  it('rejects a phone number that cannot exist with 400 (ID-9)', async () => {
    const response = await post('/v1/accounts', registration({ phone: '12345' }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);
  });

  it('answers malformed JSON with 400 malformed_json, not a 500', async () => {
    const response = await post('/v1/accounts', '{"email": ');
    expect(response).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
  });

  it('answers an unknown route with a 404 problem and echoes the correlation id', async () => {
    const response = await fetch(`${identity.url}/v1/nothing-here`, {
      headers: { 'x-correlation-id': 'corr-404' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-correlation-id')).toBe('corr-404');
    expect(await response.json()).toMatchObject({
      code: 'not_found',
      correlationId: 'corr-404',
      instance: '/v1/nothing-here',
    });
  });

  it('answers a second registration of the same e-mail, in any case, with 409 email_taken (ID-1)', async () => {
    const first = registration();
    expect((await post('/v1/accounts', first)).status).toBe(201);
    const again = await post('/v1/accounts', registration({ email: `  ${first.email.toUpperCase()} ` }));
    expect(again).toMatchObject({ status: 409, body: { code: 'email_taken' } });
    expect(await identitiesWithEmail(first.email)).toBe(1);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body without doing it again', async () => {
    const body = registration();
    const key = `key-${Date.now()}-${Math.random()}`;
    const first = await post('/v1/accounts', body, { 'idempotency-key': key });
    const replay = await post('/v1/accounts', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await identitiesWithEmail(body.email)).toBe(1);
  });

  it('refuses the same key with another body with 409 idempotency_key_reused', async () => {
    const key = `key-${Date.now()}-${Math.random()}`;
    expect((await post('/v1/accounts', registration(), { 'idempotency-key': key })).status).toBe(201);
    const other = registration();
    const reused = await post('/v1/accounts', other, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    expect(await identitiesWithEmail(other.email)).toBe(0);
  });

  it('releases the key when the first attempt failed, so the corrected retry can use it', async () => {
    const key = `key-${Date.now()}-${Math.random()}`;
    const taken = registration();
    await post('/v1/accounts', taken);
    expect(
      (await post('/v1/accounts', { ...taken, phone: uniqueSwedishMobile() }, { 'idempotency-key': key }))
        .status,
    ).toBe(409);
    // Same key and same body again: the failure was not stored, so it runs (and fails) again, rather than replaying.
    const fresh = registration();
    const retry = await post('/v1/accounts', fresh, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
  });
});

describe('health and OpenAPI', () => {
  it('is live, and ready only while its database and Kafka answer and it is not draining', async () => {
    expect((await fetch(`${identity.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${identity.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, kafka: { status: 'up' } },
    });

    const lifecycle = identity.app.get(Lifecycle);
    lifecycle.draining = true;
    try {
      const draining = await fetch(`${identity.url}/health/ready`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ status: 'draining' });
    } finally {
      lifecycle.draining = false;
    }
  });

  it('describes its endpoints at /docs-json and serves Swagger UI at /docs', async () => {
    const document = (await (await fetch(`${identity.url}/docs-json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths['/v1/accounts'].post.responses)).toEqual(
      expect.arrayContaining(['201', '409']),
    );
    expect(Object.keys(document.components.schemas.RegisterAccountDto.properties)).toEqual(
      expect.arrayContaining(['email', 'password', 'market', 'firstName', 'lastName', 'phone']),
    );
    expect((await fetch(`${identity.url}/docs`)).status).toBe(200);
  });
});

describe('configuration at start', () => {
  const main = path.resolve(__dirname, '../dist/main.js');

  function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [main], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  }

  it('stops with one line naming a missing variable', async () => {
    const { code, stderr } = await start({ KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^identity: configuration error: .*DATABASE_URL/);
  });

  it('stops with one line when DATABASE_URL cannot be used', async () => {
    const { code, stderr } = await start({
      DATABASE_URL: 'postgres://identity@127.0.0.1:1/ticketry',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^identity: configuration error: DATABASE_URL cannot be used .*ECONNREFUSED/);
  });
});
