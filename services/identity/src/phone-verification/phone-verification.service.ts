import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { NotificationSender } from '@ticketry/notifications';
import {
  AppError,
  CLOCK,
  Clock,
  CONFIG,
  isMarket,
  marketOf,
  NotFoundError,
  RateLimiter,
  TooManyRequestsError,
  ValidationFailedError,
} from '@ticketry/platform';
import { DataSource, EntityManager } from 'typeorm';
import { IdentityEntity } from '../accounts/identity.entity';
import { normalizePhone } from '../accounts/registration';
import { IdentityConfig } from '../config';
import { OtpChallengeEntity } from './otp-challenge.entity';
import {
  challengeAfterCheck,
  checkCode,
  createChallenge,
  generateCode,
  OTP_TTL_SECONDS,
  otpCheckError,
  OtpPurpose,
  sendBudgetKeys,
} from './otp';

export type OtpChannel = 'sms' | 'voice';

const TEMPLATES: Record<OtpPurpose, string> = {
  verify_phone: 'phone_verification_code',
  step_up: 'step_up_code',
};

/**
 * One-time codes by SMS or voice (ID-9..ID-11). Identity sends them itself, synchronously, through
 * libs/notifications (Twilio in production, the dev outbox elsewhere): the caller must know at once
 * whether the code went out. Send budgets per phone, identity and calling code guard against SMS
 * pumping; each code allows five wrong tries, lives ten minutes and works once.
 */
@Injectable()
export class PhoneVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NotificationSender,
    private readonly limiter: RateLimiter,
    private readonly outbox: Outbox,
    @Inject(CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private get pepper(): string {
    return this.config.OTP_PEPPER ?? 'ticketry-development-otp-pepper';
  }

  normalize(phone: string, market: string | undefined): string {
    const checked = normalizePhone(phone, market && isMarket(market) ? market : 'se');
    if (!checked.ok)
      throw new ValidationFailedError([{ field: 'phone', message: 'phone must be a valid phone number' }]);
    return checked.e164;
  }

  async send(
    identityId: string,
    phone: string,
    channel: OtpChannel,
    purpose: OtpPurpose,
    market?: string,
  ): Promise<void> {
    for (const budget of sendBudgetKeys(phone, identityId)) {
      const decision = await this.limiter.consume(budget.key, budget.policy);
      if (!decision.allowed) {
        throw new TooManyRequestsError(
          'too_many_requests',
          'Too many codes were sent; try again later.',
          decision.retryAfterSeconds,
        );
      }
    }
    const now = this.clock.now();
    const code = generateCode();
    const challenge = createChallenge(phone, purpose, code, now, this.pepper);
    await this.dataSource.transaction(async (manager) => {
      const identity = await manager.getRepository(IdentityEntity).findOneBy({ id: identityId });
      if (!identity) throw new NotFoundError('The identity', 'identity_not_found');
      const id = randomUUID();
      // A new code replaces any earlier one for the same purpose: only the latest can be entered.
      await manager
        .createQueryBuilder()
        .update(OtpChallengeEntity)
        .set({ consumedAt: now })
        .where('identity_id = :identityId AND purpose = :purpose AND consumed_at IS NULL', {
          identityId,
          purpose,
        })
        .execute();
      await manager.getRepository(OtpChallengeEntity).insert({ id, identityId, ...challenge });
      const language = identity.language ?? (market && isMarket(market) ? marketOf(market).language : 'en');
      await this.sender.deliver(
        {
          channel,
          to: phone,
          template: TEMPLATES[purpose],
          data: { code, validMinutes: String(OTP_TTL_SECONDS / 60) },
          language,
          idempotencyKey: id,
        },
        { manager },
      );
    });
  }

  /** Checks a code for the newest challenge; the row lock makes concurrent guesses count one by one. */
  async check(
    manager: EntityManager,
    identityId: string,
    phone: string,
    code: string,
    purpose: OtpPurpose,
  ): Promise<void> {
    const now = this.clock.now();
    const row = await manager
      .getRepository(OtpChallengeEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.identity_id = :identityId AND c.purpose = :purpose AND c.phone = :phone', {
        identityId,
        purpose,
        phone,
      })
      .orderBy('c.created_at', 'DESC')
      .limit(1)
      .getOne();
    if (!row) throw new AppError(400, 'invalid_code', 'The code is not correct.');
    const outcome = checkCode(row, code, now, this.pepper);
    const after = challengeAfterCheck(row, outcome, now);
    if (after.attempts !== row.attempts || after.consumedAt !== row.consumedAt) {
      await manager
        .getRepository(OtpChallengeEntity)
        .update({ id: row.id }, { attempts: after.attempts, consumedAt: after.consumedAt });
    }
    if (outcome !== 'verified') throw new CheckFailed(otpCheckError(outcome));
  }

  /** ID-9/ID-10: the code links the phone to this identity; the same phone may verify others too. */
  async verify(identityId: string, phone: string, code: string): Promise<void> {
    const now = this.clock.now();
    await this.commitEvenIfRefused(async (manager) => {
      await this.check(manager, identityId, phone, code, 'verify_phone');
      await manager.getRepository(IdentityEntity).update({ id: identityId }, { phone, phoneVerifiedAt: now });
      await this.outbox.publish(manager, {
        topic: 'identity.identity.v1',
        key: identityId,
        schema: identityEvents.PhoneVerifiedSchema,
        message: create(identityEvents.PhoneVerifiedSchema, {
          identityId,
          phone,
          verifiedAt: timestampFromDate(now),
        }),
      });
    });
  }

  /**
   * A wrong code must still count (the attempt is the state change), so the transaction commits
   * before the refusal is thrown.
   */
  async commitEvenIfRefused(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    let refusal: AppError | undefined;
    await this.dataSource.transaction(async (manager) => {
      try {
        await work(manager);
      } catch (error) {
        if (error instanceof CheckFailed) refusal = error.reason;
        else throw error;
      }
    });
    if (refusal) throw refusal;
  }
}

/** Carries a refused check out of the transaction without rolling back the counted attempt. */
export class CheckFailed extends Error {
  constructor(readonly reason: AppError) {
    super(reason.message);
  }
}
