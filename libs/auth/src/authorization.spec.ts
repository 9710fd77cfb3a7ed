import { randomUUID } from 'node:crypto';
import { Controller, Get, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthModule } from './auth.module';
import { RolesGuard } from './authorization.guards';
import { Roles } from './decorators';
import { JwtAuthGuard } from './jwt-auth.guard';
import { AppErrorTestFilter } from './testing/app-error.filter';
import { createProbeApp } from './testing/probe-app';
import { nowSeconds, TestIssuer, type TokenClaims } from './testing/test-issuer';

describe('authorization guards (global TicketryAuthGuard)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    issuer.addKey();
    app = await createProbeApp({ jwksUrl: issuer.jwksUrl });
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  async function call(
    method: 'get' | 'post' | 'put',
    path: string,
    claims: TokenClaims,
    body?: object,
  ): Promise<request.Response> {
    const token = await issuer.sign(claims);
    const req = request(app.getHttpServer())[method](path).set('Authorization', `Bearer ${token}`);
    return body === undefined ? await req : await req.send(body);
  }

  describe('@Roles', () => {
    it('lets a platform_admin through', async () => {
      expect(
        (await call('get', '/v1/admin/ledger/trial-balance', { roles: ['platform_admin'] })).status,
      ).toBe(200);
    });

    it('refuses a consumer with 403 forbidden', async () => {
      const res = await call('get', '/v1/admin/ledger/trial-balance', { roles: ['consumer'] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    });

    it('refuses support, a different platform role', async () => {
      expect((await call('get', '/v1/admin/ledger/trial-balance', { roles: ['support'] })).status).toBe(403);
    });
  });

  describe('@OrgScoped', () => {
    const org = randomUUID();
    const otherOrg = randomUUID();

    it('lets a member with an allowed role through (route param organizationId)', async () => {
      const res = await call('get', `/v1/organizations/${org}/balance`, {
        orgs: [{ id: org, role: 'finance' }],
      });
      expect(res.status).toBe(200);
    });

    it('matches the organization id regardless of letter case in the URL', async () => {
      const res = await call('get', `/v1/organizations/${org.toUpperCase()}/balance`, {
        orgs: [{ id: org, role: 'owner' }],
      });
      expect(res.status).toBe(200);
    });

    it('refuses an owner of another organization with 403 organization_forbidden', async () => {
      const res = await call('get', `/v1/organizations/${org}/balance`, {
        orgs: [{ id: otherOrg, role: 'owner' }],
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('organization_forbidden');
    });

    it('refuses a member whose role is not allowed (scanner on a finance route)', async () => {
      const res = await call('get', `/v1/organizations/${org}/balance`, {
        orgs: [{ id: org, role: 'scanner' }],
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('organization_forbidden');
    });

    it('does not let platform_admin through unless the route allows it', async () => {
      const refused = await call('get', `/v1/organizations/${org}/balance`, { roles: ['platform_admin'] });
      expect(refused.status).toBe(403);
      const allowed = await call('post', `/v1/organizations/${org}/cancel`, { roles: ['platform_admin'] });
      expect(allowed.status).toBe(201);
    });

    it('reads the organization from route param id', async () => {
      expect(
        (await call('post', `/v1/organizations/${org}/cancel`, { orgs: [{ id: org, role: 'owner' }] }))
          .status,
      ).toBe(201);
      expect(
        (await call('post', `/v1/organizations/${org}/cancel`, { orgs: [{ id: org, role: 'manager' }] }))
          .status,
      ).toBe(403);
    });

    it('reads the organization from a body field when told to', async () => {
      const member = { orgs: [{ id: org, role: 'manager' as const }] };
      expect((await call('post', '/v1/events', member, { organizationId: org })).status).toBe(201);
      const other = await call('post', '/v1/events', member, { organizationId: otherOrg });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('organization_forbidden');
    });

    it('refuses a request that does not name the organization at all', async () => {
      const res = await call(
        'post',
        '/v1/events',
        { orgs: [{ id: org, role: 'owner' }] },
        { title: 'no org' },
      );
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('organization_forbidden');
    });

    it('reads the organization from a query parameter, with any membership role when none is listed', async () => {
      expect(
        (await call('get', `/v1/orders?organizationId=${org}`, { orgs: [{ id: org, role: 'scanner' }] }))
          .status,
      ).toBe(200);
      expect(
        (await call('get', `/v1/orders?organizationId=${otherOrg}`, { orgs: [{ id: org, role: 'scanner' }] }))
          .status,
      ).toBe(403);
    });
  });

  describe('@RequireStepUp', () => {
    it('refuses a token without amr with 403 step_up_required', async () => {
      const res = await call('put', '/v1/me/email', {});
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('step_up_required');
    });

    it('refuses a password-only login (amr pwd)', async () => {
      expect((await call('put', '/v1/me/email', { amr: ['pwd'], auth_time: nowSeconds() })).status).toBe(403);
    });

    it('lets a fresh OTP step-up through', async () => {
      const res = await call('put', '/v1/me/email', { amr: ['pwd', 'otp'], auth_time: nowSeconds() - 60 });
      expect(res.status).toBe(200);
    });

    it('falls back to iat when auth_time is absent', async () => {
      expect((await call('put', '/v1/me/email', { amr: ['otp'] })).status).toBe(200);
    });

    it('refuses an OTP step-up older than 10 minutes, even in a token that has not expired', async () => {
      const res = await call('put', '/v1/me/email', {
        amr: ['pwd', 'otp'],
        auth_time: nowSeconds() - 11 * 60,
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('step_up_required');
    });
  });

  describe('@Scopes', () => {
    it('lets an API client with the scope through', async () => {
      const res = await call('get', '/v1/partner/orders', {
        sub: 'client-1',
        client_id: 'client-1',
        roles: [],
        scope: 'events:read orders:read',
      });
      expect(res.status).toBe(200);
      expect(res.body.clientId).toBe('client-1');
    });

    it('refuses an API client without the scope with 403 insufficient_scope', async () => {
      const res = await call('get', '/v1/partner/orders', {
        sub: 'client-1',
        client_id: 'client-1',
        roles: [],
        scope: 'events:read',
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
    });

    it('leaves tokens of people to their roles: no client_id, no scope check', async () => {
      expect((await call('get', '/v1/partner/orders', { roles: ['consumer'] })).status).toBe(200);
    });

    it('refuses an API client on a route that declares no scopes, even as a member of the organization', async () => {
      const res = await call('get', '/v1/organizations/org-a/balance', {
        sub: 'client-1',
        client_id: 'client-1',
        roles: [],
        scope: 'events:read orders:read',
        orgs: [{ id: 'org-a', role: 'owner' }],
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
    });

    it('lets a service token through a route that declares no scopes', async () => {
      const res = await call('get', '/v1/events', { sub: 'orders', client_id: 'orders', roles: ['service'] });
      expect(res.status).toBe(200);
    });
  });
});

@Controller('v1/per-route')
@UseGuards(JwtAuthGuard, RolesGuard)
class PerRouteController {
  @Roles('support')
  @Get('identities')
  identities(): { ok: true } {
    return { ok: true };
  }
}

describe('guards used per route, without global guards', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    issuer.addKey();
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ jwksUrl: issuer.jwksUrl, env: {} })],
      controllers: [PerRouteController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new AppErrorTestFilter());
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('authenticates and checks roles through @UseGuards(JwtAuthGuard, RolesGuard)', async () => {
    const server = app.getHttpServer();
    await request(server).get('/v1/per-route/identities').expect(401);
    await request(server)
      .get('/v1/per-route/identities')
      .set('Authorization', `Bearer ${await issuer.sign({ roles: ['consumer'] })}`)
      .expect(403);
    await request(server)
      .get('/v1/per-route/identities')
      .set('Authorization', `Bearer ${await issuer.sign({ roles: ['support'] })}`)
      .expect(200);
  });
});
