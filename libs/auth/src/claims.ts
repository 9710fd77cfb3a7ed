import { UnauthorizedError } from '@ticketry/platform';

/** Platform-wide roles; organization roles live in `orgs`. */
export const PLATFORM_ROLES = ['consumer', 'support', 'platform_admin', 'service'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const ORG_ROLES = ['owner', 'manager', 'finance', 'scanner'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface OrgMembership {
  id: string;
  role: OrgRole;
}

/** The access-token payload identity issues (RS256, keys at identity's JWKS). */
export interface TicketryClaims {
  /** Identity id; for client-credentials tokens the client id. */
  sub: string;
  market?: string;
  /** Kept as plain strings so a role identity adds later does not invalidate every token. */
  roles: string[];
  orgs: OrgMembership[];
  /** Authentication methods; contains 'otp' after step-up. */
  amr?: string[];
  /** Seconds since the epoch at which the user (last) authenticated. */
  auth_time?: number;
  /** Space-separated scopes of a client-credentials token. */
  scope?: string;
  client_id?: string;
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
}

function invalid(reason: string): UnauthorizedError {
  return new UnauthorizedError('invalid_token', `The access token is not valid: ${reason}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`claim ${key} is missing`);
  return value;
}

function optionalString(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`claim ${key} must be a string`);
  return value;
}

function requireNumber(payload: Record<string, unknown>, key: string): number {
  const value = payload[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`claim ${key} is missing`);
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function stringArray(payload: Record<string, unknown>, key: string): string[] | undefined {
  const value = payload[key];
  if (value === undefined) return undefined;
  if (!isStringArray(value)) throw invalid(`claim ${key} must be an array of strings`);
  return value;
}

function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && (ORG_ROLES as readonly string[]).includes(value);
}

/**
 * The signature says who issued the token, not that its payload has the shape the guards rely on;
 * a malformed claim must end in 401, never in a TypeError deep inside a guard.
 */
export function parseClaims(payload: unknown): TicketryClaims {
  if (!isRecord(payload)) throw invalid('payload is not an object');

  const rawOrgs = payload.orgs ?? [];
  if (!Array.isArray(rawOrgs)) throw invalid('claim orgs must be an array');
  const orgs: OrgMembership[] = [];
  for (const entry of rawOrgs) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.role !== 'string') {
      throw invalid('claim orgs must hold { id, role } entries');
    }
    // A membership with a role this code does not know grants nothing rather than failing the
    // whole token: identity may add roles before every service has been redeployed.
    if (isOrgRole(entry.role)) orgs.push({ id: entry.id, role: entry.role });
  }

  const aud = payload.aud;
  if (typeof aud !== 'string' && !isStringArray(aud)) throw invalid('claim aud is missing');

  const authTime = payload.auth_time;
  if (authTime !== undefined && (typeof authTime !== 'number' || !Number.isFinite(authTime))) {
    throw invalid('claim auth_time must be a number');
  }

  const claims: TicketryClaims = {
    sub: requireString(payload, 'sub'),
    roles: stringArray(payload, 'roles') ?? [],
    orgs,
    iss: requireString(payload, 'iss'),
    aud,
    exp: requireNumber(payload, 'exp'),
    iat: requireNumber(payload, 'iat'),
    jti: requireString(payload, 'jti'),
  };
  const market = optionalString(payload, 'market');
  if (market !== undefined) claims.market = market;
  const amr = stringArray(payload, 'amr');
  if (amr !== undefined) claims.amr = amr;
  if (typeof authTime === 'number') claims.auth_time = authTime;
  const scope = optionalString(payload, 'scope');
  if (scope !== undefined) claims.scope = scope;
  const clientId = optionalString(payload, 'client_id');
  if (clientId !== undefined) claims.client_id = clientId;
  return claims;
}
