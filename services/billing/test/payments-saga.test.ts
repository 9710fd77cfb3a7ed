/**
 * The saga's second half: orders' OrderConfirmed captures the order's payment, OrderCancelled
 * voids it (orders.order.v1, produced here exactly as orders' outbox relay writes it). Real Postgres,
 * real Kafka, the sandbox provider.
 */
import { randomUUID } from 'node:crypto';
import { create, orderEvents, paymentEvents } from '@ticketry/contracts';
import { eventually } from '@ticketry/testing';
import { aPaymentRequest, billingUnderTest, EVENT_TYPES, PaymentRequest } from './billing-harness';

const harness = billingUnderTest();

async function authorized(request: PaymentRequest = aPaymentRequest()): Promise<string> {
  const response = await harness.authorize(request);
  expect(response.body.status).toBe('authorized');
  return response.body.paymentId as string;
}

async function statusBecomes(paymentId: string, status: string): Promise<void> {
  await eventually(async () => expect((await harness.view(paymentId)).status).toBe(status));
}

/** Gives billing's consumer time to act on anything still in flight, so an absence means something. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

describe('OrderConfirmed', () => {
  it('captures the full authorised amount and publishes PaymentCaptured', async () => {
    const request = aPaymentRequest({ amountMinor: 41990, method: 'klarna' });
    const paymentId = await authorized(request);
    await harness.orderConfirmed(request, paymentId);
    await statusBecomes(paymentId, 'captured');
    const captured = await eventually(() => {
      const event = harness.eventsOf(paymentId).find((e) => e.type === EVENT_TYPES.captured);
      expect(event).toBeDefined();
      return event!;
    });
    const message = harness.decode(paymentEvents.PaymentCapturedSchema, captured.value);
    expect(message.amountMinor).toBe(41990n);
    expect(message.payment).toMatchObject({
      paymentId,
      orderId: request.orderId,
      currency: 'SEK',
      method: 'klarna',
    });
    expect(
      (await harness.attempts(paymentId)).map((a) => [a.kind, a.outcome, a.amount_minor, a.currency]),
    ).toEqual([
      ['authorize', 'succeeded', '41990', 'SEK'],
      ['capture', 'succeeded', '41990', 'SEK'],
    ]);
    expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({
      status: 'captured',
      captured: { amountMinor: 41990, currency: 'SEK' },
    });
  });

  it('captures once when OrderConfirmed is redelivered (same event id) or repeated (new event id)', async () => {
    const request = aPaymentRequest();
    const paymentId = await authorized(request);
    const eventId = await harness.orderConfirmed(request, paymentId);
    await harness.orderConfirmed(request, paymentId, eventId);
    await harness.orderConfirmed(request, paymentId);
    await statusBecomes(paymentId, 'captured');
    await settle();
    expect((await harness.attempts(paymentId)).filter((a) => a.kind === 'capture')).toHaveLength(1);
    expect(harness.eventsOf(paymentId).filter((e) => e.type === EVENT_TYPES.captured)).toHaveLength(1);
    expect(await harness.deadLetters(request.orderId)).toHaveLength(0);
  });

  it('ignores an e-invoice order (no payment id, ORD-8)', async () => {
    const orderId = randomUUID();
    const message = create(orderEvents.OrderConfirmedSchema, {
      orderId,
      totalMinor: 50000n,
      currency: 'SEK',
      paymentId: '',
      paymentMethod: 'e_invoice',
    });
    const eventId = await harness.produceOrderEvent(orderEvents.OrderConfirmedSchema, message, orderId);
    await eventually(async () => {
      const rows = (await harness.billing.dataSource.query(
        `SELECT outcome FROM ${harness.table('inbox')} WHERE event_id = $1`,
        [eventId],
      )) as { outcome: string }[];
      expect(rows).toEqual([{ outcome: 'processed' }]);
    });
    expect(await harness.deadLetters(orderId)).toHaveLength(0);
  });

  it('parks an OrderConfirmed whose total differs from the authorisation instead of capturing', async () => {
    const request = aPaymentRequest({ amountMinor: 10000 });
    const paymentId = await authorized(request);
    await harness.orderConfirmed({ ...request, amountMinor: 12000 }, paymentId);
    await eventually(async () => expect(await harness.deadLetters(request.orderId)).toHaveLength(1));
    expect((await harness.view(paymentId)).status).toBe('authorized');
  });

  it('does not lose a capture the provider could not take: the retry run finishes it', async () => {
    const request = aPaymentRequest();
    const paymentId = await authorized(request);
    harness.sandbox.simulateUnavailable(1);
    await harness.orderConfirmed(request, paymentId);
    await eventually(async () =>
      expect((await harness.attempts(paymentId)).map((a) => [a.kind, a.outcome])).toEqual([
        ['authorize', 'succeeded'],
        ['capture', 'unavailable'],
      ]),
    );
    expect((await harness.view(paymentId)).status).toBe('authorized');
    const run = await harness.asAdmin('POST', '/v1/admin/payments/run', { asOf: new Date().toISOString() });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ captured: 1, voided: 0, authorized: 0, failed: 0 });
    expect((await harness.view(paymentId)).status).toBe('captured');
    const keys = (await harness.attempts(paymentId))
      .filter((a) => a.kind === 'capture')
      .map((a) => a.idempotency_key);
    expect(keys).toEqual([`billing-${paymentId}-capture`, `billing-${paymentId}-capture`]);
    await eventually(() =>
      expect(harness.eventsOf(paymentId).filter((e) => e.type === EVENT_TYPES.captured)).toHaveLength(1),
    );
  });
});

describe('OrderCancelled', () => {
  it('voids an authorised payment, publishes PaymentVoided, and never captures it afterwards', async () => {
    const request = aPaymentRequest({ amountMinor: 15000 });
    const paymentId = await authorized(request);
    await harness.orderCancelled(request, paymentId);
    await statusBecomes(paymentId, 'voided');
    const voided = await eventually(() => {
      const event = harness.eventsOf(paymentId).find((e) => e.type === EVENT_TYPES.voided);
      expect(event).toBeDefined();
      return event!;
    });
    expect(harness.decode(paymentEvents.PaymentVoidedSchema, voided.value).amountMinor).toBe(15000n);
    // A confirmation after the cancellation contradicts it: parked for a person, never captured.
    await harness.orderConfirmed(request, paymentId);
    await eventually(async () => expect(await harness.deadLetters(request.orderId)).toHaveLength(1));
    const run = await harness.asAdmin('POST', '/v1/admin/payments/run', { asOf: new Date().toISOString() });
    expect(run.status).toBe(200);
    expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize', 'void']);
    expect(harness.eventsOf(paymentId).map((e) => e.type)).not.toContain(EVENT_TYPES.captured);
    expect((await harness.view(paymentId)).status).toBe('voided');
  });

  it('never voids a payment whose order was confirmed', async () => {
    const request = aPaymentRequest();
    const paymentId = await authorized(request);
    await harness.orderConfirmed(request, paymentId);
    await statusBecomes(paymentId, 'captured');
    await harness.orderCancelled(request, paymentId);
    await eventually(async () => expect(await harness.deadLetters(request.orderId)).toHaveLength(1));
    expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize', 'capture']);
  });

  it('remembers to void a payment still pending at the provider, and voids it once the authorisation resolves', async () => {
    const request = aPaymentRequest();
    harness.sandbox.simulateUnavailable(1);
    const outage = await harness.authorize(request);
    expect(outage.status).toBe(503);
    const paymentId = outage.body.paymentId as string;
    await harness.orderCancelled(request, paymentId);
    await eventually(async () => {
      const [row] = (await harness.billing.dataSource.query(
        `SELECT status, order_outcome, requested_action FROM ${harness.table('payments')} WHERE id = $1`,
        [paymentId],
      )) as Record<string, string>[];
      expect(row).toEqual({ status: 'pending', order_outcome: 'cancelled', requested_action: 'void' });
    });
    // The retry run re-drives pending authorisations older than a minute before asOf.
    const run = await harness.asAdmin('POST', '/v1/admin/payments/run', {
      asOf: new Date(Date.now() + 2 * 60_000).toISOString(),
    });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ captured: 0, voided: 1, authorized: 1, failed: 0 });
    expect((await harness.view(paymentId)).status).toBe('voided');
    await eventually(() =>
      expect(harness.eventsOf(paymentId).map((e) => e.type)).toEqual([
        EVENT_TYPES.authorized,
        EVENT_TYPES.voided,
      ]),
    );
  });

  it('voids the order’s payment found by order id when orders could not name it (its answer was lost)', async () => {
    const request = aPaymentRequest();
    const paymentId = await authorized(request);
    await harness.orderCancelled(request, '');
    await statusBecomes(paymentId, 'voided');
    expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize', 'void']);
  });

  it('owes nothing when a declined payment’s order is cancelled', async () => {
    const request = aPaymentRequest({ paymentToken: 'tok_declined' });
    const response = await harness.authorize(request);
    const paymentId = response.body.paymentId as string;
    const eventId = await harness.orderCancelled(request, paymentId);
    await eventually(async () => {
      const rows = (await harness.billing.dataSource.query(
        `SELECT outcome FROM ${harness.table('inbox')} WHERE event_id = $1`,
        [eventId],
      )) as { outcome: string }[];
      expect(rows).toEqual([{ outcome: 'processed' }]);
    });
    expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize']);
    expect((await harness.view(paymentId)).status).toBe('failed');
  });

  it('parks an event naming a payment billing does not hold for that order', async () => {
    const request = aPaymentRequest();
    const paymentId = await authorized(request);
    const stranger = aPaymentRequest();
    await harness.orderCancelled(stranger, paymentId);
    await eventually(async () => expect(await harness.deadLetters(stranger.orderId)).toHaveLength(1));
    expect((await harness.view(paymentId)).status).toBe('authorized');
  });
});
