import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import {
  CLOCK,
  Clock,
  DomainError,
  ConflictError,
  marketOf,
  ValidationFailedError,
} from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource, QueryFailedError } from 'typeorm';
import { GuestRegistration, isGuest } from '../guests/guest-registration';
import { RegisterAccountDto, RegisteredAccountDto } from './accounts.dto';
import { IdentityEntity, MarketAccountEntity } from './identity.entity';
import {
  normalizeEmail,
  normalizePhone,
  requiredActionsAfterRegistration,
  guardianConsentMissing,
} from './registration';
import { passwordProblem } from '../password/password-policy';

/** OWASP's argon2id baseline (19 MiB, 2 passes): strong, and keeps a login well under 100 ms. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly guests: GuestRegistration,
  ) {}

  /**
   * Registers a global identity with its first market account (ID-1) and asks for phone
   * verification (ID-9). The identity, its account, the IdentityRegistered event and the welcome
   * e-mail request are committed together or not at all.
   */
  async register(input: RegisterAccountDto): Promise<RegisteredAccountDto> {
    const email = normalizeEmail(input.email);
    const phone = normalizePhone(input.phone, input.market);
    if (!phone.ok)
      throw new ValidationFailedError([{ field: 'phone', message: 'phone must be a valid phone number' }]);
    const weak = passwordProblem(input.password);
    if (weak)
      throw new ValidationFailedError([
        { field: 'password', message: `password is ${weak.replace('_', ' ')}` },
      ]);
    if (guardianConsentMissing(input.dateOfBirth, input.guardianConsent, this.clock.now())) {
      throw new DomainError(
        'guardian_consent_required',
        'A consumer under 17 needs a guardian’s permission (CON-9).',
      );
    }
    const market = marketOf(input.market);
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const identityId = randomUUID();
    const marketAccountId = randomUUID();
    const language = input.language ?? market.language;
    const now = this.clock.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        const existing = await manager.getRepository(IdentityEntity).findOneBy({ email });
        // ID-14: a guest's e-mail gets a claim link, and the caller the answer of a new registration
        // (ids that are not the guest's), so it learns nothing about the e-mail (README: Decisions).
        if (existing && isGuest(existing))
          return this.guests.registeredWithGuestEmail(manager, existing, market.code);
        if (existing) throw new ConflictError('email_taken', 'An account with this e-mail already exists.');
        await manager.getRepository(IdentityEntity).insert({
          id: identityId,
          email,
          passwordHash,
          firstName: input.firstName.trim(),
          lastName: input.lastName.trim(),
          phone: phone.e164,
          phoneVerifiedAt: null,
          language,
          country: input.country?.toUpperCase() ?? market.country,
          postalCode: input.postalCode ?? null,
          dateOfBirth: input.dateOfBirth ?? null,
          guardianConsent: input.guardianConsent ?? null,
          publicProfile: true, // ID-15: a public profile exists until the consumer opts out
        });
        await manager
          .getRepository(MarketAccountEntity)
          .insert({ id: marketAccountId, identityId, market: market.code, linkStatus: 'linked' });
        await this.outbox.publish(manager, {
          topic: 'identity.identity.v1',
          key: identityId,
          schema: identityEvents.IdentityRegisteredSchema,
          message: create(identityEvents.IdentityRegisteredSchema, {
            identityId,
            email,
            market: market.code,
            marketAccountId,
            firstName: input.firstName.trim(),
            lastName: input.lastName.trim(),
            language,
            registeredAt: timestampFromDate(now),
            guest: false,
          }),
        });
        await requestNotification(this.outbox, manager, {
          channel: 'email',
          template: 'account_welcome',
          recipient: email,
          data: { firstName: input.firstName.trim() },
          kind: 'transactional',
          market: market.code,
          language,
          identityId,
          requestedBy: 'identity',
          requestedAt: now,
        });
      });
    } catch (error) {
      // Two registrations of one e-mail at the same moment: the unique index decides, same answer.
      if (isUniqueViolation(error))
        throw new ConflictError('email_taken', 'An account with this e-mail already exists.');
      throw error;
    }
    return { identityId, marketAccountId, requiredActions: requiredActionsAfterRegistration(false) };
  }
}
