import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrgMembership, OrgRole, PlatformRole } from '@ticketry/auth';
import { CLOCK, Clock, CONFIG } from '@ticketry/platform';
import { SignJWT } from 'jose';
import { IdentityConfig } from '../config';
import { ACCESS_TOKEN_TTL_SECONDS, SigningKeyStore } from './signing-keys';

export interface AccessTokenInput {
  identityId: string;
  market?: string;
  roles: PlatformRole[];
  orgs: OrgMembership[];
  /** How the holder proved who they are: `pwd`, and `otp` after step-up (ID-11). */
  amr: string[];
  authTime: Date;
  ttlSeconds?: number;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

export interface ClientTokenInput {
  /** Becomes `sub` and `client_id`. */
  clientId: string;
  /** An organization's API client acts for that organization; service clients have none. */
  organizationId?: string;
  scopes: string[];
  /** `['service']` for other Ticketry services, `[]` for partner (API) clients. */
  roles: PlatformRole[];
  ttlSeconds?: number;
}

/**
 * The membership an API client's token carries in its organization. Decision: API clients act for
 * their organization, as `manager` at most — never `owner` or `finance`, so a leaked client secret
 * cannot add members, create clients, change the bank account or see payouts. Routes narrow clients
 * further with @Scopes; routes meant for people only say @Roles('consumer') (clients have no roles).
 */
export const API_CLIENT_ORG_ROLE: OrgRole = 'manager';

/** Signs the access tokens every service verifies (RS256, claims as api.md lists them). */
@Injectable()
export class TokenService {
  constructor(
    private readonly keys: SigningKeyStore,
    @Inject(CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issueAccessToken(input: AccessTokenInput): Promise<IssuedAccessToken> {
    const key = await this.keys.current();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = input.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await new SignJWT({
      market: input.market,
      roles: input.roles,
      orgs: input.orgs,
      amr: input.amr,
      auth_time: Math.floor(input.authTime.getTime() / 1000),
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setSubject(input.identityId)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: ttl };
  }

  /** A client-credentials token (RFC 6749 §4.4): no person, so no market, amr or auth_time. */
  async issueClientToken(input: ClientTokenInput): Promise<IssuedAccessToken> {
    const key = await this.keys.current();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = input.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await new SignJWT({
      client_id: input.clientId,
      scope: input.scopes.join(' '),
      roles: input.roles,
      orgs:
        input.organizationId === undefined ? [] : [{ id: input.organizationId, role: API_CLIENT_ORG_ROLE }],
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setSubject(input.clientId)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: ttl };
  }
}
