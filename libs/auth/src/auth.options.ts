import type { ModuleMetadata, Type } from '@nestjs/common';
import { SystemClock, type Clock } from '@ticketry/platform';
import type { KeyResolver, StaticKeyInput } from './key-resolver';
import { STEP_UP_MAX_AGE_SECONDS } from './principal';

export type Env = Record<string, string | undefined>;

export interface JwksOptions {
  /** How long a fetched key is trusted before the JWKS is asked again. Default 10 minutes. */
  cacheMaxAgeMs?: number;
  /** JWKS fetches allowed per minute (unknown `kid`s trigger fetches). Default 10. */
  requestsPerMinute?: number;
  /** Default 5 s: a hung identity must not hold requests for jwks-rsa's default 30 s. */
  timeoutMs?: number;
}

export interface ServiceTokenOptions {
  /** Base URL of identity, e.g. http://identity:3001 (env IDENTITY_URL). */
  identityUrl: string;
  /** env SERVICE_CLIENT_ID */
  clientId: string;
  /** env SERVICE_CLIENT_SECRET */
  clientSecret: string;
  /** Optional space-separated scopes to ask for. */
  scope?: string;
  /** Per-request timeout towards identity. Default 5 s. */
  timeoutMs?: number;
  /** Refresh this long before expiry (capped at a fifth of the token's lifetime). Default 60 s. */
  refreshBeforeExpirySeconds?: number;
}

export interface AuthModuleOptions {
  /** Expected `iss`; env JWT_ISSUER, default `ticketry-identity`. */
  issuer?: string;
  /** Expected `aud`; env JWT_AUDIENCE, default `ticketry`. */
  audience?: string;
  /** Identity's JWKS; env JWKS_URL, default http://localhost:3001/.well-known/jwks.json outside production. */
  jwksUrl?: string;
  jwks?: JwksOptions;
  /**
   * Verify against these public keys instead of fetching a JWKS: for identity itself, which holds
   * the keys it signs with and should not call itself over HTTP.
   */
  staticKeys?: StaticKeyInput[];
  /** Full control over key lookup (e.g. identity reading its rotating key store). Wins over the above. */
  keyResolver?: KeyResolver | Type<KeyResolver>;
  /** Modules the keyResolver class needs for its own dependencies. */
  imports?: ModuleMetadata['imports'];
  /** Register TicketryAuthGuard as APP_GUARD: every route needs a token unless @Public(). Default false. */
  globalGuards?: boolean;
  /**
   * Provide ServiceTokenProvider. `true` reads IDENTITY_URL, SERVICE_CLIENT_ID and
   * SERVICE_CLIENT_SECRET; an object overrides any of them. Default false.
   */
  serviceToken?: boolean | Partial<ServiceTokenOptions>;
  /** Leeway for exp/nbf/iat between hosts. Default 5 s. */
  clockToleranceSeconds?: number;
  stepUpMaxAgeSeconds?: number;
  /** Judges step-up freshness and service-token expiry. Default: the system clock. */
  clock?: Clock;
  /** Read instead of process.env (tests). */
  env?: Env;
}

export interface ResolvedAuthOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  stepUpMaxAgeSeconds: number;
  clock: Clock;
}

export const AUTH_OPTIONS = Symbol('TICKETRY_AUTH_OPTIONS');
export const SERVICE_TOKEN_OPTIONS = Symbol('TICKETRY_SERVICE_TOKEN_OPTIONS');

export const DEFAULT_ISSUER = 'ticketry-identity';
export const DEFAULT_AUDIENCE = 'ticketry';
const DEV_IDENTITY_URL = 'http://localhost:3001';

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

export function resolveAuthOptions(
  options: AuthModuleOptions,
  env: Env = options.env ?? process.env,
): ResolvedAuthOptions {
  return {
    issuer: options.issuer ?? nonEmpty(env.JWT_ISSUER) ?? DEFAULT_ISSUER,
    audience: options.audience ?? nonEmpty(env.JWT_AUDIENCE) ?? DEFAULT_AUDIENCE,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
    stepUpMaxAgeSeconds: options.stepUpMaxAgeSeconds ?? STEP_UP_MAX_AGE_SECONDS,
    clock: options.clock ?? new SystemClock(),
  };
}

/** Dev falls back to identity on localhost; production must say where the keys are. */
export function resolveJwksUrl(options: AuthModuleOptions, env: Env = options.env ?? process.env): string {
  const url = options.jwksUrl ?? nonEmpty(env.JWKS_URL);
  if (url !== undefined) return url;
  if (isProduction(env))
    throw new AuthConfigError('JWKS_URL is required in production (identity /.well-known/jwks.json)');
  return `${DEV_IDENTITY_URL}/.well-known/jwks.json`;
}

/** Secrets have no default, not even in dev: a missing one must stop the service at boot. */
export function resolveServiceTokenOptions(
  overrides: Partial<ServiceTokenOptions>,
  env: Env,
): ServiceTokenOptions {
  const identityUrl =
    overrides.identityUrl ?? nonEmpty(env.IDENTITY_URL) ?? (isProduction(env) ? undefined : DEV_IDENTITY_URL);
  const clientId = overrides.clientId ?? nonEmpty(env.SERVICE_CLIENT_ID);
  const clientSecret = overrides.clientSecret ?? nonEmpty(env.SERVICE_CLIENT_SECRET);
  const missing = [
    identityUrl === undefined ? 'IDENTITY_URL' : undefined,
    clientId === undefined ? 'SERVICE_CLIENT_ID' : undefined,
    clientSecret === undefined ? 'SERVICE_CLIENT_SECRET' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (identityUrl === undefined || clientId === undefined || clientSecret === undefined) {
    throw new AuthConfigError(`service tokens need ${missing.join(', ')}`);
  }
  const resolved: ServiceTokenOptions = {
    ...overrides,
    identityUrl: identityUrl.replace(/\/+$/, ''),
    clientId,
    clientSecret,
  };
  return resolved;
}
