import { Injectable, OnModuleInit } from '@nestjs/common';
import { orderEvents } from '@ticketry/contracts';
import { InboxConsumer, PermanentMessageError } from '@ticketry/messaging';
import type { EntityManager } from 'typeorm';
import { PaymentEntity } from './payment.entity';
import { PaymentRuleError } from './payment-errors';
import { OrderOutcomeNotice, PaymentsService } from './payments.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The saga's second half (orders.order.v1): OrderConfirmed captures the order's payment,
 * OrderCancelled voids it. Idempotent by event id (the inbox) and by state (a second confirmation
 * of the same order is recognised), so replays capture once. Contradictions (a confirmation after a
 * cancellation, a payment billing does not hold for the order, another amount) are parked in the
 * dead-letter table and topic for a person, never acted on.
 */
@Injectable()
export class OrderOutcomeConsumer implements OnModuleInit {
  constructor(
    private readonly inbox: InboxConsumer,
    private readonly payments: PaymentsService,
  ) {}

  onModuleInit(): void {
    this.inbox.on('orders.order.v1', orderEvents.OrderConfirmedSchema, async (event, manager) => {
      const order = event.message;
      // ORD-8: an e-invoice order has no payment here; the platform takes no part in it.
      if (order.paymentId === '') return;
      await this.apply(manager, {
        orderId: order.orderId,
        paymentId: order.paymentId,
        outcome: 'confirmed',
        total:
          order.currency === ''
            ? undefined
            : { amountMinor: Number(order.totalMinor), currency: order.currency },
      });
    });
    this.inbox.on('orders.order.v1', orderEvents.OrderCancelledSchema, async (event, manager) => {
      const order = event.message;
      // Orders may not know the payment id: its call to us timed out after we had authorised. The
      // payment is found by its order then, or there is none and nothing is held.
      const paymentId =
        order.paymentId !== ''
          ? order.paymentId
          : UUID.test(order.orderId)
            ? (await manager.getRepository(PaymentEntity).findOne({ where: { orderId: order.orderId } }))?.id
            : undefined;
      if (paymentId === undefined) return;
      await this.apply(manager, { orderId: order.orderId, paymentId, outcome: 'cancelled' });
    });
  }

  private async apply(manager: EntityManager, notice: OrderOutcomeNotice): Promise<void> {
    if (!UUID.test(notice.paymentId) || !UUID.test(notice.orderId)) {
      throw new PermanentMessageError(
        `Order ${notice.orderId} names a malformed payment id ${notice.paymentId}`,
      );
    }
    const result = await this.payments.applyOrderOutcome(manager, notice).catch((error: unknown) => {
      // A money rule the provider or the aggregate refuses will refuse again: park it.
      if (error instanceof PaymentRuleError) throw new PermanentMessageError(error.message, { cause: error });
      throw error;
    });
    // The inbox logs the parked message once, with this text and the event id.
    if (result.kind === 'conflict') throw new PermanentMessageError(`${result.code}: ${result.message}`);
  }
}
