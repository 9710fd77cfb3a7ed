/**
 * Checkout over HTTP with every service of the money path running (identity, consent, catalog,
 * orders, billing) on real Postgres and Kafka: ORD-1..ORD-6, CAT-6, ENT-1, idempotency.
 * Expected figures are worked out by hand from the published SE schedule (GET /v1/fees):
 * 4 % + SEK 5.00 per paid ticket, VAT 25 % on fees, alternative methods 1.5 %, advertising 10 %,
 * insurance 6 % of the face value, SMS ticket SEK 10.00, postal delivery SEK 49.00.
 */
import { randomUUID } from 'node:crypto';
import { fromBinary, orderEvents } from '@ticketry/contracts';
import { physicalTopic } from '@ticketry/messaging';
import { eventually, testKafka, TopicRecorder, uniqueEmail } from '@ticketry/testing';
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
let recorder: TopicRecorder;
const { ord, cat, bill } = clients(() => platform);

beforeAll(async () => {
  platform = await startCheckoutPlatform();
  recorder = new TopicRecorder(testKafka());
  await recorder.start([physicalTopic(platform.prefix, 'orders.order.v1')]);
});

afterAll(async () => {
  await recorder?.stop();
  await platform?.stop();
});

function order(eventId: string, ticketTypeId: string, overrides: Record<string, unknown> = {}) {
  return {
    eventId,
    market: 'se',
    items: [{ ticketTypeId, quantity: 2 }],
    buyer: aBuyer(),
    paymentMethod: 'card',
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

async function supportToken(): Promise<string> {
  return adminToken(platform);
}

describe('ORD-3 totals, ORD-1/ORD-2 confirmation, receipt and OrderConfirmed', () => {
  it('fee passed on, with add-ons: 201 confirmed, exact totals, unique codes, receipt with the codes, payment captured', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { feeMode: 'passed_on' });
    const buyer = aBuyer();
    const placed = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], {
        buyer,
        addOns: ['insurance', 'sms_ticket'],
        organizerMarketingOptIn: true,
      }),
      undefined,
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('confirmed');
    // face 2 × 35000; fee per ticket 4 % × 35000 + 500 = 1900, VAT 475 → 2375 × 2 = 4750;
    // insurance 6 % × 70000 = 4200, SMS 1000 → 5200; total 70000 + 4750 + 5200 = 79950.
    expect(placed.body.totals).toEqual({
      faceValueMinor: 70000,
      serviceFeeMinor: 4750,
      addOnsMinor: 5200,
      totalMinor: 79950,
      currency: 'SEK',
    });
    expect(placed.body.confirmationNumber).toMatch(/^TK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    const tickets = placed.body.tickets as { ticketId: string; code: string; status: string }[];
    expect(tickets).toHaveLength(2);
    expect(new Set(tickets.map((t) => t.code)).size).toBe(2);
    for (const ticket of tickets) {
      expect(ticket.code).toMatch(/^[0-9A-Z]{26}$/);
      expect(ticket.status).toBe('valid');
    }
    expect(await seatsSold(platform, eventId)).toEqual([2]);

    // ORD-1/ORD-2: the receipt, with the tickets, to the e-mail given at purchase.
    await eventually(async () => {
      const [receipt] = await messagesTo(platform, buyer.email, 'order_receipt');
      expect(receipt).toBeDefined();
      expect(receipt.body).toContain(placed.body.confirmationNumber as string);
      expect(receipt.body).toContain('SEK 799.50');
      for (const ticket of tickets) expect(receipt.body).toContain(ticket.code);
    });

    // OrderConfirmed carries what identity (ID-13), billing and the ledger need; CON-2 opt-in is published.
    const orderId = placed.body.orderId as string;
    const confirmed = await eventually(async () => {
      const message = recorder
        .ofType(orderEvents.OrderConfirmedSchema.typeName)
        .find((m) => m.key === orderId);
      expect(message?.value).toBeDefined();
      return fromBinary(orderEvents.OrderConfirmedSchema, message!.value!);
    });
    expect(confirmed).toMatchObject({
      orderId,
      eventId,
      organizationId: org.organizationId,
      market: 'se',
      legalEntity: 'ticketry_se',
      paymentMethod: 'card',
      totalMinor: 79950n,
      currency: 'SEK',
      organizerMarketingOptIn: true,
      buyer: { email: buyer.email, firstName: buyer.firstName, lastName: buyer.lastName },
      amounts: {
        faceValueMinor: 70000n,
        serviceFeeChargedMinor: 4750n,
        platformFeeMinor: 3800n,
        platformFeeVatMinor: 950n,
        addOnsMinor: 5200n,
        // VAT inside add-on prices: 4200 × 25/125 = 840, 1000 × 25/125 = 200.
        addOnsVatMinor: 1040n,
        altPaymentFeeMinor: 0n,
        advertisingFeeMinor: 0n,
        totalMinor: 79950n,
        organizerShareMinor: 70000n,
      },
    });
    expect(confirmed.paymentId).toEqual(placed.body.paymentId);

    // The saga's second step: billing captures the payment of a confirmed order.
    const support = await supportToken();
    await eventually(async () => {
      const payment = await bill('GET', `/v1/payments/${confirmed.paymentId}`, undefined, support);
      expect(payment.status).toBe(200);
      expect(payment.body).toMatchObject({
        status: 'captured',
        amountMinor: 79950,
        currency: 'SEK',
        method: 'card',
      });
      expect(payment.body.providerRef).toEqual(expect.any(String));
    });
  });

  it('fee included, paid with Swish: the consumer pays the face value; ORD-4 fee is the organizer\u2019s and not in the total', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { feeMode: 'included' });
    const placed = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], {
        paymentMethod: 'swish',
        paymentToken: 'tok_visa',
        addOns: ['postal_delivery'],
      }),
    );
    expect(placed.status).toBe(201);
    expect(placed.body.totals).toEqual({
      faceValueMinor: 70000,
      serviceFeeMinor: 0,
      addOnsMinor: 4900,
      totalMinor: 74900,
      currency: 'SEK',
    });
    expect(placed.body).not.toHaveProperty('organizer'); // the buyer does not see the organizer's charges
    const asOrganizer = await ord('GET', `/v1/orders/${placed.body.orderId as string}`, undefined, org.token);
    expect(asOrganizer.status).toBe(200);
    // ORD-4: 1.5 % × 70000 = 1050, VAT 262.5 → 263. Share: 70000 − 2 × (1900 + 475) − 1050 − 263 = 63937.
    expect(asOrganizer.body.organizer).toMatchObject({
      advertising: false,
      altPaymentFeeMinor: 1050,
      advertisingFeeMinor: 0,
      organizerShareMinor: 63937,
    });
  });

  it('ORD-5 / CAT-6: the advertising fee applies to platform-advertising orders only while advertising is on at order time', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { advertisingEnabled: true });
    const one = (utmSource: string) =>
      order(eventId, ticketTypeIds[0], {
        items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        source: { utmSource, utmCampaign: 'vår' },
      });
    const fromAds = await ord('POST', '/v1/orders', one('Ticketry'));
    const fromGoogle = await ord('POST', '/v1/orders', one('google'));
    expect([fromAds.status, fromGoogle.status]).toEqual([201, 201]);
    const charges = async (orderId: string) =>
      (await ord('GET', `/v1/orders/${orderId}`, undefined, org.token)).body.organizer as Record<
        string,
        unknown
      >;
    // 10 % × 35000 = 3500, VAT 875; share 35000 − 3500 − 875 = 30625.
    expect(await charges(fromAds.body.orderId as string)).toMatchObject({
      advertising: true,
      advertisingFeeMinor: 3500,
      organizerShareMinor: 30625,
    });
    expect(await charges(fromGoogle.body.orderId as string)).toMatchObject({
      advertising: false,
      advertisingFeeMinor: 0,
    });

    expect(
      (await cat('PATCH', `/v1/events/${eventId}`, { advertisingEnabled: false }, org.token)).status,
    ).toBe(200);
    await eventually(async () => {
      const [row] = (await platform.orders.dataSource.query(
        'SELECT advertising_enabled FROM orders.events WHERE id = $1',
        [eventId],
      )) as { advertising_enabled: boolean }[];
      expect(row.advertising_enabled).toBe(false);
    });
    const afterSwitchOff = await ord('POST', '/v1/orders', one('ticketry'));
    expect(await charges(afterSwitchOff.body.orderId as string)).toMatchObject({
      advertising: false,
      advertisingFeeMinor: 0,
    });
    // The source is recorded either way (ORD-5).
    expect(afterSwitchOff.body.source).toEqual({ utmSource: 'ticketry', utmCampaign: 'vår' });
  });
});

describe('CAT-2 organizer fee agreements', () => {
  it('prices orders with the organization\u2019s agreed fee as catalog publishes it with the event', async () => {
    const org = await organizer(platform.identity.url);
    const agreed = await cat(
      'PUT',
      `/v1/admin/organizations/${org.organizationId}/fee-overrides/SEK`,
      { percentBp: 250, fixedMinor: 300, reason: 'Volume agreement 2026' },
      await adminToken(platform),
    );
    expect(agreed.status).toBe(200);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, { feeMode: 'passed_on' });
    const placed = await ord('POST', '/v1/orders', order(eventId, ticketTypeIds[0]));
    expect(placed.status).toBe(201);
    // 2.5 % × 35000 = 875 + 300 = 1175, VAT 25 % = 293.75 → 294; 1469 per ticket, 2938 for two.
    expect(placed.body.totals).toMatchObject({
      faceValueMinor: 70000,
      serviceFeeMinor: 2938,
      totalMinor: 72938,
    });
  });
});

describe('declined payments', () => {
  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_expired', 'expired_card'],
  ])('%s: 402 %s, no ticket, no seat taken, nothing captured', async (token, code) => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const buyer = await consumer(platform.identity.url);
    const placed = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], { paymentToken: token, buyer: aBuyer(buyer.email) }),
      buyer.token,
    );
    expect(placed.status).toBe(402);
    expect(placed.headers.get('content-type')).toContain('application/problem+json');
    expect(placed.body).toMatchObject({ code, status: 402 });
    expect(await seatsSold(platform, eventId)).toEqual([0]);
    const seen = await ord('GET', `/v1/orders/${placed.body.orderId as string}`, undefined, buyer.token);
    expect(seen.body).toMatchObject({
      status: 'payment_failed',
      declineCode: code,
      tickets: [],
      confirmationNumber: null,
    });
    const payment = await bill(
      'GET',
      `/v1/payments/${seen.body.paymentId as string}`,
      undefined,
      await supportToken(),
    );
    expect(payment.body).toMatchObject({ status: 'failed' });
    expect(await messagesTo(platform, buyer.email, 'order_receipt')).toEqual([]);
  });
});

describe('idempotency', () => {
  it('a replayed Idempotency-Key returns the same order without a second charge; another body is 409', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const key = randomUUID();
    const body = order(eventId, ticketTypeIds[0]);
    const first = await ord('POST', '/v1/orders', body, undefined, { 'idempotency-key': key });
    const [second, third] = await Promise.all([
      ord('POST', '/v1/orders', body, undefined, { 'idempotency-key': key }),
      ord('POST', '/v1/orders', body, undefined, { 'idempotency-key': key }),
    ]);
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(third.body.orderId).toBe(first.body.orderId);
    expect(second.body.tickets).toEqual(first.body.tickets);
    expect(await seatsSold(platform, eventId)).toEqual([2]);
    const payment = await bill(
      'GET',
      `/v1/payments/${first.body.paymentId as string}`,
      undefined,
      await supportToken(),
    );
    const authorizations = (payment.body.attempts as { kind: string }[]).filter(
      (a) => a.kind === 'authorize',
    );
    expect(authorizations).toHaveLength(1);

    const other = await ord(
      'POST',
      '/v1/orders',
      { ...body, items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] },
      undefined,
      {
        'idempotency-key': key,
      },
    );
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await seatsSold(platform, eventId)).toEqual([2]);
  });
});

describe('what can be bought', () => {
  it('409 sold_out beyond capacity, nothing held; 422 sales_closed outside the sales window; 404 for unknown events', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org, {}, [
      { capacity: 3 },
      { name: 'Senare släpp', salesStartAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString() },
    ]);
    const many = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], { items: [{ ticketTypeId: ticketTypeIds[0], quantity: 4 }] }),
    );
    expect(many.status).toBe(409);
    expect(many.body).toMatchObject({ code: 'sold_out', available: 3 });
    expect(await seatsSold(platform, eventId)).toEqual(expect.arrayContaining([0, 0]));
    const three = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], { items: [{ ticketTypeId: ticketTypeIds[0], quantity: 3 }] }),
    );
    expect(three.status).toBe(201);
    const more = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], { items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] }),
    );
    expect(more.body).toMatchObject({ status: 409, code: 'sold_out', available: 0 });

    const early = await ord('POST', '/v1/orders', order(eventId, ticketTypeIds[1]));
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('sales_closed');

    expect((await ord('POST', '/v1/orders', order(randomUUID(), ticketTypeIds[0]))).body.code).toBe(
      'event_not_found',
    );
    const wrongType = await ord('POST', '/v1/orders', order(eventId, randomUUID()));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('validation_failed');
  });

  it('rejects bad input with 400 validation_failed and field errors, never a 500', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const cases: Record<string, unknown>[] = [
      { ...order(eventId, ticketTypeIds[0]), paymentToken: undefined },
      { ...order(eventId, ticketTypeIds[0]), items: [] },
      { ...order(eventId, ticketTypeIds[0]), items: [{ ticketTypeId: ticketTypeIds[0], quantity: 0 }] },
      { ...order(eventId, ticketTypeIds[0]), items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1.5 }] },
      { ...order(eventId, ticketTypeIds[0]), market: 'xx' },
      { ...order(eventId, ticketTypeIds[0]), paymentMethod: 'bitcoin' },
      { ...order(eventId, ticketTypeIds[0]), addOns: ['gift_card'] },
      {
        ...order(eventId, ticketTypeIds[0]),
        buyer: { email: 'not-an-email', firstName: 'A', lastName: 'B' },
      },
      { ...order(eventId, ticketTypeIds[0]), unknownField: true },
      { ...order(eventId, ticketTypeIds[0]), paymentMethod: 'e_invoice', paymentToken: undefined },
    ];
    for (const body of cases) {
      const answer = await ord('POST', '/v1/orders', body);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    expect(await seatsSold(platform, eventId)).toEqual([0]);
  });

  it('ENT-1: the storefront market decides the contracting entity recorded on the order', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const entities: Record<string, string> = {
      se: 'ticketry_se',
      no: 'ticketry_no',
      gb: 'ticketry_uk',
      dk: 'ticketry_dk',
      fi: 'ticketry_dk',
    };
    for (const [market, entity] of Object.entries(entities)) {
      const placed = await ord(
        'POST',
        '/v1/orders',
        order(eventId, ticketTypeIds[0], {
          market,
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        }),
      );
      expect(placed.status).toBe(201);
      expect(placed.body.legalEntity).toBe(entity);
    }
  });
});

describe('buyer views (ID-14) and organization views', () => {
  it('a claimed guest sees earlier guest orders with the same e-mail; the organization sees its event\u2019s orders; nobody else', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const email = uniqueEmail('claimer');
    const guestOrder = await ord(
      'POST',
      '/v1/orders',
      order(eventId, ticketTypeIds[0], { buyer: aBuyer(email) }),
    );
    expect(guestOrder.status).toBe(201);

    // ID-13 → ID-14: identity made a guest account for the e-mail; claiming it via forgot-password.
    const id = clients(() => platform).id;
    await eventually(async () => {
      expect((await id('POST', '/v1/password/forgot', { email, market: 'se' })).status).toBe(202);
      const mails = await messagesTo(platform, email, 'password_reset');
      expect(mails.length).toBeGreaterThan(0);
    });
    const [mail] = await messagesTo(platform, email, 'password_reset');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.body)![1];
    expect(
      (await id('POST', '/v1/password/reset', { token, newPassword: 'a-long-enough-passphrase' })).status,
    ).toBe(204);
    const login = await id('POST', '/v1/auth/login', {
      email,
      password: 'a-long-enough-passphrase',
      market: 'se',
    });
    const buyerToken = login.body.accessToken as string;

    await eventually(async () => {
      const mine = await ord('GET', '/v1/orders?mine=true', undefined, buyerToken);
      expect(mine.status).toBe(200);
      expect((mine.body.items as { orderId: string }[]).map((o) => o.orderId)).toContain(
        guestOrder.body.orderId,
      );
    });
    const seen = await ord('GET', `/v1/orders/${guestOrder.body.orderId as string}`, undefined, buyerToken);
    expect(seen.status).toBe(200);
    expect(seen.body.tickets).toEqual(guestOrder.body.tickets);

    const byEvent = await ord('GET', `/v1/orders?eventId=${eventId}`, undefined, org.token);
    expect(byEvent.status).toBe(200);
    expect((byEvent.body.items as { orderId: string }[]).map((o) => o.orderId)).toEqual([
      guestOrder.body.orderId,
    ]);
    // ORD-6: the organizer receives the buyer's name and e-mail; ORD-10: and the confirmation
    // number and ticket codes it must honour at the door.
    const [seenByOrg] = byEvent.body.items as Record<string, unknown>[];
    expect(seenByOrg).toMatchObject({
      buyer: { email, firstName: 'Greta', lastName: 'Gäst' },
      confirmationNumber: guestOrder.body.confirmationNumber,
      tickets: guestOrder.body.tickets,
    });

    const stranger = await consumer(platform.identity.url);
    expect(
      (await ord('GET', `/v1/orders/${guestOrder.body.orderId as string}`, undefined, stranger.token)).status,
    ).toBe(404);
    expect((await ord('GET', `/v1/orders?eventId=${eventId}`, undefined, stranger.token)).status).toBe(403);
    const otherOrg = await organizer(platform.identity.url);
    expect(
      (await ord('GET', `/v1/orders/${guestOrder.body.orderId as string}`, undefined, otherOrg.token)).status,
    ).toBe(404);
    expect((await ord('GET', `/v1/orders?eventId=${eventId}`, undefined, otherOrg.token)).body.code).toBe(
      'organization_forbidden',
    );
    expect((await ord('GET', `/v1/orders/${guestOrder.body.orderId as string}`)).status).toBe(401);
    expect((await ord('GET', '/v1/orders?mine=true', undefined, stranger.token)).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages a buyer\u2019s orders with limit and cursor', async () => {
    const org = await organizer(platform.identity.url);
    const { eventId, ticketTypeIds } = await publishedEvent(platform, org);
    const buyer = await consumer(platform.identity.url);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await ord(
        'POST',
        '/v1/orders',
        order(eventId, ticketTypeIds[0], {
          buyer: aBuyer(buyer.email),
          items: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
        }),
        buyer.token,
      );
      ids.push(placed.body.orderId as string);
    }
    const first = await ord('GET', '/v1/orders?mine=true&limit=2', undefined, buyer.token);
    const second = await ord(
      'GET',
      `/v1/orders?mine=true&limit=2&cursor=${first.body.nextCursor as string}`,
      undefined,
      buyer.token,
    );
    const seen = [
      ...(first.body.items as { orderId: string }[]),
      ...(second.body.items as { orderId: string }[]),
    ].map((o) => o.orderId);
    expect(seen).toEqual([...ids].reverse());
    expect(second.body.nextCursor).toBeNull();
    expect((await ord('GET', '/v1/orders?mine=true&cursor=garbage', undefined, buyer.token)).status).toBe(
      400,
    );
  });
});
