/**
 * The sandbox provider's state lives in billing's schema, like a real processor's on its side: a
 * payment authorised before billing restarts is still captured after it.
 */
import { eventually } from '@ticketry/testing';
import { aPaymentRequest, billingUnderTest, EVENT_TYPES } from './billing-harness';

const harness = billingUnderTest();

it('captures after a restart a payment authorised before it', async () => {
  const request = aPaymentRequest({ amountMinor: 9900 });
  const response = await harness.authorize(request);
  expect(response.body.status).toBe('authorized');
  const paymentId = response.body.paymentId as string;

  await harness.stopBilling();
  await harness.startBilling();

  await harness.orderConfirmed(request, paymentId);
  await eventually(async () => expect((await harness.view(paymentId)).status).toBe('captured'));
  expect(await harness.sandbox.lookup(`sbx_${paymentId}`)).toMatchObject({ status: 'captured' });
  await eventually(() =>
    expect(harness.eventsOf(paymentId).map((e) => e.type)).toEqual([
      EVENT_TYPES.authorized,
      EVENT_TYPES.captured,
    ]),
  );
  // The same checkout repeated after the restart gets the first answer again (api.md idempotency)
  // and authorises nothing new.
  const again = await harness.authorize(request);
  expect(again.body).toEqual(response.body);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect((await harness.attempts(paymentId)).map((a) => a.kind)).toEqual(['authorize', 'capture']);
});
