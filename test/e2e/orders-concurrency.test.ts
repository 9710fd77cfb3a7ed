/**
 * ORD-2 under a hot on-sale: 200 buyers at once for 50 seats. Exactly 50 orders are confirmed with
 * 50 tickets, every other buyer gets 409 sold_out, and billing holds payments only for the 50
 * (nothing captured for a rejected order). Real services, Postgres and Kafka.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '@ticketry/testing';
import {
  aBuyer,
  CheckoutPlatform,
  clients,
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

it('200 simultaneous buyers for 50 seats: exactly 50 sold, 150 sold_out, payments only for the sold', async () => {
  const org = await organizer(platform.identity.url);
  const { eventId, ticketTypeIds } = await publishedEvent(platform, org, {}, [{ capacity: 50 }]);
  const buyers = Array.from({ length: 200 }, () => aBuyer());
  const answers = await Promise.all(
    buyers.map((buyer) =>
      ord(
        'POST',
        '/v1/orders',
        {
          eventId,
          market: 'se',
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
          buyer,
          paymentMethod: 'card',
          paymentToken: 'tok_visa',
        },
        undefined,
        { 'idempotency-key': randomUUID() },
      ),
    ),
  );
  const byOutcome = new Map<string, number>();
  for (const answer of answers) {
    const outcome = `${answer.status} ${String(answer.status === 201 ? answer.body.status : answer.body.code)}`;
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }
  expect(Object.fromEntries(byOutcome)).toEqual({ '201 confirmed': 50, '409 sold_out': 150 });
  expect(await seatsSold(platform, eventId)).toEqual([50]);

  const confirmedIds = answers.filter((a) => a.status === 201).map((a) => a.body.orderId as string);
  const codes = answers.flatMap((a) =>
    a.status === 201 ? (a.body.tickets as { code: string }[]).map((t) => t.code) : [],
  );
  expect(new Set(codes).size).toBe(50);
  const [counts] = (await platform.orders.dataSource.query(
    `SELECT (SELECT count(*)::int FROM orders.tickets WHERE event_id = $1) AS tickets,
            (SELECT count(*)::int FROM orders.orders WHERE event_id = $1) AS orders`,
    [eventId],
  )) as { tickets: number; orders: number }[];
  // A rejected buyer left no order behind at all: the seat check rolled the whole order back.
  expect(counts).toEqual({ tickets: 50, orders: 50 });

  // Billing saw payments from exactly the 50 sold orders' buyers, and captured each once.
  await eventually(async () => {
    const rows = (await platform.billing.dataSource.query(
      `SELECT order_id::text AS order_id, status FROM billing.payments WHERE buyer_email = ANY($1::text[])`,
      [buyers.map((b) => b.email)],
    )) as { order_id: string; status: string }[];
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.order_id))).toEqual(new Set(confirmedIds));
    expect(rows.every((r) => r.status === 'captured')).toBe(true);
  });
});
