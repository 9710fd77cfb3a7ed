/**
 * POST /v1/payments, the checkout half of the saga (ORD-1): orders asks billing to authorise an
 * order's payment with its service token. Real Postgres, real Kafka, the sandbox provider.
 */
import { randomUUID } from 'node:crypto';
import { paymentEvents } from '@ticketry/contracts';
import { eventually } from '@ticketry/testing';
import { aPaymentRequest, billingUnderTest, EVENT_TYPES } from './billing-harness';

const harness = billingUnderTest();

describe('authorising a payment', () => {
  it('authorises tok_visa and publishes PaymentAuthorized with the exact amount', async () => {
    const request = aPaymentRequest({ amountMinor: 23050, method: 'swish' });
    const response = await harness.authorize(request);
    expect(response.status).toBe(201);
    const paymentId = response.body.paymentId as string;
    expect(response.body).toEqual({
      paymentId,
      orderId: request.orderId,
      status: 'authorized',
      declineCode: null,
      amountMinor: 23050,
      currency: 'SEK',
      method: 'swish',
      providerRef: `sbx_${paymentId}`,
    });
    const event = await eventually(() => {
      const [authorized] = harness.eventsOf(paymentId);
      expect(authorized?.type).toBe(EVENT_TYPES.authorized);
      return authorized!;
    });
    const message = harness.decode(paymentEvents.PaymentAuthorizedSchema, event.value);
    expect(message.amountMinor).toBe(23050n);
    expect(message.payment).toMatchObject({
      paymentId,
      orderId: request.orderId,
      method: 'swish',
      currency: 'SEK',
      providerRef: `sbx_${paymentId}`,
    });
    const attempts = await harness.attempts(paymentId);
    expect(attempts).toEqual([
      {
        kind: 'authorize',
        outcome: 'succeeded',
        amount_minor: '23050',
        currency: 'SEK',
        code: null,
        idempotency_key: `billing-${paymentId}-authorize`,
      },
    ]);
    // The token served its one purpose; it is not kept once the authorisation resolved.
    const [row] = await harness.billing.dataSource.query(
      `SELECT payment_token, idempotency_key FROM ${harness.table('payments')} WHERE id = $1`,
      [paymentId],
    );
    expect(row).toEqual({ payment_token: null, idempotency_key: `order-${request.orderId}` });
  });

  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_expired', 'expired_card'],
    ['tok_unknown', 'invalid_token'],
  ])('fails %s with %s, publishes PaymentFailed and never captures it', async (token, code) => {
    const request = aPaymentRequest({ paymentToken: token });
    const response = await harness.authorize(request);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'failed', declineCode: code });
    const paymentId = response.body.paymentId as string;
    const event = await eventually(() => {
      const [failed] = harness.eventsOf(paymentId);
      expect(failed?.type).toBe(EVENT_TYPES.failed);
      return failed!;
    });
    expect(harness.decode(paymentEvents.PaymentFailedSchema, event.value)).toMatchObject({
      declineCode: code,
      amountMinor: 23000n,
    });
    // An OrderConfirmed for it (which orders must never send) is parked, not captured.
    await harness.orderConfirmed(request, paymentId);
    await eventually(async () => expect(await harness.deadLetters(request.orderId)).toHaveLength(1));
    expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize']);
    expect((await harness.view(paymentId)).status).toBe('failed');
  });
});

describe('one payment per order', () => {
  it('answers a repeat with the same body with the same payment, authorised once', async () => {
    const request = aPaymentRequest();
    const first = await harness.authorize(request);
    const again = await harness.authorize(request);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // A repeat under another key (a client that lost its key) still finds the order's payment.
    const otherKey = await harness.authorize(request, `retry-${randomUUID()}`);
    expect(otherKey.status).toBe(201);
    expect(otherKey.body.paymentId).toBe(first.body.paymentId);
    expect(await harness.paymentsOfOrder(request.orderId)).toHaveLength(1);
    expect(await harness.attempts(first.body.paymentId as string)).toHaveLength(1);
  });

  it('refuses the same order with another body: 409 idempotency_key_reused', async () => {
    const request = aPaymentRequest();
    expect((await harness.authorize(request)).status).toBe(201);
    const sameKey = await harness.authorize({ ...request, amountMinor: 1 });
    expect(sameKey.status).toBe(409);
    expect(sameKey.body.code).toBe('idempotency_key_reused');
    const otherKey = await harness.authorize(
      { ...request, paymentToken: 'tok_declined' },
      `k-${randomUUID()}`,
    );
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.code).toBe('idempotency_key_reused');
    expect(otherKey.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await harness.paymentsOfOrder(request.orderId)).toHaveLength(1);
  });

  it('authorises once when the same request arrives many times at once', async () => {
    const request = aPaymentRequest();
    const responses = await Promise.all(Array.from({ length: 6 }, () => harness.authorize(request)));
    // The platform's Idempotency-Key guard answers a duplicate that overlaps the first with 409
    // idempotency_key_in_progress (retryable); every 201 is the one payment.
    for (const response of responses) {
      if (response.status === 409) expect(response.body.code).toBe('idempotency_key_in_progress');
      else expect(response.status).toBe(201);
    }
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.paymentId)).size).toBe(1);
    const payments = await harness.paymentsOfOrder(request.orderId);
    expect(payments).toHaveLength(1);
    expect(await harness.attempts(payments[0]!.id)).toHaveLength(1);
  });

  it('authorises once when the order’s duplicates come under different keys at once (row lock)', async () => {
    const request = aPaymentRequest();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => harness.authorize(request, `dup-${randomUUID()}`)),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.paymentId)).size).toBe(1);
    expect(responses.every((r) => r.body.status === 'authorized')).toBe(true);
    const paymentId = responses[0]!.body.paymentId as string;
    expect(await harness.attempts(paymentId)).toHaveLength(1);
    await eventually(() =>
      expect(harness.eventsOf(paymentId).map((e) => e.type)).toEqual([EVENT_TYPES.authorized]),
    );
  });
});

describe('provider outage', () => {
  it('answers 503 payment_provider_unavailable, keeps the payment pending, and a repeat authorises it with the same key', async () => {
    const request = aPaymentRequest();
    harness.sandbox.simulateUnavailable(1);
    const outage = await harness.authorize(request);
    expect(outage.status).toBe(503);
    expect(outage.body.code).toBe('payment_provider_unavailable');
    const [pending] = await harness.paymentsOfOrder(request.orderId);
    expect(pending!.status).toBe('pending');
    const retry = await harness.authorize(request);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ paymentId: pending!.id, status: 'authorized' });
    const attempts = await harness.attempts(pending!.id);
    expect(attempts.map((a) => [a.outcome, a.code])).toEqual([
      ['unavailable', 'provider_unavailable'],
      ['succeeded', null],
    ]);
    expect(new Set(attempts.map((a) => a.idempotency_key))).toEqual(
      new Set([`billing-${pending!.id}-authorize`]),
    );
  });
});

describe('who may call and what is accepted', () => {
  it('requires a token (401) and the service role (403)', async () => {
    const request = aPaymentRequest();
    const anonymous = await harness.call('POST', '/v1/payments', request, undefined, {
      'idempotency-key': `order-${request.orderId}`,
    });
    expect(anonymous.status).toBe(401);
    const buyer = await harness.call('POST', '/v1/payments', request, await harness.personToken(), {
      'idempotency-key': `order-${request.orderId}`,
    });
    expect(buyer.status).toBe(403);
    expect(await harness.paymentsOfOrder(request.orderId)).toHaveLength(0);
  });

  it('requires the Idempotency-Key header', async () => {
    const request = aPaymentRequest();
    const response = await harness.authorize(request, null);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a zero amount', { amountMinor: 0 }],
    ['a fractional amount', { amountMinor: 10.5 }],
    ['an unknown method', { method: 'cash' }],
    ['an unknown currency', { currency: 'XXX' }],
    ['an order id that is not a uuid', { orderId: 'order-1' }],
    ['an unknown field', { tip: 5 }],
  ])('refuses %s with 400 validation_failed', async (_label, change) => {
    const request = { ...aPaymentRequest(), ...change };
    const response = await harness.call('POST', '/v1/payments', request, await harness.serviceToken(), {
      'idempotency-key': `order-${randomUUID()}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });
});
