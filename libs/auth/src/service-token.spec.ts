import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { FixedClock } from '@ticketry/platform';
import { AuthModule } from './auth.module';
import { AuthConfigError } from './auth.options';
import { ServiceTokenProvider, ServiceTokenUnavailableError } from './service-token.provider';

type Handler = (body: URLSearchParams, response: ServerResponse) => void;

/** Identity's token endpoint, counting calls and recording what it was sent. */
class FakeIdentity {
  calls = 0;
  lastBody: URLSearchParams | undefined;
  lastContentType: string | undefined;

  private readonly server: Server;
  private baseUrl = '';

  private constructor(private handler: Handler) {
    this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/oauth/token') {
          response.writeHead(404).end();
          return;
        }
        this.calls += 1;
        this.lastContentType = request.headers['content-type'];
        this.lastBody = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        this.handler(this.lastBody, response);
      });
    });
  }

  static async start(handler: Handler): Promise<FakeIdentity> {
    const fake = new FakeIdentity(handler);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  get url(): string {
    return this.baseUrl;
  }

  respondWith(handler: Handler): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function issueTokens(expiresIn: number, delayMs = 0): Handler {
  let issued = 0;
  return (_body, response) => {
    issued += 1;
    const token = `token-${issued}`;
    setTimeout(() => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }));
    }, delayMs);
  };
}

const credentials = { clientId: 'orders', clientSecret: 'orders-secret' };

describe('ServiceTokenProvider', () => {
  let identity: FakeIdentity;

  beforeEach(async () => {
    identity = await FakeIdentity.start(issueTokens(300, 50));
  });

  afterEach(async () => {
    await identity.close();
  });

  it('asks identity for a client-credentials token with the service credentials', async () => {
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials });

    expect(await provider.getToken()).toBe('token-1');

    expect(identity.lastContentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(identity.lastBody ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'orders',
      client_secret: 'orders-secret',
    });
    expect(await provider.authorizationHeader()).toBe('Bearer token-1');
  });

  it('makes one call to identity for many concurrent requests', async () => {
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials });

    const tokens = await Promise.all(Array.from({ length: 25 }, () => provider.getToken()));

    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(identity.calls).toBe(1);
  });

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    const clock = new FixedClock('2026-03-01T12:00:00Z');
    const provider = new ServiceTokenProvider(
      { identityUrl: identity.url, ...credentials, refreshBeforeExpirySeconds: 60 },
      clock,
    );

    expect(await provider.getToken()).toBe('token-1');
    clock.advanceMs(239_000); // 300 s lifetime, refreshed 60 s early: still good
    expect(await provider.getToken()).toBe('token-1');
    expect(identity.calls).toBe(1);

    clock.advanceMs(2_000);
    const refreshed = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(refreshed).toEqual(['token-2', 'token-2', 'token-2']);
    expect(identity.calls).toBe(2);
  });

  it('refreshes a short-lived token before it expires rather than after a fixed minute', async () => {
    identity.respondWith(issueTokens(10));
    const clock = new FixedClock('2026-03-01T12:00:00Z');
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials }, clock);

    await provider.getToken();
    await provider.getToken();
    expect(identity.calls).toBe(1);
    clock.advanceMs(8_500); // beyond 10 s minus a fifth of the lifetime
    expect(await provider.getToken()).toBe('token-2');
  });

  it('fetches afresh after invalidate()', async () => {
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials });
    await provider.getToken();
    provider.invalidate();
    expect(await provider.getToken()).toBe('token-2');
  });

  it('fails every waiting caller with one clear error when identity refuses the credentials, and tries again on the next call', async () => {
    identity.respondWith((_body, response) =>
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"invalid_client"}'),
    );
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials });

    const results = await Promise.allSettled([provider.getToken(), provider.getToken(), provider.getToken()]);

    expect(identity.calls).toBe(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
      expect(reason).toBeInstanceOf(ServiceTokenUnavailableError);
      expect((reason as ServiceTokenUnavailableError).reason).toMatch(
        /refused the client credentials \(HTTP 401\)/,
      );
      expect((reason as ServiceTokenUnavailableError).status).toBe(503);
    }

    identity.respondWith(issueTokens(300));
    expect(await provider.getToken()).toBe('token-1');
    expect(identity.calls).toBe(2);
  });

  it('throws ServiceTokenUnavailableError at once when identity is unreachable', async () => {
    const closed = await FakeIdentity.start(issueTokens(300));
    const deadUrl = closed.url;
    await closed.close();
    const provider = new ServiceTokenProvider({ identityUrl: deadUrl, ...credentials });

    const started = Date.now();
    await expect(provider.getToken()).rejects.toMatchObject({
      name: 'ServiceTokenUnavailableError',
      code: 'dependency_unavailable',
      reason: 'identity is unreachable (ECONNREFUSED)',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up after its timeout when identity does not answer', async () => {
    identity.respondWith(() => undefined); // never answers
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials, timeoutMs: 200 });

    await expect(provider.getToken()).rejects.toMatchObject({ reason: 'identity did not answer in time' });
    expect(identity.calls).toBe(1);
  });

  it('refuses an answer without access_token / expires_in', async () => {
    identity.respondWith((_body, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token_type: 'Bearer' })),
    );
    const provider = new ServiceTokenProvider({ identityUrl: identity.url, ...credentials });
    await expect(provider.getToken()).rejects.toBeInstanceOf(ServiceTokenUnavailableError);
  });
});

describe('AuthModule service-token wiring', () => {
  it('provides a ServiceTokenProvider configured from IDENTITY_URL and SERVICE_CLIENT_ID/SECRET', async () => {
    const identity = await FakeIdentity.start(issueTokens(300));
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          AuthModule.forRoot({
            serviceToken: true,
            env: {
              IDENTITY_URL: `${identity.url}/`,
              SERVICE_CLIENT_ID: 'billing',
              SERVICE_CLIENT_SECRET: 's3cret',
            },
          }),
        ],
      }).compile();

      expect(await moduleRef.get(ServiceTokenProvider).getToken()).toBe('token-1');
      expect(identity.lastBody?.get('client_id')).toBe('billing');
      await moduleRef.close();
    } finally {
      await identity.close();
    }
  });

  it('refuses to start when the service credentials are missing', async () => {
    await expect(
      Test.createTestingModule({
        imports: [AuthModule.forRoot({ serviceToken: true, env: { IDENTITY_URL: 'http://identity:3001' } })],
      }).compile(),
    ).rejects.toThrow(new AuthConfigError('service tokens need SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET'));
  });
});
