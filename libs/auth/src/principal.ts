import type { OrgMembership, OrgRole, PlatformRole, TicketryClaims } from './claims';

/** Step-up (an OTP check) counts for this long after the moment it happened. */
export const STEP_UP_MAX_AGE_SECONDS = 600;

/** How far a token's auth_time may lie in the future before it is distrusted (clock drift). */
const FUTURE_SKEW_SECONDS = 30;

/**
 * The caller, as the rest of the code sees it. Built only from verified claims; services depend on
 * this rather than on the raw payload so claim names can evolve in one place.
 */
export class Principal {
  /** `sub`: the identity id, or the client id for service and API-client tokens. */
  readonly identityId: string;
  readonly roles: readonly string[];
  readonly orgs: readonly OrgMembership[];
  readonly market: string | undefined;
  readonly amr: readonly string[];
  readonly scopes: readonly string[];
  readonly clientId: string | undefined;
  readonly tokenId: string;

  constructor(readonly claims: TicketryClaims) {
    this.identityId = claims.sub;
    this.roles = Object.freeze([...claims.roles]);
    this.orgs = Object.freeze(claims.orgs.map((m) => Object.freeze({ ...m })));
    this.market = claims.market;
    this.amr = Object.freeze([...(claims.amr ?? [])]);
    this.scopes = Object.freeze((claims.scope ?? '').split(' ').filter((s) => s.length > 0));
    this.clientId = claims.client_id;
    this.tokenId = claims.jti;
  }

  /** True when the principal has at least one of the given platform roles. */
  hasRole(...roles: PlatformRole[]): boolean {
    return roles.some((role) => this.roles.includes(role));
  }

  /** The first role held in the organization, or undefined for a non-member. */
  roleIn(organizationId: string): OrgRole | undefined {
    return this.rolesIn(organizationId)[0];
  }

  /** All roles held in the organization (a person may be, say, both owner and finance). */
  rolesIn(organizationId: string): OrgRole[] {
    // UUIDs arrive in either case from URLs; the token is canonical lower case.
    const wanted = organizationId.toLowerCase();
    return this.orgs.filter((m) => m.id.toLowerCase() === wanted).map((m) => m.role);
  }

  hasScope(...scopes: string[]): boolean {
    return scopes.every((scope) => this.scopes.includes(scope));
  }

  /**
   * Step-up is an OTP check within the last 10 minutes. auth_time is when it happened; tokens
   * without it fall back to iat because identity mints the stepped-up token at the OTP check.
   */
  isSteppedUp(now: Date, maxAgeSeconds: number = STEP_UP_MAX_AGE_SECONDS): boolean {
    if (!this.amr.includes('otp')) return false;
    const authenticatedAt = this.claims.auth_time ?? this.claims.iat;
    const ageSeconds = now.getTime() / 1000 - authenticatedAt;
    return ageSeconds <= maxAgeSeconds && ageSeconds >= -FUTURE_SKEW_SECONDS;
  }

  /** A token another Ticketry service obtained with its client credentials. */
  get isService(): boolean {
    return this.roles.includes('service');
  }

  /** A client-credentials token (a service or an organization's API client), not a person. */
  get isClient(): boolean {
    return this.clientId !== undefined;
  }
}
