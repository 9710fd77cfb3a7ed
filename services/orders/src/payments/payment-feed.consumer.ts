import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { paymentEvents } from '@ticketry/contracts';
import { InboxConsumer } from '@ticketry/messaging';
import { CLOCK, Clock } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { schemaName } from '../db';
import { OrderConfirmation } from '../orders/order-confirmation';
import { OrderSettlement } from '../orders/order-settlement';

/**
 * Billing's answer by event, for checkouts whose own call to billing timed out or crashed: an
 * authorisation confirms a still-pending order; one for an order already given up is sent back as
 * OrderCancelled so billing voids it (never a captured payment without an order). A failure
 * cancels the pending order and releases its seats.
 */
@Injectable()
export class PaymentFeedConsumer implements OnModuleInit {
  constructor(
    private readonly inbox: InboxConsumer,
    private readonly confirmation: OrderConfirmation,
    private readonly settlement: OrderSettlement,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.inbox.on('billing.payment.v1', paymentEvents.PaymentAuthorizedSchema, async (event, manager) => {
      const ref = event.message.payment;
      if (!ref?.orderId) return; // a subscription charge, not ours
      await this.authorized(manager, ref.orderId, ref.paymentId);
    });
    this.inbox.on('billing.payment.v1', paymentEvents.PaymentFailedSchema, async (event, manager) => {
      const ref = event.message.payment;
      if (!ref?.orderId) return;
      await this.settlement.cancelPending(manager, ref.orderId, 'payment_failed', this.clock.now(), {
        paymentId: ref.paymentId,
        declineCode: event.message.declineCode,
        // Arriving by event, the decline was never answered to the buyer's request.
        tellBuyer: true,
      });
    });
  }

  private async authorized(manager: EntityManager, orderId: string, paymentId: string): Promise<void> {
    const now = this.clock.now();
    if (await this.confirmation.confirm(manager, orderId, 'pending', paymentId, now)) return;
    const [order] = (await manager.query(
      `SELECT status, event_id FROM ${schemaName(manager)}.orders WHERE id = $1`,
      [orderId],
    )) as { status: string; event_id: string }[];
    if (!order || order.status === 'confirmed') return;
    if (order.status === 'cancelled' || order.status === 'payment_failed') {
      await this.settlement.announceCancelled(
        manager,
        orderId,
        order.event_id,
        paymentId,
        'hold_expired',
        now,
      );
    }
  }
}
