import { Injectable } from '@nestjs/common';
import { create, orderEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import type { EntityManager } from 'typeorm';
import { rowsOf, schemaName } from '../db';

export type CancelReason = 'hold_expired' | 'payment_failed' | 'invoice_unpaid';

/**
 * The compensating half of the checkout saga: an order that will never be confirmed gives its seats
 * back (ORD-2) and says so on orders.order.v1, so billing voids any authorisation it holds for it.
 * Conditional on `pending`, so it cannot undo a confirmation that won the race.
 */
@Injectable()
export class OrderSettlement {
  constructor(private readonly outbox: Outbox) {}

  async cancelPending(
    manager: EntityManager,
    orderId: string,
    reason: CancelReason,
    now: Date,
    details: { paymentId?: string | null; declineCode?: string | null; tellBuyer?: boolean } = {},
    from: 'pending' | 'awaiting_invoice_payment' = 'pending',
  ): Promise<boolean> {
    const s = schemaName(manager);
    const status = reason === 'payment_failed' ? 'payment_failed' : 'cancelled';
    const rows = rowsOf<{
      id: string;
      event_id: string;
      payment_id: string | null;
      buyer_email: string;
      buyer_first_name: string;
      market: string;
      language: string;
      owner_identity_id: string | null;
      organization_id: string;
    }>(
      await manager.query(
        `UPDATE ${s}.orders SET status = $2, cancelled_at = $3, cancel_reason = $4, payment_token = NULL,
         payment_id = COALESCE($5, payment_id), decline_code = $6, hold_expires_at = NULL
       WHERE id = $1 AND status = $7
       RETURNING id, event_id, payment_id, buyer_email, buyer_first_name, market, language, owner_identity_id,
         organization_id`,
        [orderId, status, now, reason, details.paymentId ?? null, details.declineCode ?? null, from],
      ),
    );
    const order = rows[0];
    if (!order) return false;
    await this.releaseSeats(manager, orderId);
    await this.announceCancelled(manager, order.id, order.event_id, order.payment_id, reason, now);
    if (details.tellBuyer === true) {
      // The buyer left with a 202 `pending` and no tickets: they must learn it did not go through
      // (CON-3: a transactional message, always sent).
      const [event] = (await manager.query(`SELECT title FROM ${s}.events WHERE id = $1`, [
        order.event_id,
      ])) as {
        title: string;
      }[];
      await requestNotification(this.outbox, manager, {
        channel: 'email',
        template: 'order_not_completed',
        recipient: order.buyer_email,
        data: { eventTitle: event?.title ?? '', firstName: order.buyer_first_name, reason },
        kind: 'transactional',
        market: order.market,
        language: order.language,
        identityId: order.owner_identity_id ?? undefined,
        organizationId: order.organization_id,
        requestedBy: 'orders',
        requestedAt: now,
      });
    }
    return true;
  }

  async releaseSeats(manager: EntityManager, orderId: string): Promise<void> {
    const s = schemaName(manager);
    // Same ticket-type order as the hold, so a release and a sale never wait on each other in a cycle.
    const lines: { ticket_type_id: string; quantity: number }[] = await manager.query(
      `SELECT ticket_type_id, quantity FROM ${s}.order_lines WHERE order_id = $1 ORDER BY ticket_type_id`,
      [orderId],
    );
    for (const line of lines) {
      await manager.query(`UPDATE ${s}.ticket_types SET taken = taken - $2 WHERE id = $1`, [
        line.ticket_type_id,
        line.quantity,
      ]);
    }
  }

  /** Also used when an authorisation arrives for an order already given up: billing must void it. */
  async announceCancelled(
    manager: EntityManager,
    orderId: string,
    eventId: string,
    paymentId: string | null,
    reason: CancelReason,
    now: Date,
  ): Promise<void> {
    await this.outbox.publish(manager, {
      topic: 'orders.order.v1',
      key: orderId,
      schema: orderEvents.OrderCancelledSchema,
      message: create(orderEvents.OrderCancelledSchema, {
        orderId,
        eventId,
        paymentId: paymentId ?? '',
        reason,
        cancelledAt: timestampFromDate(now),
      }),
    });
  }
}
