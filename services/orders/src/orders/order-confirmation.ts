import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, orderEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import { formatMoney, money } from '@ticketry/money';
import { CONFIG } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { OrdersConfig } from '../config';
import { rowsOf, schemaName, toNumber } from '../db';
import { newTicketCode } from './order-codes';
import type { OrderRow } from './order-row';

/**
 * The one way an order becomes confirmed, whoever gets there first: the checkout's own call to
 * billing, billing's PaymentAuthorized event, the retry job, or an organizer marking an e-invoice
 * order paid (ORD-8). The status change is conditional, so exactly one of them issues the tickets,
 * sends the receipt and publishes OrderConfirmed; the others see `false`.
 */
@Injectable()
export class OrderConfirmation {
  constructor(
    private readonly outbox: Outbox,
    @Inject(CONFIG) private readonly config: OrdersConfig,
  ) {}

  async confirm(
    manager: EntityManager,
    orderId: string,
    from: 'pending' | 'awaiting_invoice_payment',
    paymentId: string | null,
    now: Date,
  ): Promise<boolean> {
    const s = schemaName(manager);
    const rows = rowsOf<OrderRow>(
      await manager.query(
        `UPDATE ${s}.orders SET status = 'confirmed', confirmed_at = $3, payment_id = COALESCE($4, payment_id),
         payment_token = NULL, hold_expires_at = NULL
       WHERE id = $1 AND status = $2 RETURNING *`,
        [orderId, from, now, paymentId],
      ),
    );
    const order = rows[0];
    if (!order) return false;

    const lines: {
      ticket_type_id: string;
      quantity: number;
      unit_price_minor: string;
      unit_fee_minor: string;
      unit_fee_vat_minor: string;
    }[] = await manager.query(`SELECT * FROM ${s}.order_lines WHERE order_id = $1 ORDER BY ticket_type_id`, [
      orderId,
    ]);
    // ORD-2: one ticket per seat, each with its own unguessable code, delivered to the buyer's e-mail.
    const ids: string[] = [];
    const types: string[] = [];
    const codes: string[] = [];
    for (const line of lines) {
      for (let i = 0; i < line.quantity; i++) {
        ids.push(randomUUID());
        types.push(line.ticket_type_id);
        codes.push(newTicketCode());
      }
    }
    await manager.query(
      `INSERT INTO ${s}.tickets (id, order_id, event_id, ticket_type_id, code, status, holder_email, holder_email_normalized,
         holder_first_name, holder_last_name, holder_identity_id, created_at)
       SELECT t.id, $2, $3, t.type, t.code, 'valid', $4, $5, $6, $7, $8, $9
       FROM unnest($1::uuid[], $10::uuid[], $11::text[]) AS t(id, type, code)`,
      [
        ids,
        order.id,
        order.event_id,
        order.buyer_email,
        order.buyer_email_normalized,
        order.buyer_first_name,
        order.buyer_last_name,
        order.owner_identity_id,
        now,
        types,
        codes,
      ],
    );

    const [event] = (await manager.query(`SELECT title, ends_at FROM ${s}.events WHERE id = $1`, [
      order.event_id,
    ])) as {
      title: string;
      ends_at: Date;
    }[];
    const total = money(toNumber(order.total_minor), order.currency);
    const source = order.source as { utmSource?: string; utmMedium?: string; utmCampaign?: string };
    await this.outbox.publish(manager, {
      topic: 'orders.order.v1',
      key: order.id,
      schema: orderEvents.OrderConfirmedSchema,
      message: create(orderEvents.OrderConfirmedSchema, {
        orderId: order.id,
        confirmationNumber: order.confirmation_number,
        eventId: order.event_id,
        organizationId: order.organization_id,
        market: order.market,
        buyer: {
          email: order.buyer_email,
          firstName: order.buyer_first_name,
          lastName: order.buyer_last_name,
          identityId: order.buyer_identity_id ?? undefined,
        },
        totalMinor: BigInt(order.total_minor),
        currency: order.currency,
        confirmedAt: timestampFromDate(now),
        language: order.language,
        paymentId: order.payment_id ?? '',
        paymentMethod: order.payment_method,
        lines: lines.map((line) => ({
          ticketTypeId: line.ticket_type_id,
          quantity: line.quantity,
          unitFaceValueMinor: BigInt(line.unit_price_minor),
          unitFeeMinor: BigInt(line.unit_fee_minor),
          unitFeeVatMinor: BigInt(line.unit_fee_vat_minor),
        })),
        amounts: {
          faceValueMinor: BigInt(order.face_value_minor),
          serviceFeeChargedMinor: BigInt(order.service_fee_minor),
          platformFeeMinor: BigInt(order.platform_fee_minor),
          platformFeeVatMinor: BigInt(order.platform_fee_vat_minor),
          addOnsMinor: BigInt(order.add_ons_minor),
          addOnsVatMinor: BigInt(order.add_ons_vat_minor),
          altPaymentFeeMinor: BigInt(order.alt_payment_fee_minor),
          altPaymentFeeVatMinor: BigInt(order.alt_payment_fee_vat_minor),
          advertisingFeeMinor: BigInt(order.advertising_fee_minor),
          advertisingFeeVatMinor: BigInt(order.advertising_fee_vat_minor),
          totalMinor: BigInt(order.total_minor),
          organizerShareMinor: BigInt(order.organizer_share_minor),
        },
        source: {
          utmSource: source.utmSource ?? '',
          utmMedium: source.utmMedium ?? '',
          utmCampaign: source.utmCampaign ?? '',
          advertising: order.advertising,
        },
        legalEntity: order.legal_entity,
        refundPolicyVersion: order.refund_policy_version,
        organizerMarketingOptIn: order.organizer_marketing_opt_in,
        eventEndsAt: event ? timestampFromDate(new Date(event.ends_at)) : undefined,
      }),
    });

    // ORD-1/ORD-2 + CON-3: the receipt with the tickets is transactional, always sent.
    await requestNotification(this.outbox, manager, {
      channel: 'email',
      template: 'order_receipt',
      recipient: order.buyer_email,
      data: {
        confirmationNumber: order.confirmation_number,
        eventTitle: event?.title ?? '',
        total: formatMoney(total),
        firstName: order.buyer_first_name,
        link: `${this.config.TICKETS_URL}/${order.id}`,
        tickets: codes.join('\n'),
      },
      kind: 'transactional',
      market: order.market,
      language: order.language,
      identityId: order.owner_identity_id ?? undefined,
      organizationId: order.organization_id,
      requestedBy: 'orders',
      requestedAt: now,
    });
    return true;
  }
}
