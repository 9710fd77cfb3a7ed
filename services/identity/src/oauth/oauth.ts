import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@ticketry/platform';

/**
 * The client-credentials grant (RFC 6749 §4.4) as plain functions: reading the request, the
 * service clients from the environment, and which scopes a token gets. No framework, no database.
 */

/** RFC 6749 §5.2 error names; each is also the problem+json `code`. */
export type OAuthErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** Answers as problem+json whose `code` is the OAuth error, plus the `error` field OAuth clients read. */
export class OAuthError extends AppError {
  constructor(
    readonly error: OAuthErrorName,
    description: string,
  ) {
    // §5.2: 400 for everything but a failed client authentication, which is 401.
    super(error === 'invalid_client' ? 401 : 400, error, description, {
      error,
      error_description: description,
    });
  }
}

export interface TokenRequest {
  grantType: 'client_credentials';
  clientId: string;
  clientSecret: string;
  /** Scopes asked for; undefined when the request names none (§3.3: the client's default). */
  scopes: string[] | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** §3.2: a parameter without a value counts as omitted; one sent twice makes the request invalid. */
function parameter(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new OAuthError('invalid_request', `${name} must be given once, as a string.`);
  }
  return value;
}

/** §2.3.1: HTTP Basic with the id and secret each form-urlencoded first. */
function basicCredentials(authorization: string): { clientId: string; clientSecret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(authorization);
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new OAuthError('invalid_client', 'The Basic credentials are malformed.');
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are malformed.');
  }
}

/**
 * Reads a token request from its form or JSON body and Authorization header. Unknown parameters
 * are ignored, as §3.2 requires of an authorization server (off-the-shelf OAuth clients send some).
 */
export function parseTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  const params = isRecord(body) ? body : {};
  const grantType = parameter(params, 'grant_type');
  if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported.');
  }

  const bodyId = parameter(params, 'client_id');
  const bodySecret = parameter(params, 'client_secret');
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  if (authorization !== undefined && /^Basic\b/i.test(authorization.trim())) {
    // §2.3: one authentication method per request. A body client_id that agrees is tolerated.
    if (bodySecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'Authenticate with HTTP Basic or with client_secret, not both.',
      );
    }
    ({ clientId, clientSecret } = basicCredentials(authorization.trim()));
    if (bodyId !== undefined && bodyId !== clientId) {
      throw new OAuthError('invalid_request', 'client_id differs from the one in the Authorization header.');
    }
  } else {
    clientId = bodyId;
    clientSecret = bodySecret;
  }
  if (clientId === undefined || clientSecret === undefined) {
    throw new OAuthError(
      'invalid_client',
      'Client authentication is required (HTTP Basic or client_id and client_secret).',
    );
  }

  const scope = parameter(params, 'scope');
  const scopes = scope === undefined ? undefined : [...new Set(scope.split(' ').filter((s) => s.length > 0))];
  return { grantType, clientId, clientSecret, scopes: scopes?.length ? scopes : undefined };
}

/**
 * §3.3: a token gets the scopes asked for if the client holds all of them, or every scope the
 * client holds when it asks for none. `allowed` undefined: the client may ask for any scope.
 */
export function grantedScopes(
  requested: string[] | undefined,
  allowed: readonly string[] | undefined,
): string[] {
  if (requested === undefined) return [...(allowed ?? [])];
  if (allowed === undefined) return requested;
  const refused = requested.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) {
    throw new OAuthError('invalid_scope', `This client may not ask for: ${refused.join(' ')}.`);
  }
  return requested;
}

/** Another Ticketry service, authenticating with a secret from the environment. */
export interface ServiceClient {
  clientId: string;
  secret: string;
  /** Scopes it may ask for; absent: any (the `service` role, not scopes, is what routes check). */
  scopes?: string[];
}

const SERVICE_CLIENT_ID = /^[a-z][a-z0-9-]{0,62}$/;
const SERVICE_SECRET_MIN_LENGTH = 16;

/**
 * SERVICE_CLIENTS: `[{"clientId":"orders","secret":"…"}]`. Throws a message naming what is wrong
 * (never a secret), so a misconfigured identity does not start.
 */
export function parseServiceClients(raw: string | undefined): ServiceClient[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('SERVICE_CLIENTS must be a JSON array of { clientId, secret }');
  }
  if (!Array.isArray(value)) throw new Error('SERVICE_CLIENTS must be a JSON array of { clientId, secret }');
  const clients: ServiceClient[] = [];
  value.forEach((entry: unknown, index) => {
    if (
      !isRecord(entry) ||
      typeof entry.clientId !== 'string' ||
      !SERVICE_CLIENT_ID.test(entry.clientId) ||
      typeof entry.secret !== 'string' ||
      entry.secret.length < SERVICE_SECRET_MIN_LENGTH ||
      (entry.scopes !== undefined &&
        (!Array.isArray(entry.scopes) || !entry.scopes.every((scope) => typeof scope === 'string')))
    ) {
      throw new Error(
        `SERVICE_CLIENTS[${index}] must be { clientId: lower-case name, secret: at least ${SERVICE_SECRET_MIN_LENGTH} characters, scopes?: string[] }`,
      );
    }
    if (clients.some((client) => client.clientId === entry.clientId)) {
      throw new Error(`SERVICE_CLIENTS names ${entry.clientId} twice`);
    }
    clients.push({
      clientId: entry.clientId,
      secret: entry.secret,
      ...(entry.scopes === undefined ? {} : { scopes: entry.scopes as string[] }),
    });
  });
  return clients;
}

/** Compares secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
