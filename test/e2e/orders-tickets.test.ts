/**
 * After the sale: e-invoice orders (ORD-8), ticket transfer with code rotation (ORD-7) and check-in
 * that admits a code once and refuses used, void and transferred-away codes (ORD-9, ORD-10).
 * Real services over HTTP, real Postgres and Kafka.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '@ticketry/testing';
import {
  aBuyer,
  adminToken,
  CheckoutPlatform,
  clients,
  consumer,
  messagesTo,
  organizer,
  publishedEvent,
  seatsSold,
  startCheckoutPlatform,
} from './support/checkout-platform';

let platform: CheckoutPlatform;
const { ord } = clients(() => platform);

beforeAll(async () => {
  platform = await startCheckoutPlatform();
});

afterAll(async () => {
  await platform?.stop();
});

const invoice = {
  name: 'Greta Gäst',
  addressLine1: 'Storgatan 1',
  postalCode: '111 22',
  city: 'Stockholm',
  country: 'SE',
};

describe('ORD-8 e-invoice orders', () => {
  it('holds the seats without payment, sends nothing until the organizer marks it paid, then confirms with tickets', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { eInvoiceEnabled: true });
    const buyer = aBuyer();
    const placed = await ord('POST', '/v1/orders', {
      eventId,
      market: 'se',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
      buyer,
      paymentMethod: 'e_invoice',
      invoice,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      status: 'awaiting_invoice_payment',
      tickets: [],
      confirmationNumber: null,
      paymentId: null,
    });
    expect(await seatsSold(platform, eventId)).toEqual([2]);
    const orderId = placed.body.orderId as string;

    // The organization gets the data it needs for the invoice.
    const asOrg = await ord('GET', `/v1/orders/${orderId}`, undefined, org.token);
    expect((asOrg.body.organizer as Record<string, unknown>).invoice).toEqual(invoice);

    // Nobody but the event's owner/manager/finance may mark it paid; card orders cannot be.
    const otherOrg = await organizer(platform.identity.url);
    expect((await ord('POST', `/v1/orders/${orderId}/mark-paid`, undefined, otherOrg.token)).status).toBe(
      404,
    );
    const someone = await consumer(platform.identity.url);
    expect((await ord('POST', `/v1/orders/${orderId}/mark-paid`, undefined, someone.token)).status).toBe(404);
    expect(await messagesTo(platform, buyer.email, 'order_receipt')).toEqual([]);

    const paid = await ord('POST', `/v1/orders/${orderId}/mark-paid`, undefined, org.token);
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({ status: 'confirmed' });
    expect((await ord('POST', `/v1/orders/${orderId}/mark-paid`, undefined, org.token)).body).toEqual({
      status: 'confirmed',
    });
    const confirmed = await ord('GET', `/v1/orders/${orderId}`, undefined, org.token);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', paymentId: null });
    expect(confirmed.body.confirmationNumber).toEqual(expect.any(String));
    expect(confirmed.body.tickets).toHaveLength(2);
    await eventually(async () =>
      expect(await messagesTo(platform, buyer.email, 'order_receipt')).toHaveLength(1),
    );

    const card = await ord('POST', '/v1/orders', {
      eventId,
      market: 'se',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
      buyer: aBuyer(),
      paymentMethod: 'card',
      paymentToken: 'tok_visa',
    });
    const refused = await ord(
      'POST',
      `/v1/orders/${card.body.orderId as string}/mark-paid`,
      undefined,
      org.token,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('order_not_awaiting_invoice');
  });

  it('an unpaid e-invoice order can be given up by the organizer: its seats go back on sale', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { eInvoiceEnabled: true });
    const placed = await ord('POST', '/v1/orders', {
      eventId,
      market: 'se',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 3 }],
      buyer: aBuyer(),
      paymentMethod: 'e_invoice',
      invoice,
    });
    expect(await seatsSold(platform, eventId)).toEqual([3]);
    const orderId = placed.body.orderId as string;
    const someone = await consumer(platform.identity.url);
    expect(
      (await ord('POST', `/v1/orders/${orderId}/cancel-unpaid-invoice`, undefined, someone.token)).status,
    ).toBe(404);

    const cancelled = await ord('POST', `/v1/orders/${orderId}/cancel-unpaid-invoice`, undefined, org.token);
    expect([cancelled.status, cancelled.body]).toEqual([200, { status: 'cancelled' }]);
    expect(await seatsSold(platform, eventId)).toEqual([0]);
    // Twice is still cancelled, and the seats are released once.
    expect(
      (await ord('POST', `/v1/orders/${orderId}/cancel-unpaid-invoice`, undefined, org.token)).status,
    ).toBe(200);
    expect(await seatsSold(platform, eventId)).toEqual([0]);
    // It can no longer be marked paid.
    const paid = await ord('POST', `/v1/orders/${orderId}/mark-paid`, undefined, org.token);
    expect([paid.status, paid.body.code]).toEqual([409, 'order_not_awaiting_invoice']);
  });

  it('is refused when the organizer has not enabled e-invoice (CAT-7)', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { eInvoiceEnabled: false });
    const placed = await ord('POST', '/v1/orders', {
      eventId,
      market: 'se',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
      buyer: aBuyer(),
      paymentMethod: 'e_invoice',
      invoice,
    });
    expect(placed.status).toBe(400);
    expect(placed.body.errors).toEqual([expect.objectContaining({ field: 'paymentMethod' })]);
    expect(await seatsSold(platform, eventId)).toEqual([0]);
  });
});

async function boughtTickets(transfersAllowed: boolean) {
  const org = await organizer(platform.identity.url);
  const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { transfersAllowed });
  const buyer = await consumer(platform.identity.url);
  const placed = await ord(
    'POST',
    '/v1/orders',
    {
      eventId,
      market: 'se',
      items: [{ ticketTypeId: ticketTypeIds[0], quantity: 2 }],
      buyer: aBuyer(buyer.email),
      paymentMethod: 'card',
      paymentToken: 'tok_visa',
    },
    buyer.token,
  );
  expect(placed.status).toBe(201);
  return {
    org,
    eventId,
    buyer,
    order: placed.body,
    tickets: placed.body.tickets as { ticketId: string; code: string }[],
  };
}

describe('ORD-7 transfers and ORD-9 check-in', () => {
  it('a transfer issues a new code to the recipient; the old code is refused at the door, the new one admits once', async () => {
    const { org, eventId, buyer, order, tickets } = await boughtTickets(true);
    const recipient = {
      email: `friend+${randomUUID().slice(0, 8)}@ticketry.test`,
      firstName: 'Fia',
      lastName: 'Vän',
    };

    const stranger = await consumer(platform.identity.url);
    expect(
      (await ord('POST', `/v1/tickets/${tickets[0].ticketId}/transfer`, recipient, stranger.token)).status,
    ).toBe(404);

    const moved = await ord('POST', `/v1/tickets/${tickets[0].ticketId}/transfer`, recipient, buyer.token);
    expect(moved.status).toBe(200);
    expect(moved.body.ticketId).not.toBe(tickets[0].ticketId);
    expect(moved.body.code).toMatch(/^[0-9A-Z]{26}$/);
    expect(moved.body.code).not.toBe(tickets[0].code);
    await eventually(async () => {
      const [mail] = await messagesTo(platform, recipient.email, 'ticket_received');
      expect(mail.body).toContain(moved.body.code as string);
    });

    // The buyer sees the old ticket as transferred and never the recipient's code.
    const view = await ord('GET', `/v1/orders/${order.orderId as string}`, undefined, buyer.token);
    const statuses = Object.fromEntries(
      (view.body.tickets as { ticketId: string; status: string }[]).map((t) => [t.ticketId, t.status]),
    );
    expect(statuses).toEqual({ [tickets[0].ticketId]: 'transferred', [tickets[1].ticketId]: 'valid' });
    expect(JSON.stringify(view.body)).not.toContain(moved.body.code as string);
    // Transferring again from the old ticket is refused.
    expect(
      (await ord('POST', `/v1/tickets/${tickets[0].ticketId}/transfer`, recipient, buyer.token)).body.code,
    ).toBe('ticket_not_transferable');

    const oldCode = await ord('POST', '/v1/check-ins', { eventId, code: tickets[0].code }, org.token);
    expect(oldCode.status).toBe(410);
    expect(oldCode.body.code).toBe('ticket_transferred');

    const admitted = await ord('POST', '/v1/check-ins', { eventId, code: moved.body.code }, org.token);
    expect(admitted.status).toBe(200);
    expect(admitted.body).toEqual({ ticketId: moved.body.ticketId, status: 'used' });
    const again = await ord('POST', '/v1/check-ins', { eventId, code: moved.body.code }, org.token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_checked_in');
  });

  it('refuses transfers when the organizer does not allow them (403 transfers_not_allowed)', async () => {
    const { buyer, tickets } = await boughtTickets(false);
    const answer = await ord(
      'POST',
      `/v1/tickets/${tickets[0].ticketId}/transfer`,
      { email: 'friend@ticketry.test', firstName: 'Fia', lastName: 'Vän' },
      buyer.token,
    );
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('transfers_not_allowed');
  });

  it('two scanners reading one code at the same moment admit it once', async () => {
    const { org, eventId, tickets } = await boughtTickets(true);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        ord('POST', '/v1/check-ins', { eventId, code: tickets[1].code }, org.token),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'already_checked_in')).toHaveLength(7);
  });

  it('ORD-9: a void ticket is rejected at the door (410 ticket_void); only support voids; strangers cannot scan', async () => {
    const { org, eventId, buyer, tickets } = await boughtTickets(true);
    expect(
      (
        await ord(
          'POST',
          `/v1/tickets/${tickets[0].ticketId}/void`,
          { reason: 'refunded by hand' },
          org.token,
        )
      ).status,
    ).toBe(403);
    const voided = await ord(
      'POST',
      `/v1/tickets/${tickets[0].ticketId}/void`,
      { reason: 'refunded by hand' },
      await adminToken(platform),
    );
    expect(voided.body).toEqual({ ticketId: tickets[0].ticketId, status: 'void' });
    const scan = await ord('POST', '/v1/check-ins', { eventId, code: tickets[0].code }, org.token);
    expect(scan.status).toBe(410);
    expect(scan.body.code).toBe('ticket_void');

    expect(
      (await ord('POST', '/v1/check-ins', { eventId, code: tickets[1].code }, buyer.token)).body.code,
    ).toBe('organization_forbidden');
    const otherOrg = await organizer(platform.identity.url);
    expect(
      (await ord('POST', '/v1/check-ins', { eventId, code: tickets[1].code }, otherOrg.token)).status,
    ).toBe(403);
    expect(
      (await ord('POST', '/v1/check-ins', { eventId, code: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' }, org.token)).body
        .code,
    ).toBe('ticket_not_found');
    // A code from another event does not open this one.
    const elsewhere = await boughtTickets(true);
    expect(
      (await ord('POST', '/v1/check-ins', { eventId, code: elsewhere.tickets[0].code }, org.token)).status,
    ).toBe(404);
  });
});
