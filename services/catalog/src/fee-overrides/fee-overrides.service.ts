import { Inject, Injectable } from '@nestjs/common';
import { assertOrganizationRole, Principal } from '@ticketry/auth';
import { FEE_SCHEDULES, feeScheduleFor, withOverride, type FeeOverride } from '@ticketry/fees';
import { CLOCK, Clock, ValidationFailedError } from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { EventsService } from '../events/events.service';
import { FeeOverrideDto, OrganizationFeesDto, SetFeeOverrideDto } from './fee-overrides.dto';
import { FeeOverrideEntity, feeOverrideFor } from './fee-override.entity';

/** CAT-2: the roles that see their organization's agreed fees (money matters, not scanning). */
const ORGANIZATION_ROLES_THAT_READ_FEES = ['owner', 'finance', 'manager'] as const;

/**
 * CAT-2: "the platform service fee may be overridden per organizer by agreement". One agreement per
 * organization and currency, set and removed by platform_admin. It is private to the organization:
 * GET /v1/fees keeps answering the published schedule. Every change is published to orders through
 * the events it affects (EventsService.republishForFeeOverride), in the same transaction.
 */
@Injectable()
export class FeeOverridesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async set(
    principal: Principal,
    organizationId: string,
    currencyParam: string,
    input: SetFeeOverrideDto,
  ): Promise<FeeOverrideDto> {
    const currency = soldCurrency(currencyParam);
    const agreed: FeeOverride = { percentBp: input.percentBp, fixedMinor: input.fixedMinor };
    // 422 invalid_fee_override: the same rule orders applies when it prices with the agreement.
    withOverride(anyScheduleIn(currency), agreed);
    const organization = organizationId.toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(FeeOverrideEntity);
      const before = await repo.findOne({
        where: { organizationId: organization, currency },
        lock: { mode: 'pessimistic_write' },
      });
      const row: FeeOverrideEntity = {
        organizationId: organization,
        currency,
        percentBp: agreed.percentBp,
        fixedMinor: agreed.fixedMinor,
        reason: input.reason,
        setBy: principal.identityId,
        setAt: this.clock.now(),
      };
      await repo.upsert(row, ['organizationId', 'currency']);
      // Only the figures reach orders; a new reason alone changes no price, so nothing to republish.
      if (!before || before.percentBp !== agreed.percentBp || before.fixedMinor !== agreed.fixedMinor) {
        await this.events.republishForFeeOverride(manager, organization, currency, agreed);
      }
      return {
        organizationId: organization,
        currency,
        percentBp: row.percentBp,
        fixedMinor: row.fixedMinor,
        reason: row.reason,
        setAt: row.setAt.toISOString(),
      };
    });
  }

  /** Idempotent: removing an agreement that is not there is done already (204, nothing published). */
  async remove(organizationId: string, currencyParam: string): Promise<void> {
    const currency = soldCurrency(currencyParam);
    const organization = organizationId.toLowerCase();
    await this.dataSource.transaction(async (manager) => {
      const removed = await manager
        .getRepository(FeeOverrideEntity)
        .delete({ organizationId: organization, currency });
      if ((removed.affected ?? 0) === 0) return;
      // The published schedule applies again to everything on sale (checked, then republished).
      await this.events.republishForFeeOverride(manager, organization, currency, null);
    });
  }

  /**
   * The schedule that applies to the organization in a country and currency: the published one, with
   * percentBp and fixedMinor replaced when it has an agreement; VAT (PAY-10) and the ORD-4/ORD-5 fees
   * always as published. Its owner, finance and manager may read it, and platform support and admins.
   */
  async effective(
    principal: Principal,
    organizationId: string,
    country: string,
    currency: string,
  ): Promise<OrganizationFeesDto> {
    // The membership check comes first, so a stranger learns nothing, not even fees_not_available.
    if (!principal.hasRole('platform_admin', 'support')) {
      assertOrganizationRole(principal, organizationId, ORGANIZATION_ROLES_THAT_READ_FEES);
    }
    const base = feeScheduleFor(country, currency); // 422 fees_not_available
    const override = await feeOverrideFor(this.dataSource.manager, organizationId, base.currency);
    const { percentBp, fixedMinor, vatBp, altPaymentFeeBp, advertisingFeeBp } = withOverride(base, override);
    return { percentBp, fixedMinor, vatBp, altPaymentFeeBp, advertisingFeeBp, overridden: override !== null };
  }
}

/** An agreement is in a currency the platform sells in somewhere; anything else is a client error. */
function soldCurrency(param: string): string {
  const currency = param.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !FEE_SCHEDULES.some((s) => s.currency === currency)) {
    throw new ValidationFailedError([
      { field: 'currency', message: 'currency must be one the platform sells tickets in' },
    ]);
  }
  return currency;
}

/** withOverride needs a schedule; the agreement's limits do not depend on the country. */
function anyScheduleIn(currency: string) {
  const schedule = FEE_SCHEDULES.find((s) => s.currency === currency);
  if (!schedule) throw new Error(`no fee schedule in ${currency}`);
  return schedule;
}
