import { generateKeyPairSync } from 'node:crypto';
import { UnauthorizedError } from '@ticketry/platform';
import {
  AuthConfigError,
  resolveAuthOptions,
  resolveJwksUrl,
  resolveServiceTokenOptions,
} from './auth.options';
import { assertOrganizationRole } from './authorization.guards';
import { parseClaims, type TicketryClaims } from './claims';
import { ORG_SCOPE_KEY, OrgScoped, type OrgScopeMetadata } from './decorators';
import { rs256Kid, StaticKeyResolver } from './key-resolver';
import { Principal } from './principal';

const NOW = new Date('2026-05-01T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

function claims(overrides: Partial<TicketryClaims> = {}): TicketryClaims {
  return {
    sub: 'a1b2c3d4-0000-4000-8000-000000000001',
    roles: ['consumer'],
    orgs: [],
    iss: 'ticketry-identity',
    aud: 'ticketry',
    iat: nowSeconds - 30,
    exp: nowSeconds + 270,
    jti: 'jti-1',
    ...overrides,
  };
}

describe('parseClaims', () => {
  it('keeps the claims the guards rely on', () => {
    const parsed = parseClaims({
      ...claims({
        market: 'NO',
        amr: ['pwd', 'otp'],
        auth_time: nowSeconds - 5,
        scope: 'a b',
        client_id: 'c',
      }),
      orgs: [{ id: 'org-1', role: 'finance' }],
      extra: 'ignored',
    });
    expect(parsed).toEqual(
      claims({
        market: 'NO',
        amr: ['pwd', 'otp'],
        auth_time: nowSeconds - 5,
        scope: 'a b',
        client_id: 'c',
        orgs: [{ id: 'org-1', role: 'finance' }],
      }),
    );
  });

  it('drops a membership with an organization role it does not know instead of refusing the token', () => {
    const parsed = parseClaims({
      ...claims(),
      orgs: [
        { id: 'org-1', role: 'janitor' },
        { id: 'org-2', role: 'owner' },
      ],
    });
    expect(parsed.orgs).toEqual([{ id: 'org-2', role: 'owner' }]);
  });

  it.each([
    ['a missing sub', { sub: undefined }],
    ['roles that are not strings', { roles: [1] }],
    ['orgs that are not an array', { orgs: 'owner' }],
    ['an org without id', { orgs: [{ role: 'owner' }] }],
    ['amr that is not an array', { amr: 'otp' }],
    ['auth_time that is not a number', { auth_time: 'yesterday' }],
    ['a missing jti', { jti: undefined }],
  ])('refuses %s with 401 invalid_token', (_label, override) => {
    const attempt = () => parseClaims({ ...claims(), ...override });
    expect(attempt).toThrow(UnauthorizedError);
    expect(attempt).toThrow(expect.objectContaining({ status: 401, code: 'invalid_token' }));
  });
});

describe('Principal', () => {
  it('answers role and membership questions', () => {
    const principal = new Principal(
      claims({
        roles: ['consumer', 'support'],
        orgs: [
          { id: 'ORG-1', role: 'owner' },
          { id: 'org-1', role: 'finance' },
          { id: 'org-2', role: 'scanner' },
        ],
      }),
    );
    expect(principal.identityId).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(principal.hasRole('support')).toBe(true);
    expect(principal.hasRole('platform_admin')).toBe(false);
    expect(principal.hasRole('platform_admin', 'support')).toBe(true);
    expect(principal.roleIn('org-1')).toBe('owner');
    expect(principal.rolesIn('org-1')).toEqual(['owner', 'finance']);
    expect(principal.roleIn('org-3')).toBeUndefined();
    expect(principal.isService).toBe(false);
  });

  it('recognises a service token and its scopes', () => {
    const principal = new Principal(
      claims({
        sub: 'orders',
        client_id: 'orders',
        roles: ['service'],
        scope: 'billing:charge  orders:read',
      }),
    );
    expect(principal.isService).toBe(true);
    expect(principal.isClient).toBe(true);
    expect(principal.scopes).toEqual(['billing:charge', 'orders:read']);
    expect(principal.hasScope('orders:read', 'billing:charge')).toBe(true);
    expect(principal.hasScope('orders:write')).toBe(false);
  });

  describe('isSteppedUp', () => {
    it('is false without otp in amr, however recent the login', () => {
      expect(new Principal(claims({ amr: ['pwd'], auth_time: nowSeconds })).isSteppedUp(NOW)).toBe(false);
      expect(new Principal(claims()).isSteppedUp(NOW)).toBe(false);
    });

    it('is true for an OTP check exactly 10 minutes ago and false one second later', () => {
      const principal = new Principal(claims({ amr: ['otp'], auth_time: nowSeconds - 600 }));
      expect(principal.isSteppedUp(NOW)).toBe(true);
      expect(principal.isSteppedUp(new Date(NOW.getTime() + 1000))).toBe(false);
    });

    it('uses iat when auth_time is absent', () => {
      const principal = new Principal(claims({ amr: ['otp'], iat: nowSeconds - 601 }));
      expect(principal.isSteppedUp(NOW)).toBe(false);
    });

    it('distrusts an auth_time far in the future', () => {
      expect(new Principal(claims({ amr: ['otp'], auth_time: nowSeconds + 3600 })).isSteppedUp(NOW)).toBe(
        false,
      );
    });
  });
});

describe('assertOrganizationRole', () => {
  const member = new Principal(claims({ orgs: [{ id: 'org-1', role: 'scanner' }] }));
  const admin = new Principal(claims({ roles: ['platform_admin'] }));

  it('accepts any membership when no role is listed, and only listed roles otherwise', () => {
    expect(() => assertOrganizationRole(member, 'org-1')).not.toThrow();
    expect(() => assertOrganizationRole(member, 'org-1', ['owner', 'manager'])).toThrow(
      expect.objectContaining({ status: 403, code: 'organization_forbidden' }),
    );
    expect(() => assertOrganizationRole(member, 'org-2')).toThrow(
      expect.objectContaining({ code: 'organization_forbidden' }),
    );
  });

  it('lets platform_admin through only when allowed', () => {
    expect(() => assertOrganizationRole(admin, 'org-1', ['owner'])).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() =>
      assertOrganizationRole(admin, 'org-1', ['owner'], { allowPlatformAdmin: true }),
    ).not.toThrow();
  });
});

describe('@OrgScoped arguments', () => {
  function metadataOf(decorator: MethodDecorator & ClassDecorator): OrgScopeMetadata {
    class Target {}
    decorator(Target);
    return Reflect.getMetadata(ORG_SCOPE_KEY, Target) as OrgScopeMetadata;
  }

  it('takes roles and a trailing options object', () => {
    expect(metadataOf(OrgScoped('owner', 'finance', { param: 'orgId', allowPlatformAdmin: true }))).toEqual({
      roles: ['owner', 'finance'],
      options: { param: 'orgId', allowPlatformAdmin: true },
    });
    expect(metadataOf(OrgScoped())).toEqual({ roles: [], options: {} });
  });
});

describe('configuration', () => {
  it('defaults issuer and audience, and reads them from the environment', () => {
    expect(resolveAuthOptions({}, {})).toMatchObject({
      issuer: 'ticketry-identity',
      audience: 'ticketry',
      stepUpMaxAgeSeconds: 600,
    });
    expect(resolveAuthOptions({}, { JWT_ISSUER: 'iss-x', JWT_AUDIENCE: 'aud-y' })).toMatchObject({
      issuer: 'iss-x',
      audience: 'aud-y',
    });
  });

  it('uses the local identity JWKS in development and insists on JWKS_URL in production', () => {
    expect(resolveJwksUrl({}, {})).toBe('http://localhost:3001/.well-known/jwks.json');
    expect(resolveJwksUrl({}, { NODE_ENV: 'production', JWKS_URL: 'https://id/.well-known/jwks.json' })).toBe(
      'https://id/.well-known/jwks.json',
    );
    expect(() => resolveJwksUrl({}, { NODE_ENV: 'production' })).toThrow(AuthConfigError);
  });

  it('has no default for service credentials, nor for IDENTITY_URL in production', () => {
    expect(() => resolveServiceTokenOptions({}, { SERVICE_CLIENT_ID: 'x' })).toThrow(
      'service tokens need SERVICE_CLIENT_SECRET',
    );
    expect(() =>
      resolveServiceTokenOptions(
        {},
        { NODE_ENV: 'production', SERVICE_CLIENT_ID: 'x', SERVICE_CLIENT_SECRET: 'y' },
      ),
    ).toThrow('service tokens need IDENTITY_URL');
  });
});

describe('StaticKeyResolver', () => {
  const token = (header: object): string =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.e30.sig`;

  it('finds keys by kid for RS256 only', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const resolver = new StaticKeyResolver([{ kid: 'k1', key: privateKey }]);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

    expect(await resolver.resolveKey(token({ alg: 'RS256', kid: 'k1' }))).toBe(pem);
    expect(await resolver.resolveKey(token({ alg: 'RS256', kid: 'k2' }))).toBeNull();
    expect(await resolver.resolveKey(token({ alg: 'HS256', kid: 'k1' }))).toBeNull();
    expect(await resolver.resolveKey(token({ alg: 'RS256' }))).toBeNull();
    expect(rs256Kid('garbage')).toBeNull();
  });

  it('takes the public key as KeyObject, PEM or JWK too', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const resolver = new StaticKeyResolver([
      { kid: 'object', key: publicKey },
      { kid: 'pem', key: pem },
      { kid: 'jwk', key: publicKey.export({ format: 'jwk' }) },
    ]);
    for (const kid of ['object', 'pem', 'jwk']) {
      expect(await resolver.resolveKey(token({ alg: 'RS256', kid }))).toBe(pem);
    }
  });

  it('refuses keys that cannot sign RS256', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => new StaticKeyResolver([{ kid: 'ec', key: publicKey }])).toThrow(/not an RSA key/);
  });
});
