import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, identityEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { CLOCK, Clock, NotFoundError } from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { MarketAccountEntity } from '../accounts/identity.entity';

export type Address = Record<string, string>;

@Injectable()
export class MarketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * ID-3: entering a new market asks for consent; with it, a market account is created there and
   * linked to the identity's credentials; without it nothing is created. Linking twice is a no-op.
   */
  async link(
    identityId: string,
    market: string,
    consent: boolean,
  ): Promise<{ marketAccountId: string } | { linked: false }> {
    if (!consent) return { linked: false };
    return this.dataSource.transaction(async (manager) => {
      const accounts = manager.getRepository(MarketAccountEntity);
      const existing = await accounts.findOne({
        where: { identityId, market },
        lock: { mode: 'pessimistic_write' },
      });
      if (existing?.linkStatus === 'linked') return { marketAccountId: existing.id };
      const marketAccountId = existing?.id ?? randomUUID();
      if (existing) await accounts.update({ id: existing.id }, { linkStatus: 'linked' });
      else await accounts.insert({ id: marketAccountId, identityId, market, linkStatus: 'linked' });
      await this.outbox.publish(manager, {
        topic: 'identity.identity.v1',
        key: identityId,
        schema: identityEvents.MarketAccountLinkedSchema,
        message: create(identityEvents.MarketAccountLinkedSchema, {
          identityId,
          marketAccountId,
          market,
          reason: 'consent',
          linkedAt: timestampFromDate(this.clock.now()),
        }),
      });
      return { marketAccountId };
    });
  }

  /** ID-5: the consumer keeps this account out of the global identity; it cannot open other markets. */
  async refuseLink(identityId: string, marketAccountId: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(MarketAccountEntity)
      .update({ id: marketAccountId, identityId }, { linkStatus: 'refused' });
    if (!result.affected) throw new NotFoundError('The market account', 'market_account_not_found');
  }

  /** ID-7: addresses are kept per market account, never copied into the global profile. */
  async setAddresses(identityId: string, market: string, billing: Address, delivery: Address): Promise<void> {
    const result = await this.dataSource
      .getRepository(MarketAccountEntity)
      .update({ identityId, market }, { billingAddress: billing, deliveryAddress: delivery });
    if (!result.affected)
      throw new NotFoundError(`A market account in ${market}`, 'market_account_not_found');
  }
}
