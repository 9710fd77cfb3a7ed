import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import { AppError, CLOCK, Clock, marketOf, isMarket, ValidationFailedError } from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ARGON2_OPTIONS } from '../accounts/accounts.service';
import { IdentityEntity } from '../accounts/identity.entity';
import { normalizeEmail } from '../accounts/registration';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { passwordProblem } from './password-policy';
import { PasswordResetEntity } from './password-reset.entity';

export const RESET_TTL_MS = 60 * 60 * 1000;
/**
 * The guest-account claim link in the welcome e-mail (ID-14) is a reset token too, but valid for
 * seven days: it comes unasked after a purchase and is often opened days later. Still single use.
 */
export const CLAIM_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Where the consumer's browser opens the reset link (the frontend's page, not this API). */
function resetLink(token: string): string {
  const base = process.env.PUBLIC_WEB_URL ?? 'http://localhost:8080';
  return `${base}/reset-password?token=${token}`;
}

@Injectable()
export class PasswordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Sends a reset link when the e-mail is known, guest accounts included (ID-14: that is how a
   * guest account is claimed). The caller always gets the same answer, so it learns nothing.
   */
  async forgot(email: string, market: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const identity = await manager
        .getRepository(IdentityEntity)
        .findOneBy({ email: normalizeEmail(email) });
      if (identity) await this.sendResetLink(manager, identity, market);
    });
  }

  async sendResetLink(manager: EntityManager, identity: IdentityEntity, market: string): Promise<void> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    await manager.getRepository(PasswordResetEntity).insert({
      id: randomUUID(),
      identityId: identity.id,
      tokenHash: hash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
      usedAt: null,
    });
    const language = identity.language ?? (isMarket(market) ? marketOf(market).language : 'en');
    await requestNotification(this.outbox, manager, {
      channel: 'email',
      template: 'password_reset',
      recipient: identity.email,
      data: { link: resetLink(token), firstName: identity.firstName },
      kind: 'transactional',
      market,
      language,
      identityId: identity.id,
      requestedBy: 'identity',
      requestedAt: now,
    });
  }

  /**
   * A reset token for the guest-account claim link (ID-14), valid CLAIM_TTL_MS, in the caller's
   * transaction. Redeemed through reset() like any reset token; the caller builds the link.
   */
  async issueClaimToken(manager: EntityManager, identityId: string): Promise<string> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    await manager.getRepository(PasswordResetEntity).insert({
      id: randomUUID(),
      identityId,
      tokenHash: hash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CLAIM_TTL_MS),
      usedAt: null,
    });
    return token;
  }

  /** Single use, one hour. Setting the password ends every session and clears ID-2's reset demand. */
  async reset(token: string, newPassword: string): Promise<void> {
    const problem = passwordProblem(newPassword);
    if (problem) {
      throw new ValidationFailedError([
        { field: 'newPassword', message: `newPassword is ${problem.replace('_', ' ')}` },
      ]);
    }
    const passwordHash = await argon2.hash(newPassword, ARGON2_OPTIONS);
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const reset = await manager
        .getRepository(PasswordResetEntity)
        .findOne({ where: { tokenHash: hash(token) }, lock: { mode: 'pessimistic_write' } });
      if (!reset || reset.usedAt) return 'invalid' as const;
      if (reset.expiresAt <= now) return 'expired' as const;
      await manager.getRepository(PasswordResetEntity).update({ id: reset.id }, { usedAt: now });
      const before = await manager
        .getRepository(IdentityEntity)
        .findOne({ where: { id: reset.identityId }, lock: { mode: 'pessimistic_write' } });
      await manager
        .getRepository(IdentityEntity)
        .update({ id: reset.identityId }, { passwordHash, mustResetPassword: false });
      // ID-14: an identity without a password (a guest account) got its first one: it is claimed,
      // and orders attaches the earlier orders made with the e-mail.
      if (before && before.passwordHash === null) {
        await this.outbox.publish(manager, {
          topic: 'identity.identity.v1',
          key: before.id,
          schema: identityEvents.GuestAccountClaimedSchema,
          message: create(identityEvents.GuestAccountClaimedSchema, {
            identityId: before.id,
            email: before.email,
            claimedAt: timestampFromDate(now),
          }),
        });
      }
      await manager
        .getRepository(RefreshTokenEntity)
        .update({ identityId: reset.identityId, revokedAt: IsNull() }, { revokedAt: now });
      return 'done' as const;
    });
    if (outcome === 'invalid')
      throw new AppError(400, 'invalid_reset_token', 'The reset link is not valid or was already used.');
    if (outcome === 'expired')
      throw new AppError(410, 'reset_token_expired', 'The reset link has expired; ask for a new one.');
  }
}
