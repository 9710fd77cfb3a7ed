import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import { CLOCK, Clock, isMarket, marketOf } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';
import { normalizeEmail } from '../accounts/registration';
import { PasswordService } from '../password/password.service';
import { GuestRegistration } from './guest-registration';

export interface GuestBuyer {
  email: string;
  firstName: string;
  lastName: string;
  market: string;
  /** The buyer's language from the order; the market's when empty. */
  language: string;
  orderId: string;
}

export type GuestOutcome = 'created' | 'exists';

/** Where the consumer's browser opens the claim link (the frontend's page, not this API). */
export function claimLink(token: string): string {
  const base = process.env.PUBLIC_WEB_URL ?? 'http://localhost:8080';
  return `${base}/claim-account?token=${token}`;
}

@Injectable()
export class GuestAccountsService implements GuestRegistration {
  constructor(
    private readonly passwords: PasswordService,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * ID-13: attaches an account to a guest buyer's e-mail, in the caller's transaction. Creates the
   * password-less identity, its market account, GuestAccountCreated and the welcome e-mail with
   * the claim link (ID-14) only when no identity has the e-mail yet; an existing identity (guest or
   * not) gets nothing, so the welcome comes after the first guest purchase only.
   */
  async attachGuest(manager: EntityManager, buyer: GuestBuyer): Promise<GuestOutcome> {
    const email = normalizeEmail(buyer.email);
    const market = marketOf(buyer.market);
    const language = buyer.language || market.language;
    const identityId = randomUUID();
    const now = this.clock.now();
    // Two orders of one new e-mail handled at once: the unique e-mail index decides, and the loser
    // sees the winner's identity. ON CONFLICT instead of catching 23505, which would abort the
    // inbox transaction.
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(IdentityEntity)
      .values({
        id: identityId,
        email,
        passwordHash: null,
        firstName: buyer.firstName.trim(),
        lastName: buyer.lastName.trim(),
        phone: null,
        phoneVerifiedAt: null,
        language,
        country: market.country,
        postalCode: null,
        dateOfBirth: null,
        // Nobody chose to have an account yet: no public profile until the guest claims it and opts in.
        publicProfile: false,
        mustResetPassword: false,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return 'exists';

    const marketAccountId = randomUUID();
    await manager
      .getRepository(MarketAccountEntity)
      .insert({ id: marketAccountId, identityId, market: market.code, linkStatus: 'linked' });
    await this.outbox.publish(manager, {
      topic: 'identity.identity.v1',
      key: identityId,
      schema: identityEvents.GuestAccountCreatedSchema,
      message: create(identityEvents.GuestAccountCreatedSchema, {
        identityId,
        email,
        market: market.code,
        orderId: buyer.orderId,
        createdAt: timestampFromDate(now),
      }),
    });
    await this.sendClaimLink(
      manager,
      { id: identityId, email, firstName: buyer.firstName.trim(), language },
      market.code,
    );
    return 'created';
  }

  /**
   * POST /v1/accounts with a guest's e-mail: the caller has not shown the e-mail is theirs, so the
   * password they chose is not set; the e-mail's owner gets a claim link instead (ID-14).
   */
  async registeredWithGuestEmail(
    manager: EntityManager,
    guest: IdentityEntity,
    market: string,
  ): Promise<void> {
    await this.sendClaimLink(manager, guest, market);
  }

  /** The welcome e-mail with a claim link valid seven days (ID-14). */
  async sendClaimLink(
    manager: EntityManager,
    identity: Pick<IdentityEntity, 'id' | 'email' | 'firstName' | 'language'>,
    market: string,
  ): Promise<void> {
    const token = await this.passwords.issueClaimToken(manager, identity.id);
    const data: Record<string, string> = { link: claimLink(token) };
    if (identity.firstName) data.firstName = identity.firstName;
    await requestNotification(this.outbox, manager, {
      channel: 'email',
      template: 'guest_account_claim',
      recipient: identity.email,
      data,
      kind: 'transactional',
      market,
      language: identity.language ?? (isMarket(market) ? marketOf(market).language : 'en'),
      identityId: identity.id,
      requestedBy: 'identity',
      requestedAt: this.clock.now(),
    });
  }
}
