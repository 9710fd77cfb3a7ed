import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@ticketry/auth';
import { create, orderEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox, requestNotification } from '@ticketry/messaging';
import { AppError, CLOCK, Clock, ConflictError, ForbiddenError } from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { rowsOf, schemaName } from '../db';
import { newTicketCode, normalizeEmail, normalizeTicketCode } from '../orders/order-codes';
import { eventNotFound, ticketNotFound } from '../orders/order-errors';
import type { TicketRow } from '../orders/order-row';
import { TransferTicketDto } from '../orders/orders.dto';

/** 410: a code that will never open the door again (ORD-7, ORD-9). */
class TicketGoneError extends AppError {
  constructor(code: 'ticket_void' | 'ticket_transferred', ticketId: string) {
    super(
      410,
      code,
      code === 'ticket_void'
        ? 'This ticket is void (refunded or cancelled); it cannot be used.'
        : 'This ticket was transferred to someone else; its old code no longer works.',
      { ticketId },
    );
  }
}

class AlreadyCheckedInError extends AppError {
  constructor(ticketId: string, checkedInAt: Date | null) {
    super(409, 'already_checked_in', 'This ticket has already been used.', {
      ticketId,
      checkedInAt: checkedInAt ? new Date(checkedInAt).toISOString() : null,
    });
  }
}

const SCANNING_ROLES = ['owner', 'manager', 'finance', 'scanner'];

@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private get s(): string {
    return schemaName(this.dataSource);
  }

  /**
   * ORD-9 / ORD-10: a code opens the door once. The state change is one conditional UPDATE, so two
   * scanners reading the same code at the same moment admit one person and tell the other
   * `already_checked_in`. Used, void (refunded) and transferred-away codes are refused.
   */
  async checkIn(
    principal: Principal,
    eventId: string,
    rawCode: string,
  ): Promise<{ ticketId: string; status: 'used' }> {
    const [event] = (await this.dataSource.query(
      `SELECT organization_id FROM ${this.s}.events WHERE id = $1`,
      [eventId],
    )) as { organization_id: string }[];
    if (!event) throw eventNotFound();
    if (!principal.rolesIn(event.organization_id).some((role) => SCANNING_ROLES.includes(role))) {
      throw new ForbiddenError(
        'organization_forbidden',
        'Only the event\u2019s organization checks tickets in.',
      );
    }
    const code = normalizeTicketCode(rawCode);
    const used = rowsOf<{ id: string }>(
      await this.dataSource.query(
        `UPDATE ${this.s}.tickets SET status = 'used', checked_in_at = $3
         WHERE code = $1 AND event_id = $2 AND status = 'valid' RETURNING id`,
        [code, eventId, this.clock.now()],
      ),
    );
    if (used[0]) return { ticketId: used[0].id, status: 'used' };

    const [ticket] = (await this.dataSource.query(
      `SELECT * FROM ${this.s}.tickets WHERE code = $1 AND event_id = $2`,
      [code, eventId],
    )) as TicketRow[];
    if (!ticket) throw ticketNotFound();
    if (ticket.status === 'used') throw new AlreadyCheckedInError(ticket.id, ticket.checked_in_at);
    if (ticket.status === 'void') throw new TicketGoneError('ticket_void', ticket.id);
    throw new TicketGoneError('ticket_transferred', ticket.id);
  }

  /**
   * ORD-7: the holder gives the ticket to someone else when the organizer allows it. The old ticket
   * becomes `transferred` (its code stops working) and the new holder gets a new ticket with a new
   * code by e-mail, in one transaction.
   */
  async transfer(
    principal: Principal,
    ticketId: string,
    to: TransferTicketDto,
  ): Promise<{ ticketId: string; code: string }> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const s = schemaName(manager);
      const [ticket] = (await manager.query(`SELECT * FROM ${s}.tickets WHERE id = $1 FOR UPDATE`, [
        ticketId,
      ])) as TicketRow[];
      // Someone else's ticket is not found, whether or not it exists.
      if (!ticket || principal.isService || ticket.holder_identity_id !== principal.identityId)
        throw ticketNotFound();
      const [event] = (await manager.query(
        `SELECT transfers_allowed, title, starts_at, status FROM ${s}.events WHERE id = $1`,
        [ticket.event_id],
      )) as { transfers_allowed: boolean; title: string; starts_at: Date; status: string }[];
      if (!event?.transfers_allowed) {
        throw new ForbiddenError(
          'transfers_not_allowed',
          'The organizer does not allow ticket transfers for this event.',
        );
      }
      if (ticket.status !== 'valid') {
        throw new ConflictError(
          'ticket_not_transferable',
          `A ${ticket.status} ticket cannot be transferred.`,
        );
      }
      if (event.status !== 'published' || now >= new Date(event.starts_at)) {
        throw new ConflictError(
          'ticket_not_transferable',
          'Tickets can be transferred only before the event starts.',
        );
      }
      const newId = randomUUID();
      const code = newTicketCode();
      const email = to.email.trim();
      await manager.query(
        `INSERT INTO ${s}.tickets (id, order_id, event_id, ticket_type_id, code, status, holder_email, holder_email_normalized,
           holder_first_name, holder_last_name, holder_identity_id, transferred_from, created_at)
         VALUES ($1, $2, $3, $4, $5, 'valid', $6, $7, $8, $9,
           (SELECT identity_id FROM ${s}.identity_emails WHERE email_normalized = $7), $10, $11)`,
        [
          newId,
          ticket.order_id,
          ticket.event_id,
          ticket.ticket_type_id,
          code,
          email,
          normalizeEmail(email),
          to.firstName,
          to.lastName,
          ticket.id,
          now,
        ],
      );
      await manager.query(
        `UPDATE ${s}.tickets SET status = 'transferred', transferred_to = $2 WHERE id = $1`,
        [ticket.id, newId],
      );
      await this.outbox.publish(manager, {
        topic: 'orders.order.v1',
        key: ticket.order_id,
        schema: orderEvents.TicketTransferredSchema,
        message: create(orderEvents.TicketTransferredSchema, {
          orderId: ticket.order_id,
          eventId: ticket.event_id,
          oldTicketId: ticket.id,
          newTicketId: newId,
          recipientEmail: email,
          transferredAt: timestampFromDate(now),
        }),
      });
      const [order] = (await manager.query(`SELECT market, language FROM ${s}.orders WHERE id = $1`, [
        ticket.order_id,
      ])) as {
        market: string;
        language: string;
      }[];
      await requestNotification(this.outbox, manager, {
        channel: 'email',
        template: 'ticket_received',
        recipient: email,
        data: {
          eventTitle: event.title,
          code,
          fromName: `${ticket.holder_first_name} ${ticket.holder_last_name}`,
          firstName: to.firstName,
        },
        kind: 'transactional',
        market: order?.market ?? 'se',
        language: order?.language ?? 'en',
        requestedBy: 'orders',
        requestedAt: now,
      });
      return { ticketId: newId, code };
    });
  }

  /**
   * ORD-9: support voids a ticket (fraud, a refund handled by hand); from then on check-in refuses
   * it. Refunds will void tickets the same way when the refunds service lands.
   */
  async void(ticketId: string, reason: string): Promise<{ ticketId: string; status: 'void' }> {
    const rows = rowsOf<{ id: string }>(
      await this.dataSource.query(
        `UPDATE ${this.s}.tickets SET status = 'void', voided_at = $2, void_reason = $3
         WHERE id = $1 AND status IN ('valid', 'used') RETURNING id`,
        [ticketId, this.clock.now(), reason],
      ),
    );
    if (rows[0]) return { ticketId, status: 'void' };
    const [ticket] = (await this.dataSource.query(`SELECT status FROM ${this.s}.tickets WHERE id = $1`, [
      ticketId,
    ])) as {
      status: string;
    }[];
    if (!ticket) throw ticketNotFound();
    if (ticket.status === 'void') return { ticketId, status: 'void' };
    throw new ConflictError('ticket_not_voidable', 'A transferred ticket is voided through its new ticket.');
  }
}
