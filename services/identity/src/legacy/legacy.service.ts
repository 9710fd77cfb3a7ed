import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { CLOCK, Clock } from '@ticketry/platform';
import { DataSource, In } from 'typeorm';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';
import { normalizePhone } from '../accounts/registration';
import { LegacyAccount, mergeLegacyAccounts, Profile } from './legacy-merge';
import type { LegacyImportResultDto } from './legacy.controller';

@Injectable()
export class LegacyImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * ID-2: accounts sharing an e-mail become one identity with one linked account per market; the
   * identity must set one new password at its next login. ID-6: profile fields merge by recency.
   * All in one transaction: a failed import leaves nothing half-linked. Re-running it is safe.
   */
  async import(accounts: LegacyAccount[]): Promise<LegacyImportResultDto> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const identities = manager.getRepository(IdentityEntity);
      const marketAccounts = manager.getRepository(MarketAccountEntity);
      const emails = [...new Set(accounts.map((a) => a.email.trim().toLowerCase()))];
      const onFile = await identities.find({
        where: { email: In(emails) },
        lock: { mode: 'pessimistic_write' },
      });
      const existing = new Map(
        onFile.map((identity) => [
          identity.email,
          {
            profile: {
              firstName: identity.firstName,
              lastName: identity.lastName,
              country: identity.country ?? undefined,
              postalCode: identity.postalCode ?? undefined,
              phone: identity.phone ?? undefined,
              language: identity.language ?? undefined,
            } satisfies Profile,
            updatedAt: identity.updatedAt,
          },
        ]),
      );
      const result: LegacyImportResultDto = { identities: [] };
      for (const merged of mergeLegacyAccounts(accounts, existing)) {
        const current = onFile.find((identity) => identity.email === merged.email);
        const firstMarket = merged.markets[0];
        const phone = merged.profile.phone ? normalizePhone(merged.profile.phone, firstMarket) : undefined;
        const fields = {
          firstName: merged.profile.firstName ?? '',
          lastName: merged.profile.lastName ?? '',
          country: merged.profile.country?.toUpperCase() ?? null,
          postalCode: merged.profile.postalCode ?? null,
          phone: phone?.ok ? phone.e164 : null,
          language: merged.profile.language ?? null,
        };
        const identityId = current?.id ?? randomUUID();
        if (current) {
          // An identity with its own password already chose one: only imported ones must reset.
          await identities.update(
            { id: identityId },
            { ...fields, mustResetPassword: current.passwordHash === null || current.mustResetPassword },
          );
        } else {
          await identities.insert({
            id: identityId,
            email: merged.email,
            passwordHash: null,
            mustResetPassword: true,
            ...fields,
          });
        }
        const linked = await marketAccounts.findBy({ identityId });
        const ids: string[] = [];
        for (const market of merged.markets) {
          const present = linked.find((account) => account.market === market);
          if (present) {
            ids.push(present.id);
            continue;
          }
          const marketAccountId = randomUUID();
          await marketAccounts.insert({ id: marketAccountId, identityId, market, linkStatus: 'linked' });
          ids.push(marketAccountId);
          await this.outbox.publish(manager, {
            topic: 'identity.identity.v1',
            key: identityId,
            schema: identityEvents.MarketAccountLinkedSchema,
            message: create(identityEvents.MarketAccountLinkedSchema, {
              identityId,
              marketAccountId,
              market,
              reason: 'legacy_import',
              linkedAt: timestampFromDate(now),
            }),
          });
        }
        result.identities.push({ email: merged.email, identityId, marketAccountIds: ids });
      }
      return result;
    });
  }
}
