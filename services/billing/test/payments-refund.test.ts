/**
 * Refunds of captured payments (POST /v1/payments/{id}/refunds): the "refund" of
 * authorise/capture/refund. The refunds service decides the amount (PAY-13: service, alternative-payment
 * and advertising fees are never refunded, so its amounts are usually less than the capture); billing
 * moves the money, never more than was captured, once per Idempotency-Key, and publishes each refund
 * with its exact amounts for payouts' ledger (PAY-1). Real Postgres, real Kafka, the sandbox provider.
 */
import { randomUUID } from 'node:crypto';
import { paymentEvents } from '@ticketry/contracts';
import { eventually } from '@ticketry/testing';
import { aPaymentRequest, billingUnderTest, EVENT_TYPES, PaymentRequest } from './billing-harness';

const harness = billingUnderTest();

async function authorized(request: PaymentRequest): Promise<string> {
  const response = await harness.authorize(request);
  expect(response.body.status).toBe('authorized');
  return response.body.paymentId as string;
}

/** A payment authorised at checkout and captured by its order's OrderConfirmed, as in production. */
async function captured(overrides: Partial<PaymentRequest> = {}): Promise<string> {
  const request = aPaymentRequest(overrides);
  const paymentId = await authorized(request);
  await harness.orderConfirmed(request, paymentId);
  await eventually(async () => expect((await harness.view(paymentId)).status).toBe('captured'));
  return paymentId;
}

async function refundAttempts(paymentId: string): Promise<[string, string, string][]> {
  return (await harness.attempts(paymentId))
    .filter((a) => a.kind === 'refund')
    .map((a) => [a.outcome, a.amount_minor, a.currency]);
}

function refundEvents(paymentId: string) {
  return harness
    .eventsOf(paymentId)
    .filter((e) => e.type === EVENT_TYPES.refunded)
    .map((e) => harness.decode(paymentEvents.PaymentRefundedSchema, e.value));
}

/** Gives the outbox relay time to send anything still in flight, so an absence means something. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

describe('POST /v1/payments/{id}/refunds', () => {
  it('refunds a captured payment in full, records the attempt and publishes PaymentRefunded exactly', async () => {
    const paymentId = await captured({ amountMinor: 41990, method: 'swish' });
    const response = await harness.refund(paymentId, { amountMinor: 41990, reason: 'REF-7 event cancelled' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      paymentId,
      refundRef: `sbx_${paymentId}_refund_1`,
      amountMinor: 41990,
      currency: 'SEK',
      status: 'refunded',
      refundedMinor: 41990,
      refundableMinor: 0,
    });
    const view = await harness.view(paymentId);
    expect(view.status).toBe('refunded');
    expect(view.attempts[2]).toMatchObject({
      kind: 'refund',
      outcome: 'succeeded',
      amountMinor: 41990,
      currency: 'SEK',
      refundRef: `sbx_${paymentId}_refund_1`,
    });
    const [row] = (await harness.billing.dataSource.query(
      `SELECT reason FROM ${harness.table('payment_attempts')} WHERE payment_id = $1 AND kind = 'refund'`,
      [paymentId],
    )) as { reason: string }[];
    expect(row?.reason).toBe('REF-7 event cancelled');

    const [event] = await eventually(() => {
      const events = refundEvents(paymentId);
      expect(events).toHaveLength(1);
      return events;
    });
    // Payouts posts the ledger from this event alone (PAY-1): amounts and currency must be exact.
    expect(event!.amountMinor).toBe(41990n);
    expect(event!.refundedTotalMinor).toBe(41990n);
    expect(event!.refundRef).toBe(`sbx_${paymentId}_refund_1`);
    expect(event!.reason).toBe('REF-7 event cancelled');
    expect(event!.refundedAt).toBeDefined();
    expect(event!.payment).toMatchObject({ paymentId, currency: 'SEK', method: 'swish' });
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({
      status: 'refunded',
      refunded: { amountMinor: 41990, currency: 'SEK' },
    });
  });

  it('takes partial refunds until the captured amount and refuses one more with nothing refunded (422)', async () => {
    const paymentId = await captured({ amountMinor: 10000 });
    const first = await harness.refund(paymentId, { amountMinor: 3000, reason: 'face value, ticket 1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 3000,
      refundableMinor: 7000,
    });
    const second = await harness.refund(paymentId, { amountMinor: 4500, reason: 'face value, ticket 2' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      refundRef: `sbx_${paymentId}_refund_2`,
      status: 'partially_refunded',
      refundedMinor: 7500,
      refundableMinor: 2500,
    });

    const third = await harness.refund(paymentId, { amountMinor: 2501, reason: 'one öre too many' });
    expect(third.status).toBe(422);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    expect(third.body).toMatchObject({
      code: 'refund_exceeds_captured',
      refundableMinor: 2500,
      requestedMinor: 2501,
    });

    expect(await refundAttempts(paymentId)).toEqual([
      ['succeeded', '3000', 'SEK'],
      ['succeeded', '4500', 'SEK'],
    ]);
    expect((await harness.view(paymentId)).status).toBe('partially_refunded');
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({
      refunded: { amountMinor: 7500, currency: 'SEK' },
    });
    await eventually(() =>
      expect(refundEvents(paymentId).map((e) => [e.amountMinor, e.refundedTotalMinor])).toEqual([
        [3000n, 3000n],
        [4500n, 7500n],
      ]),
    );

    // The rest, exactly, is still refundable.
    const last = await harness.refund(paymentId, { amountMinor: 2500, reason: 'face value, ticket 3' });
    expect(last.body).toMatchObject({ status: 'refunded', refundedMinor: 10000, refundableMinor: 0 });
    const more = await harness.refund(paymentId, { amountMinor: 1, reason: 'after the full refund' });
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({ code: 'payment_not_refundable' });
  });

  it('refuses to refund an authorised payment that was never captured (409), without calling the provider', async () => {
    const paymentId = await authorized(aPaymentRequest());
    const response = await harness.refund(paymentId, { amountMinor: 100, reason: 'not captured' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      code: 'payment_not_refundable',
      status: 409,
      paymentStatus: 'authorized',
    });
    expect(await refundAttempts(paymentId)).toEqual([]);
    expect((await harness.view(paymentId)).status).toBe('authorized');
  });

  it('answers a repeat with the same key and body with the first answer, and refunds once', async () => {
    const paymentId = await captured({ amountMinor: 20000 });
    const key = `refund-${randomUUID()}`;
    const body = { amountMinor: 5000, reason: 'face value' };
    const first = await harness.refund(paymentId, body, key);
    expect(first.status).toBe(201);
    // Another refund in between: the replay still says what the first refund said.
    expect((await harness.refund(paymentId, { amountMinor: 1000, reason: 'another ticket' })).status).toBe(
      201,
    );
    const replay = await harness.refund(paymentId, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);

    // The same key and body from another caller (support) is not the interceptor's to replay, and
    // billing still refunds once: it answers with the first refund as it stood then.
    const support = await harness.personToken(randomUUID(), ['support']);
    const fromSupport = await harness.refund(paymentId, body, key, support);
    expect(fromSupport.status).toBe(201);
    expect(fromSupport.body).toEqual(first.body);

    expect(await refundAttempts(paymentId)).toEqual([
      ['succeeded', '5000', 'SEK'],
      ['succeeded', '1000', 'SEK'],
    ]);
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({
      refunds: 2,
      refunded: { amountMinor: 6000, currency: 'SEK' },
    });
    await settle();
    expect(refundEvents(paymentId).map((e) => e.amountMinor)).toEqual([5000n, 1000n]);
  });

  it('refuses the same key with another body (409 idempotency_key_reused), from the same caller or another', async () => {
    const paymentId = await captured({ amountMinor: 20000 });
    const key = `refund-${randomUUID()}`;
    expect((await harness.refund(paymentId, { amountMinor: 5000, reason: 'face value' }, key)).status).toBe(
      201,
    );
    const other = await harness.refund(paymentId, { amountMinor: 6000, reason: 'face value' }, key);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const support = await harness.personToken(randomUUID(), ['support']);
    const otherReason = await harness.refund(paymentId, { amountMinor: 5000, reason: 'other' }, key, support);
    expect(otherReason.status).toBe(409);
    expect(otherReason.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await refundAttempts(paymentId)).toEqual([['succeeded', '5000', 'SEK']]);
  });

  it('keeps concurrent refunds within the captured amount: 5 × 40 % at once, exactly 2 succeed', async () => {
    const paymentId = await captured({ amountMinor: 25000 });
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        harness.refund(
          paymentId,
          { amountMinor: 10000, reason: `parallel ${i}` },
          `parallel-${randomUUID()}`,
        ),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 422, 422, 422]);
    for (const refused of responses.filter((r) => r.status === 422)) {
      expect(refused.body).toMatchObject({ code: 'refund_exceeds_captured' });
    }
    expect(
      responses
        .filter((r) => r.status === 201)
        .map((r) => r.body.refundedMinor)
        .sort(),
    ).toEqual([10000, 20000]);
    expect(await refundAttempts(paymentId)).toEqual([
      ['succeeded', '10000', 'SEK'],
      ['succeeded', '10000', 'SEK'],
    ]);
    const view = await harness.view(paymentId);
    expect(view.status).toBe('partially_refunded');
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({
      refunded: { amountMinor: 20000, currency: 'SEK' },
    });
    await eventually(() =>
      expect(refundEvents(paymentId).map((e) => e.refundedTotalMinor)).toEqual([10000n, 20000n]),
    );
  });

  it('refunds nothing while the provider is down (503) and once when the same request is retried', async () => {
    const paymentId = await captured({ amountMinor: 12000 });
    const key = `refund-${randomUUID()}`;
    const body = { amountMinor: 12000, reason: 'REF-6 duplicate order' };
    harness.sandbox.simulateUnavailable(1);
    const outage = await harness.refund(paymentId, body, key);
    expect(outage.status).toBe(503);
    expect(outage.body).toMatchObject({ code: 'payment_provider_unavailable', paymentId });
    expect((await harness.view(paymentId)).status).toBe('captured');
    expect(await refundAttempts(paymentId)).toEqual([['unavailable', '12000', 'SEK']]);

    const retry = await harness.refund(paymentId, body, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ status: 'refunded', refundedMinor: 12000, refundableMinor: 0 });
    const keys = (await harness.attempts(paymentId))
      .filter((a) => a.kind === 'refund')
      .map((a) => a.idempotency_key);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(new RegExp(`^billing-${paymentId}-refund-`));
    expect(await refundAttempts(paymentId)).toEqual([
      ['unavailable', '12000', 'SEK'],
      ['succeeded', '12000', 'SEK'],
    ]);
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({ refunds: 1 });
    await settle();
    expect(refundEvents(paymentId)).toHaveLength(1);
  });

  it('is for the service, support and platform_admin: a consumer (even the buyer) gets 403', async () => {
    const identityId = randomUUID();
    const paymentId = await captured({ buyer: { email: 'buyer@example.com', identityId } });
    const buyer = await harness.personToken(identityId, ['consumer']);
    const response = await harness.refund(
      paymentId,
      { amountMinor: 100, reason: 'please' },
      randomUUID(),
      buyer,
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'forbidden' });
    const admin = await harness.personToken(randomUUID(), ['platform_admin']);
    expect(
      (await harness.refund(paymentId, { amountMinor: 100, reason: 'goodwill' }, randomUUID(), admin)).status,
    ).toBe(201);
    expect(await refundAttempts(paymentId)).toEqual([['succeeded', '100', 'SEK']]);
  });

  it('answers 404 payment_not_found for an unknown or malformed id, 400 without a key or a valid body', async () => {
    const unknown = await harness.refund(randomUUID(), { amountMinor: 100, reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'payment_not_found' });
    const malformed = await harness.refund('not-a-uuid', { amountMinor: 100, reason: 'x' });
    expect(malformed.status).toBe(404);
    expect(malformed.body).toMatchObject({ code: 'payment_not_found' });

    const paymentId = await captured();
    const noKey = await harness.refund(paymentId, { amountMinor: 100, reason: 'x' }, null);
    expect(noKey.status).toBe(400);
    for (const body of [
      { amountMinor: 0, reason: 'x' },
      { amountMinor: 10.5, reason: 'x' },
      { amountMinor: 100, reason: '' },
      { amountMinor: 100, reason: 'x'.repeat(501) },
      { amountMinor: 100 },
      { amountMinor: 100, reason: 'x', currency: 'EUR' },
    ]) {
      const response = await harness.refund(paymentId, body);
      expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
    }
    expect(await refundAttempts(paymentId)).toEqual([]);
  });
});

it('documents the refund endpoint in the OpenAPI document', async () => {
  const response = await harness.call<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
    'GET',
    '/docs-json',
  );
  expect(response.status).toBe(200);
  const post = response.body.paths['/v1/payments/{id}/refunds']?.post;
  expect(post).toBeDefined();
  expect(Object.keys(post!.responses as object)).toEqual(
    expect.arrayContaining(['201', '403', '404', '409', '422', '503']),
  );
  expect(post!.parameters).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    ]),
  );
});
