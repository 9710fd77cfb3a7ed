import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { orderEvents } from '@ticketry/contracts';
import { ConsumedEvent, InboxConsumer, PermanentMessageError } from '@ticketry/messaging';
import { isMarket } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { GuestAccountsService } from './guest-accounts.service';

/**
 * ID-13: every purchase attaches an account to the buyer's e-mail. A purchase by a logged-in buyer
 * already has one; for a guest purchase identity creates a guest account if the e-mail has none.
 * Runs in the inbox transaction, so a redelivered OrderConfirmed changes nothing.
 */
@Injectable()
export class OrderConfirmedConsumer implements OnModuleInit {
  private readonly logger = new Logger(OrderConfirmedConsumer.name);

  constructor(
    private readonly inbox: InboxConsumer,
    private readonly guests: GuestAccountsService,
  ) {}

  onModuleInit(): void {
    this.inbox.on('orders.order.v1', orderEvents.OrderConfirmedSchema, (event, manager) =>
      this.handle(event, manager),
    );
  }

  async handle(
    event: ConsumedEvent<typeof orderEvents.OrderConfirmedSchema>,
    manager: EntityManager,
  ): Promise<void> {
    const order = event.message;
    const buyer = order.buyer;
    if (buyer?.identityId) return; // bought logged in: the account exists
    if (!buyer?.email.includes('@') || !isMarket(order.market)) {
      throw new PermanentMessageError('OrderConfirmed lacks a buyer e-mail or a known market');
    }
    const outcome = await this.guests.attachGuest(manager, {
      email: buyer.email,
      firstName: buyer.firstName,
      lastName: buyer.lastName,
      market: order.market,
      language: order.language,
      orderId: order.orderId,
    });
    this.logger.log({ orderId: order.orderId, outcome }, 'guest purchase handled');
  }
}
