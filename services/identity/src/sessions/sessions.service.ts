import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PlatformRole } from '@ticketry/auth';
import {
  CLOCK,
  Clock,
  RateLimiter,
  RateLimitPolicy,
  TooManyRequestsError,
  UnauthorizedError,
} from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ARGON2_OPTIONS } from '../accounts/accounts.service';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';
import { normalizeEmail, RequiredAction } from '../accounts/registration';
import { membershipsOf } from '../organizations/memberships';
import { TokenService } from '../tokens/token.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { TokenPairDto } from './sessions.dto';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Failed logins: per account, a handful before growing cool-downs (guessing one password); per IP,
 * more (a household or office shares one), against spraying many accounts from one address.
 */
export const LOGIN_FAILURE_POLICIES = {
  account: { limit: 5, windowSeconds: 15 * 60, coolDownSeconds: [60, 5 * 60, 15 * 60, 60 * 60] },
  ip: { limit: 30, windowSeconds: 15 * 60, coolDownSeconds: [5 * 60, 30 * 60, 60 * 60] },
} satisfies Record<string, RateLimitPolicy>;

/** Verified against when the e-mail is unknown, so a miss costs as long as a wrong password. */
const DUMMY_HASH = argon2.hash('ticketry-timing-equaliser', ARGON2_OPTIONS);

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function invalidCredentials(): UnauthorizedError {
  // One answer for an unknown e-mail, a guest account and a wrong password: no account probing.
  return new UnauthorizedError('invalid_credentials', 'The e-mail or password is wrong.');
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(input: { email: string; password: string; market: string }, ip: string): Promise<TokenPairDto> {
    const email = normalizeEmail(input.email);
    const keys = { account: `login-fail:account:${email}`, ip: `login-fail:ip:${ip}` };
    for (const name of ['account', 'ip'] as const) {
      const decision = await this.limiter.peek(keys[name], LOGIN_FAILURE_POLICIES[name]);
      if (!decision.allowed) {
        throw new TooManyRequestsError(
          'too_many_attempts',
          'Too many failed logins; try again later.',
          decision.retryAfterSeconds,
        );
      }
    }
    try {
      const result = await this.authenticate({ ...input, email });
      await this.limiter.reset(keys.account);
      return result;
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        await this.limiter.consume(keys.account, LOGIN_FAILURE_POLICIES.account);
        await this.limiter.consume(keys.ip, LOGIN_FAILURE_POLICIES.ip);
      }
      throw error;
    }
  }

  private async authenticate(input: {
    email: string;
    password: string;
    market: string;
  }): Promise<TokenPairDto> {
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ email: input.email });
    if (
      identity?.mustResetPassword &&
      (!identity.passwordHash || (await argon2.verify(identity.passwordHash, input.password)))
    ) {
      // ID-2: a linked legacy identity has no password of ours yet (its legacy passwords were not
      // imported); it sets one through the reset flow before any session exists.
      const accounts = await this.dataSource
        .getRepository(MarketAccountEntity)
        .findBy({ identityId: identity.id });
      return {
        accessToken: null,
        refreshToken: null,
        expiresIn: 0,
        requiredActions: this.requiredActions(identity, accounts, input.market),
      };
    }
    if (!identity?.passwordHash) {
      await argon2.verify(await DUMMY_HASH, input.password);
      throw invalidCredentials();
    }
    if (!(await argon2.verify(identity.passwordHash, input.password))) throw invalidCredentials();

    const accounts = await this.dataSource
      .getRepository(MarketAccountEntity)
      .findBy({ identityId: identity.id });
    const requiredActions = this.requiredActions(identity, accounts, input.market);
    if (requiredActions.includes('reset_password')) {
      // ID-2: linked legacy accounts set one new password before any session exists.
      return { accessToken: null, refreshToken: null, expiresIn: 0, requiredActions };
    }
    if (argon2.needsRehash(identity.passwordHash, ARGON2_OPTIONS)) {
      await this.dataSource
        .getRepository(IdentityEntity)
        .update({ id: identity.id }, { passwordHash: await argon2.hash(input.password, ARGON2_OPTIONS) });
    }
    const pair = await this.dataSource.transaction((manager) =>
      this.startFamily(manager, identity, input.market, ['pwd'], this.clock.now()),
    );
    return { ...pair, requiredActions };
  }

  /** ID-3, ID-5, ID-9, ID-2: what the consumer must do before the session is complete. */
  requiredActions(
    identity: IdentityEntity,
    accounts: MarketAccountEntity[],
    market: string,
  ): RequiredAction[] {
    const actions: RequiredAction[] = [];
    if (!identity.phoneVerifiedAt) actions.push('verify_phone');
    if (identity.mustResetPassword) actions.push('reset_password');
    if (!accounts.some((account) => account.market === market && account.linkStatus === 'linked'))
      actions.push('link_market');
    return actions;
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const current = await manager
        .getRepository(RefreshTokenEntity)
        .findOne({ where: { tokenHash: hashToken(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!current || current.revokedAt || current.expiresAt <= now) return { kind: 'invalid' as const };
      if (current.usedAt) {
        await this.revokeFamily(manager, current.familyId, now);
        return { kind: 'reused' as const };
      }
      const identity = await manager.getRepository(IdentityEntity).findOneBy({ id: current.identityId });
      if (!identity) return { kind: 'invalid' as const };
      await manager.getRepository(RefreshTokenEntity).update({ id: current.id }, { usedAt: now });
      const accounts = await manager.getRepository(MarketAccountEntity).findBy({ identityId: identity.id });
      const pair = await this.continueFamily(manager, identity, current);
      return {
        kind: 'ok' as const,
        pair: { ...pair, requiredActions: this.requiredActions(identity, accounts, current.market ?? '') },
      };
    });
    if (outcome.kind === 'reused') {
      throw new UnauthorizedError(
        'refresh_token_reused',
        'This refresh token was already used; the session has been ended.',
      );
    }
    if (outcome.kind === 'invalid')
      throw new UnauthorizedError('invalid_refresh_token', 'The refresh token is not valid.');
    return outcome.pair;
  }

  async logout(refreshToken: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const current = await manager
        .getRepository(RefreshTokenEntity)
        .findOneBy({ tokenHash: hashToken(refreshToken) });
      if (current) await this.revokeFamily(manager, current.familyId, now);
    });
  }

  private roles(identity: IdentityEntity): PlatformRole[] {
    return [
      'consumer',
      ...identity.platformRoles.filter(
        (role): role is PlatformRole => role === 'support' || role === 'platform_admin',
      ),
    ];
  }

  private async startFamily(
    manager: EntityManager,
    identity: IdentityEntity,
    market: string,
    amr: string[],
    authTime: Date,
  ) {
    return this.issuePair(manager, identity, { familyId: randomUUID(), market, amr, authTime });
  }

  private async continueFamily(
    manager: EntityManager,
    identity: IdentityEntity,
    previous: RefreshTokenEntity,
  ) {
    return this.issuePair(manager, identity, {
      familyId: previous.familyId,
      market: previous.market ?? undefined,
      amr: previous.amr.filter((method) => method !== 'otp'), // step-up is short-lived; refresh does not extend it
      authTime: previous.authTime,
    });
  }

  private async issuePair(
    manager: EntityManager,
    identity: IdentityEntity,
    session: { familyId: string; market?: string; amr: string[]; authTime: Date },
  ): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
    const now = this.clock.now();
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshTokenEntity).insert({
      id: randomUUID(),
      familyId: session.familyId,
      identityId: identity.id,
      market: session.market ?? null,
      tokenHash: hashToken(refreshToken),
      amr: session.amr,
      authTime: session.authTime,
      createdAt: now,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
      usedAt: null,
      revokedAt: null,
    });
    const access = await this.tokens.issueAccessToken({
      identityId: identity.id,
      market: session.market,
      roles: this.roles(identity),
      // Current memberships on every login and refresh: a refresh picks up a role added since.
      orgs: await membershipsOf(manager, identity.id),
      amr: session.amr,
      authTime: session.authTime,
    });
    return { ...access, refreshToken };
  }

  private async revokeFamily(manager: EntityManager, familyId: string, now: Date): Promise<void> {
    await manager
      .getRepository(RefreshTokenEntity)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
