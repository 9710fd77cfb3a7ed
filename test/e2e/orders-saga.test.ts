/**
 * The checkout saga when things go wrong: billing unreachable, billing's answer lost, holds that
 * expire. Never a confirmed order unpaid, never a captured payment without an order, and seats
 * always come back. Real services, Postgres and Kafka; only the network hop to billing is cut.
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
const { ord, bill } = clients(() => platform);

beforeAll(async () => {
  platform = await startCheckoutPlatform({ ordersEnv: { PAYMENT_TIMEOUT_MS: '3000' } });
});

afterAll(async () => {
  await platform?.stop();
});

afterEach(() => {
  platform.gate.down = false;
  platform.gate.loseAnswers = false;
});

async function buy(
  eventId: string,
  ticketTypeId: string,
  token?: string,
  email?: string,
  key = randomUUID(),
) {
  return ord(
    'POST',
    '/v1/orders',
    {
      eventId,
      market: 'se',
      items: [{ ticketTypeId, quantity: 2 }],
      buyer: aBuyer(email),
      paymentMethod: 'card',
      paymentToken: 'tok_visa',
    },
    token,
    { 'idempotency-key': key },
  );
}

/** Scoped to the test's event: other test files share the orders schema and have holds of their own. */
async function runHoldJob(asOf: Date, eventId: string) {
  const answer = await ord(
    'POST',
    '/v1/admin/orders/expire-holds',
    { asOf: asOf.toISOString(), eventId },
    await adminToken(platform),
  );
  expect(answer.status).toBe(200);
  return answer.body as { retried: number; confirmed: number; expired: number };
}

describe('checkout saga', () => {
  it('billing unreachable: 202 pending with seats held; when billing is back the job confirms and billing captures', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const buyer = await consumer(platform.identity.url);
    platform.gate.down = true;
    const key = randomUUID();
    const placed = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email, key);
    expect(placed.status).toBe(202);
    expect(placed.body).toMatchObject({ status: 'pending', tickets: [], confirmationNumber: null });
    expect(await seatsSold(platform, eventId)).toEqual([2]);
    // A replay while pending answers 202 with the same order and takes no second hold.
    const replayed = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email, key);
    expect([replayed.status, replayed.body.orderId]).toEqual([202, placed.body.orderId]);
    expect(await seatsSold(platform, eventId)).toEqual([2]);

    platform.gate.down = false;
    const run = await runHoldJob(new Date(Date.now() + 60_000), eventId);
    expect(run).toMatchObject({ retried: 1, confirmed: 1, expired: 0 });
    const view = await ord('GET', `/v1/orders/${placed.body.orderId as string}`, undefined, buyer.token);
    expect(view.body.status).toBe('confirmed');
    expect(view.body.tickets).toHaveLength(2);
    // The same replay now answers 201 with the confirmed order: the state it is in, not a stored copy.
    const later = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email, key);
    expect([later.status, later.body.status, later.body.tickets]).toEqual([
      201,
      'confirmed',
      view.body.tickets,
    ]);
    await eventually(async () => {
      const payment = await bill(
        'GET',
        `/v1/payments/${view.body.paymentId as string}`,
        undefined,
        buyer.token,
      );
      expect(payment.body.status).toBe('captured');
    });
  });

  it('billing authorised but its answer was lost: billing\u2019s PaymentAuthorized event confirms the order, once', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const buyer = await consumer(platform.identity.url);
    platform.gate.loseAnswers = true;
    const placed = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email);
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId as string;
    const view = await eventually(async () => {
      const seen = await ord('GET', `/v1/orders/${orderId}`, undefined, buyer.token);
      expect(seen.body.status).toBe('confirmed');
      return seen.body;
    });
    expect(view.tickets).toHaveLength(2);
    // A retry of the lost call afterwards changes nothing: one payment, one authorisation, one capture.
    platform.gate.loseAnswers = false;
    await runHoldJob(new Date(Date.now() + 60_000), eventId);
    await eventually(async () => {
      const payment = await bill('GET', `/v1/payments/${view.paymentId as string}`, undefined, buyer.token);
      expect(payment.body.status).toBe('captured');
      const kinds = (payment.body.attempts as { kind: string; outcome: string }[])
        .filter((a) => a.outcome === 'succeeded')
        .map((a) => a.kind);
      expect(kinds).toEqual(['authorize', 'capture']);
    });
    const tickets = (await platform.orders.dataSource.query(
      'SELECT count(*)::int AS n FROM orders.tickets WHERE order_id = $1',
      [orderId],
    )) as {
      n: number;
    }[];
    expect(tickets[0].n).toBe(2);
  });

  it('orders restarts with a checkout in flight: the new instance settles it from the database, once', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const buyer = await consumer(platform.identity.url);
    platform.gate.down = true;
    const placed = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email);
    expect(placed.status).toBe(202);

    await platform.restartOrders();
    platform.gate.down = false;
    expect(await runHoldJob(new Date(Date.now() + 60_000), eventId)).toMatchObject({
      retried: 1,
      confirmed: 1,
    });
    const view = await ord('GET', `/v1/orders/${placed.body.orderId as string}`, undefined, buyer.token);
    expect(view.body).toMatchObject({ status: 'confirmed' });
    expect(view.body.tickets).toHaveLength(2);
    expect(await seatsSold(platform, eventId)).toEqual([2]);
    // A second run finds nothing left to do.
    expect(await runHoldJob(new Date(Date.now() + 120_000), eventId)).toMatchObject({
      retried: 0,
      confirmed: 0,
    });
    await eventually(async () => {
      const payment = await bill(
        'GET',
        `/v1/payments/${view.body.paymentId as string}`,
        undefined,
        buyer.token,
      );
      expect(payment.body.status).toBe('captured');
    });
  });

  it('an unpaid hold expires: seats come back, the order is cancelled, and an authorisation that arrives later is voided', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, {}, [{ capacity: 4 }]);
    const buyer = await consumer(platform.identity.url);
    platform.gate.down = true;
    const placed = await buy(eventId, ticketTypeIds[0], buyer.token, buyer.email);
    expect(placed.status).toBe(202);
    expect(await seatsSold(platform, eventId)).toEqual([2]);

    // Before the hold's end nothing expires; after it (HOLD_MINUTES = 15) the seats are released.
    expect((await runHoldJob(new Date(Date.now() + 5 * 60_000), eventId)).expired).toBe(0);
    expect((await runHoldJob(new Date(Date.now() + 16 * 60_000), eventId)).expired).toBe(1);
    expect(await seatsSold(platform, eventId)).toEqual([0]);
    const orderId = placed.body.orderId as string;
    const view = await ord('GET', `/v1/orders/${orderId}`, undefined, buyer.token);
    expect(view.body).toMatchObject({ status: 'cancelled', tickets: [] });
    // The buyer, who was told `pending`, learns that it did not go through.
    await eventually(async () => {
      const [mail] = await messagesTo(platform, buyer.email, 'order_not_completed');
      // Swedish storefront, Swedish text: "no money has been taken".
      expect(mail.data).toMatchObject({ reason: 'hold_expired' });
      expect(mail.body).toContain('Inga pengar har dragits');
    });

    // Billing receives the request only now (a slow network): it authorises, orders answers with
    // OrderCancelled and billing voids, so no money is kept for a cancelled order.
    platform.gate.down = false;
    const support = await adminToken(platform);
    const late = await fetch(`${platform.billing.url}/v1/payments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await serviceToken()}`,
        'idempotency-key': `order-${orderId}`,
      },
      body: JSON.stringify({
        orderId,
        amountMinor: 74750,
        currency: 'SEK',
        method: 'card',
        paymentToken: 'tok_visa',
        buyer: { email: buyer.email, identityId: buyer.identityId },
      }),
    });
    const payment = (await late.json()) as { paymentId: string; status: string };
    expect(payment.status).toBe('authorized');
    await eventually(async () => {
      const seen = await bill('GET', `/v1/payments/${payment.paymentId}`, undefined, support);
      expect(seen.body.status).toBe('voided');
    });
    expect((await ord('GET', `/v1/orders/${orderId}`, undefined, buyer.token)).body.status).toBe('cancelled');
    expect(await seatsSold(platform, eventId)).toEqual([0]);
  });
});

/** Orders' own service identity, as billing sees it. */
async function serviceToken(): Promise<string> {
  const secret = platform.orders.config.SERVICE_CLIENT_SECRET as string;
  const answer = await fetch(`${platform.identity.url}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'orders',
      client_secret: secret,
    }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}
