import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import { CLOCK, Clock, ConflictError, isMarket, marketOf, NotFoundError } from '@ticketry/platform';
import { DataSource, EntityManager, IsNull, QueryFailedError } from 'typeorm';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';
import { normalizeEmail } from '../accounts/registration';
import { PasswordResetEntity } from '../password/password-reset.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { EmailChangedBy, emailChangeNotices } from './email-change';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

function emailTaken(): ConflictError {
  return new ConflictError('email_taken', 'Another account already uses this e-mail.');
}

/** Where the identity's messages go out from: its first linked market, in its language. */
export async function messageLocale(
  manager: EntityManager,
  identity: IdentityEntity,
): Promise<{ market: string; language: string }> {
  const accounts = await manager
    .getRepository(MarketAccountEntity)
    .find({ where: { identityId: identity.id }, order: { createdAt: 'ASC' } });
  const market = (accounts.find((a) => a.linkStatus === 'linked') ?? accounts[0])?.market ?? 'eu';
  const language = identity.language ?? (isMarket(market) ? marketOf(market).language : 'en');
  return { market, language };
}

@Injectable()
export class EmailChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * ID-12: the consumer (after step-up) or consumer support changes the e-mail. In one transaction:
   * the new address, EmailChanged, a security notice to the old address and a confirmation to the
   * new one; every refresh-token family is revoked (other sessions log in again) and unused reset
   * links, which went to the old address, stop working. The same address again changes nothing.
   */
  async change(
    identityId: string,
    requestedEmail: string,
    changedBy: EmailChangedBy,
  ): Promise<{ email: string }> {
    const email = normalizeEmail(requestedEmail);
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (manager) => {
        const identities = manager.getRepository(IdentityEntity);
        const identity = await identities.findOne({
          where: { id: identityId },
          lock: { mode: 'pessimistic_write' },
        });
        // An erased identity is gone as a person: giving it an address again would undo the erasure.
        if (!identity || identity.erasedAt) throw new NotFoundError('The identity', 'identity_not_found');
        if (identity.email === email) return { email };
        if (await identities.existsBy({ email })) throw emailTaken();

        const oldEmail = identity.email;
        await identities.update({ id: identity.id }, { email });
        await manager
          .getRepository(RefreshTokenEntity)
          .update({ identityId: identity.id, revokedAt: IsNull() }, { revokedAt: now });
        await manager
          .getRepository(PasswordResetEntity)
          .update({ identityId: identity.id, usedAt: IsNull() }, { usedAt: now });
        await this.outbox.publish(manager, {
          topic: 'identity.identity.v1',
          key: identity.id,
          schema: identityEvents.EmailChangedSchema,
          message: create(identityEvents.EmailChangedSchema, {
            identityId: identity.id,
            oldEmail,
            newEmail: email,
            changedBy,
            changedAt: timestampFromDate(now),
          }),
        });
        const { market, language } = await messageLocale(manager, identity);
        const notices = emailChangeNotices(oldEmail, email, changedBy);
        for (const [recipient, notice] of [
          [oldEmail, notices.toOld],
          [email, notices.toNew],
        ] as const) {
          await requestNotification(this.outbox, manager, {
            channel: 'email',
            template: 'generic',
            recipient,
            data: { subject: notice.subject, body: notice.body },
            kind: 'transactional', // CON-3: a security notice goes out whatever the marketing consent
            market,
            language,
            identityId: identity.id,
            requestedBy: 'identity',
            requestedAt: now,
          });
        }
        return { email };
      });
    } catch (error) {
      // Two identities moving to one address at the same moment: the unique index decides.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }
}
