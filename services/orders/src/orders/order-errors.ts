import { AppError, ConflictError, DomainError, NotFoundError } from '@ticketry/platform';

export const orderNotFound = (): NotFoundError => new NotFoundError('The order', 'order_not_found');
export const eventNotFound = (): NotFoundError => new NotFoundError('The event', 'event_not_found');
export const ticketNotFound = (): NotFoundError => new NotFoundError('The ticket', 'ticket_not_found');

/** 409 `sold_out` (ORD-2): not enough seats left for the quantity asked, nothing was held. */
export class SoldOutError extends AppError {
  constructor(ticketTypeId: string, requested: number, available: number) {
    super(409, 'sold_out', 'Not enough tickets are left for this order.', {
      ticketTypeId,
      requested,
      available: Math.max(0, available),
    });
  }
}

/** 422 `sales_closed`: outside the ticket type's sales window, or the event is not on sale. */
export class SalesClosedError extends DomainError {
  constructor(reason: string, ticketTypeId?: string) {
    super('sales_closed', `Tickets are not on sale: ${reason}.`, 422, ticketTypeId ? { ticketTypeId } : {});
  }
}

/**
 * 402 with the provider's decline code (`card_declined`, `insufficient_funds`, `expired_card`,
 * `invalid_token`): the order is `payment_failed`, no ticket was issued and its seats are released.
 */
export class PaymentDeclinedError extends AppError {
  constructor(orderId: string, declineCode: string) {
    super(402, declineCode, 'The payment was declined; no tickets were issued. Try another payment method.', {
      orderId,
      orderStatus: 'payment_failed',
    });
  }
}

/** 409 `order_expired`: the hold ran out before the payment was settled; any authorisation is voided. */
export class OrderExpiredError extends ConflictError {
  constructor() {
    super('order_expired', 'The order was not paid in time and its tickets were released.');
  }
}
