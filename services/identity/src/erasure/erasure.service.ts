import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { CLOCK, Clock, NotFoundError, RateLimiter } from '@ticketry/platform';
import { DataSource, IsNull } from 'typeorm';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';
import { PasswordResetEntity } from '../password/password-reset.entity';
import { OtpChallengeEntity } from '../phone-verification/otp-challenge.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { anonymisedProfile } from './erasure';

@Injectable()
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly limiter: RateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * ID-17, CON-6: deleting the account anonymises the identity here at once (the row stays so the
   * id other services hold still resolves) and publishes IdentityErased, in the same transaction,
   * for every other service to erase or anonymise its own data. Asking again answers with the
   * erasure already made.
   */
  async erase(identityId: string): Promise<{ erasureId: string }> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const identities = manager.getRepository(IdentityEntity);
      const identity = await identities.findOne({
        where: { id: identityId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!identity) throw new NotFoundError('The identity', 'identity_not_found');
      if (identity.erasedAt && identity.erasureId) return { erasureId: identity.erasureId };

      const erasureId = randomUUID();
      await identities.update(
        { id: identity.id },
        { ...anonymisedProfile(identity.id), erasedAt: now, erasureId },
      );
      // ID-7: addresses live on the market accounts; the accounts stay (orders refer to them).
      await manager
        .getRepository(MarketAccountEntity)
        .update({ identityId: identity.id }, { billingAddress: null, deliveryAddress: null });
      await manager
        .getRepository(RefreshTokenEntity)
        .update({ identityId: identity.id, revokedAt: IsNull() }, { revokedAt: now });
      await manager.getRepository(PasswordResetEntity).delete({ identityId: identity.id });
      // One-time code challenges hold the phone number (CON-6).
      await manager.getRepository(OtpChallengeEntity).delete({ identityId: identity.id });
      // The login throttle is keyed by the e-mail: that key is personal data too.
      await this.limiter.reset(`login-fail:account:${identity.email}`, { manager });
      await this.outbox.publish(manager, {
        topic: 'identity.identity.v1',
        key: identity.id,
        schema: identityEvents.IdentityErasedSchema,
        message: create(identityEvents.IdentityErasedSchema, {
          identityId: identity.id,
          erasureId,
          erasedAt: timestampFromDate(now),
        }),
      });
      return { erasureId };
    });
  }
}
