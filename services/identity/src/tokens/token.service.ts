import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrgMembership, PlatformRole } from '@ticketry/auth';
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
}
