import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
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
      await manager
        .getRepository(IdentityEntity)
        .update({ id: reset.identityId }, { passwordHash, mustResetPassword: false });
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
