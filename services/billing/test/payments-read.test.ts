/**
 * GET /v1/payments/{id} (buyer, support, platform_admin; anyone else learns nothing), the retry job
 * on demand (POST /v1/admin/payments/run with asOf), and the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { aPaymentRequest, billingUnderTest } from './billing-harness';

const harness = billingUnderTest();

describe('GET /v1/payments/{id}', () => {
  it('shows the buyer their payment with every attempt', async () => {
    const identityId = randomUUID();
    const request = aPaymentRequest({ buyer: { email: 'ada@example.test', identityId } });
    const paymentId = (await harness.authorize(request)).body.paymentId as string;
    const response = await harness.call(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await harness.personToken(identityId),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      paymentId,
      orderId: request.orderId,
      status: 'authorized',
      amountMinor: 23000,
      currency: 'SEK',
      method: 'card',
      providerRef: `sbx_${paymentId}`,
      declineCode: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      attempts: [
        {
          kind: 'authorize',
          outcome: 'succeeded',
          amountMinor: 23000,
          currency: 'SEK',
          code: null,
          providerRef: `sbx_${paymentId}`,
          refundRef: null,
          at: expect.stringMatching(/Z$/),
        },
      ],
    });
  });

  it.each([['support'], ['platform_admin']])('shows it to %s', async (role) => {
    const paymentId = (await harness.authorize(aPaymentRequest())).body.paymentId as string;
    const response = await harness.call(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await harness.personToken(randomUUID(), [role]),
    );
    expect(response.status).toBe(200);
    expect(response.body.paymentId).toBe(paymentId);
  });

  it('answers 404 payment_not_found to anyone else, as for a payment that does not exist', async () => {
    const paymentId = (await harness.authorize(aPaymentRequest())).body.paymentId as string;
    const stranger = await harness.call(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await harness.personToken(),
    );
    const missing = await harness.call(
      'GET',
      `/v1/payments/${randomUUID()}`,
      undefined,
      await harness.personToken(),
    );
    const service = await harness.call(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await harness.serviceToken(),
    );
    for (const response of [stranger, missing, service]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('payment_not_found');
    }
    expect(stranger.body.detail).toBe(missing.body.detail);
  });

  it('hides a guest purchase (no identity) from every consumer', async () => {
    const paymentId = (await harness.authorize(aPaymentRequest({ buyer: { email: 'guest@example.test' } })))
      .body.paymentId as string;
    const response = await harness.call(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await harness.personToken(),
    );
    expect(response.status).toBe(404);
  });

  it('needs a token (401) and a uuid (400)', async () => {
    const paymentId = (await harness.authorize(aPaymentRequest())).body.paymentId as string;
    expect((await harness.call('GET', `/v1/payments/${paymentId}`)).status).toBe(401);
    const bad = await harness.call('GET', '/v1/payments/not-a-uuid', undefined, await harness.personToken());
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });
});

describe('POST /v1/admin/payments/run', () => {
  it('re-drives a pending authorisation only once it is a minute old at asOf, with the same provider key', async () => {
    const request = aPaymentRequest();
    harness.sandbox.simulateUnavailable(1);
    const outage = await harness.authorize(request);
    expect(outage.status).toBe(503);
    const paymentId = outage.body.paymentId as string;

    const now = await harness.asAdmin('POST', '/v1/admin/payments/run', { asOf: new Date().toISOString() });
    expect(now.status).toBe(200);
    expect(now.body).toEqual({ captured: 0, voided: 0, authorized: 0, failed: 0 });
    expect((await harness.view(paymentId)).status).toBe('pending');

    const later = await harness.asAdmin('POST', '/v1/admin/payments/run', {
      asOf: new Date(Date.now() + 61_000).toISOString(),
    });
    expect(later.body).toEqual({ captured: 0, voided: 0, authorized: 1, failed: 0 });
    const view = await harness.view(paymentId);
    expect(view.status).toBe('authorized');
    expect(view.attempts.map((a) => a.outcome)).toEqual(['unavailable', 'succeeded']);
    expect(new Set((await harness.attempts(paymentId)).map((a) => a.idempotency_key)).size).toBe(1);
    // orders' repeat now gets the authorised payment without a provider call.
    const repeat = await harness.authorize(request);
    expect(repeat.body).toMatchObject({ paymentId, status: 'authorized' });
    expect(await harness.attempts(paymentId)).toHaveLength(2);
  });

  it('counts declines of re-driven authorisations as failed', async () => {
    const request = aPaymentRequest({ paymentToken: 'tok_expired' });
    harness.sandbox.simulateUnavailable(1);
    expect((await harness.authorize(request)).status).toBe(503);
    const run = await harness.asAdmin('POST', '/v1/admin/payments/run', {
      asOf: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    expect(run.body).toEqual({ captured: 0, voided: 0, authorized: 0, failed: 1 });
    const [payment] = await harness.paymentsOfOrder(request.orderId);
    expect(payment!.status).toBe('failed');
  });

  it('is for platform_admin only and needs an ISO asOf', async () => {
    const support = await harness.call(
      'POST',
      '/v1/admin/payments/run',
      { asOf: new Date().toISOString() },
      await harness.personToken(randomUUID(), ['support']),
    );
    expect(support.status).toBe(403);
    const bad = await harness.asAdmin('POST', '/v1/admin/payments/run', { asOf: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });
});

it('documents the payment endpoints in OpenAPI', async () => {
  const response = await harness.call<{ paths: Record<string, Record<string, unknown>> }>(
    'GET',
    '/docs-json',
  );
  expect(response.status).toBe(200);
  expect(Object.keys(response.body.paths)).toEqual(
    expect.arrayContaining(['/v1/payments', '/v1/payments/{id}', '/v1/admin/payments/run']),
  );
  expect(Object.keys(response.body.paths['/v1/payments']!)).toContain('post');
});
