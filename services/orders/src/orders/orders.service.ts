import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '@ticketry/auth';
import {
  feeScheduleFor,
  isAdvertisingOrder,
  priceOrder,
  type FeeMode,
  type OrderPricing,
} from '@ticketry/fees';
import {
  CLOCK,
  Clock,
  CONFIG,
  ConflictError,
  ForbiddenError,
  marketOf,
  requestHash,
  ValidationFailedError,
} from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config';
import { isUniqueViolation, rowsOf, schemaName, toNumber } from '../db';
import { authorizeCommandFor, BillingClient } from '../payments/billing.client';
import { newConfirmationNumber, normalizeEmail } from './order-codes';
import { OrderConfirmation } from './order-confirmation';
import {
  eventNotFound,
  OrderExpiredError,
  orderNotFound,
  PaymentDeclinedError,
  SalesClosedError,
  SoldOutError,
} from './order-errors';
import type { OrderRow, OrderStatus, TicketRow } from './order-row';
import { OrderSettlement } from './order-settlement';
import { CreateOrderDto, ListOrdersQuery } from './orders.dto';

interface EventRow {
  id: string;
  organization_id: string;
  title: string;
  country: string;
  currency: string;
  starts_at: Date;
  fee_mode: FeeMode;
  advertising_enabled: boolean;
  e_invoice_enabled: boolean;
  refund_policy_version: number;
  status: string;
  fee_override_percent_bp: number | null;
  fee_override_fixed_minor: string | null;
}

interface TicketTypeRow {
  id: string;
  event_id: string;
  kind: string;
  price_minor: string;
  capacity: number;
  taken: number;
  sales_start_at: Date;
  sales_end_at: Date;
}

export interface OrderView {
  orderId: string;
  confirmationNumber: string | null;
  status: OrderStatus;
  eventId: string;
  organizationId: string;
  market: string;
  legalEntity: string;
  paymentMethod: string;
  paymentId: string | null;
  declineCode: string | null;
  buyer: { email: string; firstName: string; lastName: string };
  totals: {
    faceValueMinor: number;
    serviceFeeMinor: number;
    addOnsMinor: number;
    totalMinor: number;
    currency: string;
  };
  addOns: { addOn: string; amountMinor: number }[];
  refundPolicyVersion: number;
  source: Record<string, string>;
  organizerMarketingOptIn: boolean;
  holdExpiresAt: string | null;
  createdAt: string;
  confirmedAt: string | null;
  tickets: { ticketId: string; code: string; status: string; ticketTypeId: string }[];
  /** Only for the organization and support: what the organizer is charged (ORD-4, ORD-5) and ORD-8 data. */
  organizer?: {
    advertising: boolean;
    altPaymentFeeMinor: number;
    advertisingFeeMinor: number;
    organizerShareMinor: number;
    invoice: Record<string, string> | null;
  };
}

export interface CheckoutResult {
  httpStatus: 201 | 202;
  order: OrderView;
}

type Viewer = 'buyer' | 'organization' | 'support';

const ORDER_ROLES_SEEING_ORDERS = ['owner', 'manager', 'finance'] as const;

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly billing: BillingClient,
    private readonly confirmation: OrderConfirmation,
    private readonly settlement: OrderSettlement,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: OrdersConfig,
  ) {}

  private get s(): string {
    return schemaName(this.dataSource);
  }

  /**
   * ORD-1..ORD-6. Three short steps, so a hot event's ticket-type row is locked only for one UPDATE
   * and a commit: (1) the order and its seats in one transaction, the seats taken by a conditional
   * UPDATE per ticket type (never oversold, ORD-2); (2) billing authorises, outside any transaction;
   * (3) the order is confirmed (tickets, receipt, OrderConfirmed) or, if declined, cancelled with its
   * seats released. An unknown payment outcome leaves the order pending (202); the saga settles it.
   */
  async checkout(
    principal: Principal | undefined,
    input: CreateOrderDto,
    idempotencyKey?: string,
  ): Promise<CheckoutResult> {
    const hash = requestHash('POST', '/v1/orders', { body: input, caller: principal?.identityId ?? null });
    if (idempotencyKey !== undefined) {
      const replay = await this.replay(idempotencyKey, hash);
      if (replay) return replay;
    }

    const now = this.clock.now();
    const { event, types } = await this.loadForSale(input, now);
    const order = await this.placeOrder(principal, input, event, types, hash, idempotencyKey, now).catch(
      async (error: unknown) => {
        // The same key raced us here: the first request's order is the answer (no second hold).
        if (idempotencyKey !== undefined && isUniqueViolation(error, 'orders_idempotency_key_key')) {
          const replay = await this.replay(idempotencyKey, hash);
          if (replay) return replay;
        }
        throw error;
      },
    );
    if ('httpStatus' in order) return order;
    if (order.status === 'awaiting_invoice_payment') {
      return { httpStatus: 201, order: await this.viewById(order.id, principal, 'buyer') };
    }
    return this.pay(order, principal);
  }

  private async replay(key: string, hash: string): Promise<CheckoutResult | null> {
    const rows: OrderRow[] = await this.dataSource.query(
      `SELECT * FROM ${this.s}.orders WHERE idempotency_key = $1`,
      [key],
    );
    const order = rows[0];
    if (!order) return null;
    if (order.request_hash !== hash) {
      throw new ConflictError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request.',
      );
    }
    if (order.status === 'payment_failed')
      throw new PaymentDeclinedError(order.id, order.decline_code ?? 'card_declined');
    return {
      httpStatus: order.status === 'pending' ? 202 : 201,
      order: await this.viewOf(order, 'buyer'),
    };
  }

  private async loadForSale(
    input: CreateOrderDto,
    now: Date,
  ): Promise<{ event: EventRow; types: Map<string, TicketTypeRow> }> {
    const events: EventRow[] = await this.dataSource.query(`SELECT * FROM ${this.s}.events WHERE id = $1`, [
      input.eventId,
    ]);
    const event = events[0];
    if (!event || event.status === 'draft') throw eventNotFound();
    if (event.status !== 'published') throw new SalesClosedError('the event is cancelled');

    const errors: { field: string; message: string }[] = [];
    const ids = input.items.map((item) => item.ticketTypeId.toLowerCase());
    if (new Set(ids).size !== ids.length)
      errors.push({ field: 'items', message: 'each ticket type may appear once' });
    const total = input.items.reduce((sum, item) => sum + item.quantity, 0);
    if (total > 20) errors.push({ field: 'items', message: 'an order holds at most 20 tickets' });
    if (input.paymentMethod !== 'e_invoice' && !input.paymentToken) {
      errors.push({ field: 'paymentToken', message: 'paymentToken is required for this payment method' });
    }
    if (input.paymentMethod === 'e_invoice' && !input.invoice) {
      errors.push({ field: 'invoice', message: 'invoice details are required for e_invoice (ORD-8)' });
    }
    if (errors.length > 0) throw new ValidationFailedError(errors);

    const rows: TicketTypeRow[] = await this.dataSource.query(
      `SELECT * FROM ${this.s}.ticket_types WHERE event_id = $1 AND id = ANY($2::uuid[])`,
      [event.id, ids],
    );
    const types = new Map(rows.map((row) => [row.id, row]));
    for (const [index, id] of ids.entries()) {
      const type = types.get(id);
      if (!type) {
        throw new ValidationFailedError([
          { field: `items.${index}.ticketTypeId`, message: 'the event has no such ticket type' },
        ]);
      }
      if (type.kind !== 'single') {
        throw new ValidationFailedError([
          {
            field: `items.${index}.ticketTypeId`,
            message: 'subscription tickets are bought through POST /v1/subscriptions',
          },
        ]);
      }
      if (now < new Date(type.sales_start_at)) throw new SalesClosedError('sales have not started', id);
      if (now >= new Date(type.sales_end_at)) throw new SalesClosedError('sales have ended', id);
      // After a sell-out most buyers of a hot event arrive here: answer them from this read instead
      // of a transaction that would queue on the ticket type's row only to roll back. The
      // conditional UPDATE stays the authority; this read can only be too hopeful, never too strict
      // for longer than a release takes to commit.
      const quantity = input.items[index]?.quantity ?? 0;
      if (type.taken + quantity > type.capacity)
        throw new SoldOutError(id, quantity, type.capacity - type.taken);
    }
    if (now >= new Date(event.starts_at)) throw new SalesClosedError('the event has started');
    if (input.paymentMethod === 'e_invoice' && !event.e_invoice_enabled) {
      throw new ValidationFailedError([
        { field: 'paymentMethod', message: 'the organizer does not offer e-invoice for this event (CAT-7)' },
      ]);
    }
    return { event, types };
  }

  private price(
    input: CreateOrderDto,
    event: EventRow,
    types: Map<string, TicketTypeRow>,
    advertising: boolean,
  ): OrderPricing {
    return priceOrder({
      currency: event.currency,
      feeMode: event.fee_mode,
      schedule: feeScheduleFor(event.country, event.currency),
      // CAT-2: the organizer's agreement as catalog last published it with the event.
      override:
        event.fee_override_percent_bp === null || event.fee_override_fixed_minor === null
          ? null
          : {
              percentBp: event.fee_override_percent_bp,
              fixedMinor: toNumber(event.fee_override_fixed_minor),
            },
      lines: input.items.map((item) => {
        const type = types.get(item.ticketTypeId.toLowerCase());
        return {
          ticketTypeId: item.ticketTypeId.toLowerCase(),
          quantity: item.quantity,
          unitPriceMinor: toNumber(type?.price_minor),
        };
      }),
      addOns: input.addOns,
      paymentMethod: input.paymentMethod,
      advertising,
    });
  }

  private async placeOrder(
    principal: Principal | undefined,
    input: CreateOrderDto,
    event: EventRow,
    types: Map<string, TicketTypeRow>,
    hash: string,
    idempotencyKey: string | undefined,
    now: Date,
  ): Promise<OrderRow> {
    // CAT-6/ORD-5: what counts is the advertising switch now, at order time.
    const advertising = isAdvertisingOrder(input.source, event.advertising_enabled);
    const pricing = this.price(input, event, types, advertising);
    const market = marketOf(input.market);
    const email = input.buyer.email.trim();
    const buyerIdentityId =
      principal && !principal.isService && principal.hasRole('consumer') ? principal.identityId : null;
    const isInvoice = input.paymentMethod === 'e_invoice';
    const orderId = randomUUID();
    const holdExpiresAt = isInvoice ? null : new Date(now.getTime() + this.config.HOLD_MINUTES * 60_000);

    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const s = schemaName(manager);
      const rows: OrderRow[] = await manager.query(
        `INSERT INTO ${s}.orders (id, confirmation_number, event_id, organization_id, market, legal_entity, language, status,
           buyer_email, buyer_email_normalized, buyer_first_name, buyer_last_name, buyer_identity_id, owner_identity_id,
           payment_method, payment_token, currency, fee_mode, face_value_minor, service_fee_minor, platform_fee_minor,
           platform_fee_vat_minor, add_ons, add_ons_minor, add_ons_vat_minor, alt_payment_fee_minor, alt_payment_fee_vat_minor,
           advertising_fee_minor, advertising_fee_vat_minor, total_minor, organizer_share_minor, source, advertising,
           refund_policy_version, organizer_marketing_opt_in, invoice, idempotency_key, request_hash, hold_expires_at,
           payment_attempted_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
           COALESCE($13, (SELECT identity_id FROM ${s}.identity_emails WHERE email_normalized = $10)),
           $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35,
           $36, $37, $38, $39, $40)
         RETURNING *`,
        [
          orderId,
          newConfirmationNumber(),
          event.id,
          event.organization_id,
          market.code,
          market.entity, // ENT-1: the storefront decides the contracting entity
          input.language ?? market.language,
          isInvoice ? 'awaiting_invoice_payment' : 'pending',
          email,
          normalizeEmail(email),
          input.buyer.firstName,
          input.buyer.lastName,
          buyerIdentityId,
          input.paymentMethod,
          isInvoice ? null : (input.paymentToken ?? null),
          pricing.currency,
          event.fee_mode,
          pricing.faceValueMinor,
          pricing.serviceFeeMinor,
          pricing.platformFeeMinor,
          pricing.platformFeeVatMinor,
          JSON.stringify(pricing.addOns),
          pricing.addOnsMinor,
          pricing.addOnsVatMinor,
          pricing.altPaymentFeeMinor,
          pricing.altPaymentFeeVatMinor,
          pricing.advertisingFeeMinor,
          pricing.advertisingFeeVatMinor,
          pricing.totalMinor,
          pricing.organizerShareMinor,
          JSON.stringify(input.source ?? {}),
          advertising,
          event.refund_policy_version, // CAT-3: the order keeps the policy it was sold under
          input.organizerMarketingOptIn === true, // ORD-6 / CON-2, published with OrderConfirmed
          input.invoice ? JSON.stringify(input.invoice) : null,
          idempotencyKey ?? null,
          hash,
          holdExpiresAt,
          isInvoice ? null : now,
          now,
        ],
      );
      const order = rows[0] as OrderRow;
      const lines = [...pricing.lines].sort((a, b) => (a.ticketTypeId < b.ticketTypeId ? -1 : 1));
      for (const line of lines) {
        await manager.query(
          `INSERT INTO ${s}.order_lines (order_id, ticket_type_id, quantity, unit_price_minor, unit_fee_minor, unit_fee_vat_minor)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            orderId,
            line.ticketTypeId,
            line.quantity,
            line.unitPriceMinor,
            line.unitFeeMinor,
            line.unitFeeVatMinor,
          ],
        );
      }
      // ORD-2: the seats last, in ticket-type order (no deadlock between multi-type orders), so each
      // row lock lives only until the commit that follows.
      for (const line of lines) {
        const updated = rowsOf(
          await manager.query(
            `UPDATE ${s}.ticket_types SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity RETURNING taken`,
            [line.ticketTypeId, line.quantity],
          ),
        );
        if (updated.length === 0) {
          const [left] = (await manager.query(
            `SELECT capacity - taken AS left FROM ${s}.ticket_types WHERE id = $1`,
            [line.ticketTypeId],
          )) as { left: number }[];
          throw new SoldOutError(line.ticketTypeId, line.quantity, left?.left ?? 0);
        }
      }
      return order;
    });
  }

  /** Steps 2 and 3 of the checkout. */
  private async pay(order: OrderRow, principal: Principal | undefined): Promise<CheckoutResult> {
    const outcome = await this.billing.authorize(authorizeCommandFor(order));
    const settled = await this.settle(order.id, outcome);
    if (settled === 'declined') {
      throw new PaymentDeclinedError(
        order.id,
        outcome.kind === 'failed' ? outcome.declineCode : 'card_declined',
      );
    }
    if (settled === 'expired') throw new OrderExpiredError();
    const view = await this.viewById(order.id, principal, 'buyer');
    return { httpStatus: view.status === 'pending' ? 202 : 201, order: view };
  }

  /**
   * Applies billing's answer to a pending order, from the checkout or the retry job. Returns what
   * happened to the order.
   */
  async settle(
    orderId: string,
    outcome: Awaited<ReturnType<BillingClient['authorize']>>,
  ): Promise<'confirmed' | 'declined' | 'pending' | 'expired'> {
    if (outcome.kind === 'unknown') return 'pending';
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      if (outcome.kind === 'failed') {
        await this.settlement.cancelPending(manager, orderId, 'payment_failed', now, {
          paymentId: outcome.paymentId,
          declineCode: outcome.declineCode,
        });
        return 'declined';
      }
      if (await this.confirmation.confirm(manager, orderId, 'pending', outcome.paymentId, now))
        return 'confirmed';
      const [current] = (await manager.query(
        `SELECT status, event_id FROM ${schemaName(manager)}.orders WHERE id = $1`,
        [orderId],
      )) as { status: OrderStatus; event_id: string }[];
      if (current?.status === 'confirmed') return 'confirmed';
      // The hold ran out while billing was authorising: the money must go back (saga compensation).
      await manager.query(`UPDATE ${schemaName(manager)}.orders SET payment_id = $2 WHERE id = $1`, [
        orderId,
        outcome.paymentId,
      ]);
      await this.settlement.announceCancelled(
        manager,
        orderId,
        current?.event_id ?? '',
        outcome.paymentId,
        'hold_expired',
        now,
      );
      return 'expired';
    });
  }

  /** ORD-8: the organizer collected the e-invoice payment outside the platform. */
  async markPaid(principal: Principal, orderId: string): Promise<{ status: 'confirmed' }> {
    const order = await this.findOrder(orderId);
    if (!this.canSeeAsOrganization(principal, order.organization_id, ['owner', 'manager', 'finance'])) {
      if (this.viewerOf(principal, order) === null) throw orderNotFound();
      throw new ForbiddenError(
        'organization_forbidden',
        'Only the organizer\u2019s owner, manager or finance may mark orders paid.',
      );
    }
    if (order.status === 'confirmed' && order.payment_method === 'e_invoice') return { status: 'confirmed' };
    const confirmed = await this.dataSource.transaction((manager) =>
      this.confirmation.confirm(manager, orderId, 'awaiting_invoice_payment', null, this.clock.now()),
    );
    if (!confirmed) {
      throw new ConflictError(
        'order_not_awaiting_invoice',
        `The order is ${order.status}; only e-invoice orders awaiting payment can be marked paid.`,
      );
    }
    return { status: 'confirmed' };
  }

  /**
   * ORD-8: the organizer was never paid for an e-invoice order and gives it up: its seats go back on
   * sale. Only while it awaits payment; a paid (confirmed) order is refunded instead.
   */
  async cancelUnpaidInvoice(principal: Principal, orderId: string): Promise<{ status: 'cancelled' }> {
    const order = await this.findOrder(orderId);
    if (!this.canSeeAsOrganization(principal, order.organization_id, ['owner', 'manager', 'finance'])) {
      if (this.viewerOf(principal, order) === null) throw orderNotFound();
      throw new ForbiddenError(
        'organization_forbidden',
        'Only the organizer\u2019s owner, manager or finance may cancel an unpaid e-invoice order.',
      );
    }
    if (order.status === 'cancelled' && order.cancel_reason === 'invoice_unpaid')
      return { status: 'cancelled' };
    const cancelled = await this.dataSource.transaction((manager) =>
      this.settlement.cancelPending(
        manager,
        orderId,
        'invoice_unpaid',
        this.clock.now(),
        {},
        'awaiting_invoice_payment',
      ),
    );
    if (!cancelled) {
      throw new ConflictError(
        'order_not_awaiting_invoice',
        `The order is ${order.status}; only e-invoice orders awaiting payment can be cancelled this way.`,
      );
    }
    return { status: 'cancelled' };
  }

  async get(principal: Principal, orderId: string): Promise<OrderView> {
    const order = await this.findOrder(orderId);
    const viewer = this.viewerOf(principal, order);
    if (viewer === null) throw orderNotFound(); // nobody learns that someone else's order exists
    return this.viewOf(order, viewer, principal);
  }

  async list(
    principal: Principal,
    query: ListOrdersQuery,
  ): Promise<{ items: OrderView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const params: unknown[] = [];
    let where: string;
    let viewer: Viewer;
    if (query.eventId) {
      const [event] = (await this.dataSource.query(
        `SELECT organization_id FROM ${this.s}.events WHERE id = $1`,
        [query.eventId],
      )) as { organization_id: string }[];
      if (!event) throw eventNotFound();
      if (principal.hasRole('support', 'platform_admin')) viewer = 'support';
      else if (this.canSeeAsOrganization(principal, event.organization_id, ORDER_ROLES_SEEING_ORDERS))
        viewer = 'organization';
      else
        throw new ForbiddenError(
          'organization_forbidden',
          'Only the event\u2019s organization sees its orders.',
        );
      params.push(query.eventId);
      where = `event_id = $1`;
    } else if (query.mine === 'true') {
      viewer = 'buyer';
      params.push(principal.identityId);
      // ID-14: orders bought logged in, and those made with an e-mail that belongs to this identity.
      where = `(owner_identity_id = $1 OR buyer_identity_id = $1)`;
    } else {
      throw new ValidationFailedError([{ field: 'mine', message: 'give mine=true or eventId' }]);
    }
    if (query.cursor) {
      const [createdAt, id] = Buffer.from(query.cursor, 'base64url').toString().split('|');
      if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id)) {
        throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not valid' }]);
      }
      params.push(createdAt, id);
      where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const rows: OrderRow[] = await this.dataSource.query(
      `SELECT * FROM ${this.s}.orders WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map((order) => this.viewOf(order, viewer, principal)));
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(`${new Date(last.created_at).toISOString()}|${last.id}`).toString('base64url')
        : null;
    return { items, nextCursor };
  }

  async viewById(orderId: string, principal: Principal | undefined, viewer: Viewer): Promise<OrderView> {
    return this.viewOf(await this.findOrder(orderId), viewer, principal);
  }

  private async findOrder(orderId: string): Promise<OrderRow> {
    const rows: OrderRow[] = await this.dataSource.query(`SELECT * FROM ${this.s}.orders WHERE id = $1`, [
      orderId,
    ]);
    if (!rows[0]) throw orderNotFound();
    return rows[0];
  }

  private canSeeAsOrganization(
    principal: Principal,
    organizationId: string,
    roles: readonly string[],
  ): boolean {
    return principal.rolesIn(organizationId).some((role) => roles.includes(role));
  }

  /** Who may see an order: its buyer (ID-14), its organization, support. Anyone else: nobody. */
  private viewerOf(principal: Principal, order: OrderRow): Viewer | null {
    if (principal.hasRole('support', 'platform_admin')) return 'support';
    if (
      this.canSeeAsOrganization(principal, order.organization_id, ['owner', 'manager', 'finance', 'scanner'])
    ) {
      return 'organization';
    }
    if (
      !principal.isService &&
      (order.owner_identity_id === principal.identityId || order.buyer_identity_id === principal.identityId)
    ) {
      return 'buyer';
    }
    return null;
  }

  private async viewOf(order: OrderRow, viewer: Viewer, principal?: Principal): Promise<OrderView> {
    const tickets: TicketRow[] = await this.dataSource.query(
      `SELECT * FROM ${this.s}.tickets WHERE order_id = $1 ORDER BY created_at, id`,
      [order.id],
    );
    // ORD-7: after a transfer the buyer sees the old (dead) code as `transferred`, never the new
    // holder's code; the organization and support see every ticket.
    const visible =
      viewer === 'buyer'
        ? tickets.filter(
            (t) =>
              t.transferred_from === null ||
              (principal !== undefined && t.holder_identity_id === principal.identityId),
          )
        : tickets;
    const view: OrderView = {
      orderId: order.id,
      // ORD-1: the number is the confirmed order's; an order never confirmed shows none.
      confirmationNumber: order.confirmed_at ? order.confirmation_number : null,
      status: order.status,
      eventId: order.event_id,
      organizationId: order.organization_id,
      market: order.market,
      legalEntity: order.legal_entity,
      paymentMethod: order.payment_method,
      paymentId: order.payment_id,
      declineCode: order.decline_code,
      buyer: { email: order.buyer_email, firstName: order.buyer_first_name, lastName: order.buyer_last_name },
      totals: {
        faceValueMinor: toNumber(order.face_value_minor),
        serviceFeeMinor: toNumber(order.service_fee_minor),
        addOnsMinor: toNumber(order.add_ons_minor),
        totalMinor: toNumber(order.total_minor),
        currency: order.currency,
      },
      addOns: order.add_ons.map((a) => ({ addOn: a.addOn, amountMinor: a.amountMinor })),
      refundPolicyVersion: order.refund_policy_version,
      source: order.source,
      organizerMarketingOptIn: order.organizer_marketing_opt_in,
      holdExpiresAt: order.hold_expires_at ? new Date(order.hold_expires_at).toISOString() : null,
      createdAt: new Date(order.created_at).toISOString(),
      confirmedAt: order.confirmed_at ? new Date(order.confirmed_at).toISOString() : null,
      tickets: visible.map((t) => ({
        ticketId: t.id,
        code: t.code,
        status: t.status,
        ticketTypeId: t.ticket_type_id,
      })),
    };
    if (viewer !== 'buyer') {
      view.organizer = {
        advertising: order.advertising,
        altPaymentFeeMinor: toNumber(order.alt_payment_fee_minor),
        advertisingFeeMinor: toNumber(order.advertising_fee_minor),
        organizerShareMinor: toNumber(order.organizer_share_minor),
        invoice: order.invoice,
      };
    }
    return view;
  }

  /** Public: seats per ticket type, for storefronts and the checkout benchmark. */
  async availability(eventId: string): Promise<{
    eventId: string;
    ticketTypes: { ticketTypeId: string; capacity: number; sold: number; available: number }[];
  }> {
    const [event] = (await this.dataSource.query(`SELECT status FROM ${this.s}.events WHERE id = $1`, [
      eventId,
    ])) as {
      status: string;
    }[];
    if (!event || event.status === 'draft') throw eventNotFound();
    const rows: { id: string; capacity: number; taken: number }[] = await this.dataSource.query(
      `SELECT id, capacity, taken FROM ${this.s}.ticket_types WHERE event_id = $1 ORDER BY id`,
      [eventId],
    );
    return {
      eventId,
      ticketTypes: rows.map((r) => ({
        ticketTypeId: r.id,
        capacity: r.capacity,
        sold: r.taken,
        available: Math.max(0, r.capacity - r.taken),
      })),
    };
  }

  logUnexpected(orderId: string, error: unknown): void {
    this.logger.error({ orderId, err: error }, 'order follow-up failed');
  }
}
