import { money } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { PaymentRuleError } from './payment-errors';
import type { AuthorizeRequest, PaymentMethod } from './payment-provider';
import { isAlternativePaymentMethod, PAYMENT_METHODS } from './payment-provider';
import { SandboxPaymentProvider, sandboxProviderRef } from './sandbox-provider';

const sek = (minor: number): Money => money(minor, 'SEK');

let seq = 0;
const unique = (prefix: string): string => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

function anAuthorization(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    paymentId: unique('pay'),
    amount: sek(23000),
    method: 'card',
    token: 'tok_visa',
    idempotencyKey: unique('key'),
    ...overrides,
  };
}

async function refused(promise: Promise<unknown>): Promise<PaymentRuleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PaymentRuleError))
    throw new Error(`expected a PaymentRuleError, got ${String(error)}`);
  return error;
}

/** An authorised payment's providerRef. */
async function authorized(provider: SandboxPaymentProvider, amount = sek(23000)): Promise<string> {
  const result = await provider.authorize(anAuthorization({ amount }));
  if (result.outcome !== 'succeeded') throw new Error(`setup: authorisation ${result.outcome}`);
  return result.providerRef;
}

async function captured(provider: SandboxPaymentProvider, amount = sek(23000)): Promise<string> {
  const providerRef = await authorized(provider, amount);
  await provider.capture({ providerRef, amount, idempotencyKey: unique('cap') });
  return providerRef;
}

describe('sandbox payment provider: tokens (api.md "payments in dev")', () => {
  it('authorises tok_visa', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization({ token: 'tok_visa' });
    const result = await provider.authorize(request);
    expect(result).toEqual({
      outcome: 'succeeded',
      providerRef: sandboxProviderRef(request.paymentId),
      status: 'authorized',
      amount: sek(23000),
    });
  });

  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_expired', 'expired_card'],
    ['tok_unknown', 'invalid_token'],
    ['TOK_VISA', 'invalid_token'],
    ['constructor', 'invalid_token'],
  ])('declines %s with %s', async (token, code) => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization({ token });
    const result = await provider.authorize(request);
    expect(result).toEqual({
      outcome: 'declined',
      providerRef: sandboxProviderRef(request.paymentId),
      status: 'declined',
      code,
      retryable: false,
    });
  });

  it.each(PAYMENT_METHODS.map((m) => [m]))('lets the token, not the method %s, decide', async (method) => {
    const provider = new SandboxPaymentProvider();
    const ok = await provider.authorize(
      anAuthorization({ method: method as PaymentMethod, token: 'tok_visa' }),
    );
    const ko = await provider.authorize(
      anAuthorization({ method: method as PaymentMethod, token: 'tok_expired' }),
    );
    expect([ok.outcome, ko.outcome]).toEqual(['succeeded', 'declined']);
  });

  it('keeps a saved payment method behaving as its token says, payment after payment', async () => {
    const provider = new SandboxPaymentProvider();
    const outcomes: string[] = [];
    for (let month = 0; month < 3; month++) {
      outcomes.push((await provider.authorize(anAuthorization({ token: 'tok_visa' }))).outcome);
      const failing = await provider.authorize(anAuthorization({ token: 'tok_insufficient_funds' }));
      outcomes.push(failing.outcome === 'declined' ? failing.code : failing.outcome);
    }
    expect(outcomes).toEqual([
      'succeeded',
      'insufficient_funds',
      'succeeded',
      'insufficient_funds',
      'succeeded',
      'insufficient_funds',
    ]);
  });

  it('cannot capture a declined authorisation', async () => {
    const provider = new SandboxPaymentProvider();
    const result = await provider.authorize(anAuthorization({ token: 'tok_declined' }));
    if (result.outcome !== 'declined') throw new Error('expected a decline');
    const error = await refused(
      provider.capture({
        providerRef: result.providerRef,
        amount: sek(23000),
        idempotencyKey: unique('cap'),
      }),
    );
    expect(error.code).toBe('payment_not_capturable');
  });
});

describe('sandbox payment provider: idempotency', () => {
  it('returns the same authorisation for a replayed request, without a second effect', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization();
    const first = await provider.authorize(request);
    const replay = await provider.authorize({ ...request, amount: sek(23000) });
    expect(replay).toEqual(first);
    expect(provider.inspect(sandboxProviderRef(request.paymentId))?.authorized).toEqual(sek(23000));
  });

  it('returns the same decline for a replayed declined request', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization({ token: 'tok_declined' });
    expect(await provider.authorize(request)).toEqual(await provider.authorize(request));
  });

  it.each([
    ['amount', { amount: sek(23001) }],
    ['token', { token: 'tok_declined' }],
    ['method', { method: 'swish' as const }],
    ['currency', { amount: money(23000, 'NOK') }],
    ['payment id', { paymentId: 'another-payment' }],
  ])('refuses an authorisation key reused with another %s', async (_field, change) => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization();
    await provider.authorize(request);
    const error = await refused(provider.authorize({ ...request, ...change }));
    expect(error.code).toBe('idempotency_key_reused');
    expect(error.status).toBe(409);
  });

  it('refuses a key reused for another operation', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization();
    const result = await provider.authorize(request);
    if (result.outcome !== 'succeeded') throw new Error('setup');
    const error = await refused(
      provider.capture({
        providerRef: result.providerRef,
        amount: sek(23000),
        idempotencyKey: request.idempotencyKey,
      }),
    );
    expect(error.code).toBe('idempotency_key_reused');
    expect(provider.inspect(result.providerRef)?.status).toBe('authorized');
  });

  it('captures once for a replayed capture, and replays it even after a refund', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const capture = { providerRef, amount: sek(10000), idempotencyKey: unique('cap') };
    const first = await provider.capture(capture);
    await provider.refund({ providerRef, amount: sek(1000), idempotencyKey: unique('ref') });
    expect(await provider.capture(capture)).toEqual(first);
    expect(provider.inspect(providerRef)?.captured).toEqual(sek(10000));
  });

  it('refunds once for a replayed refund', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await captured(provider, sek(10000));
    const refund = { providerRef, amount: sek(4000), idempotencyKey: unique('ref') };
    const first = await provider.refund(refund);
    const replay = await provider.refund(refund);
    expect(replay).toEqual(first);
    expect(provider.inspect(providerRef)?.refunded).toEqual(sek(4000));
  });

  it('refuses a refund key reused with another amount', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await captured(provider, sek(10000));
    const idempotencyKey = unique('ref');
    await provider.refund({ providerRef, amount: sek(4000), idempotencyKey });
    const error = await refused(provider.refund({ providerRef, amount: sek(5000), idempotencyKey }));
    expect(error.code).toBe('idempotency_key_reused');
    expect(provider.inspect(providerRef)?.refunded).toEqual(sek(4000));
  });

  it('returns the same void for a replayed void', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider);
    const request = { providerRef, idempotencyKey: unique('void') };
    expect(await provider.void(request)).toEqual(await provider.void(request));
  });

  it('refuses a second authorisation of the same payment under a new key', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization();
    await provider.authorize(request);
    const error = await refused(provider.authorize({ ...request, idempotencyKey: unique('key') }));
    expect(error.code).toBe('payment_already_authorized');
  });

  it('does not remember provider_unavailable: the retry with the same key authorises once', async () => {
    const provider = new SandboxPaymentProvider();
    const request = anAuthorization();
    provider.simulateUnavailable(1);
    const outage = await provider.authorize(request);
    expect(outage).toEqual({ outcome: 'unavailable', code: 'provider_unavailable', retryable: true });
    expect(provider.inspect(sandboxProviderRef(request.paymentId))).toBeUndefined();
    const retry = await provider.authorize(request);
    expect(retry.outcome).toBe('succeeded');
  });

  it('does not remember a refused request: the key stays free', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const idempotencyKey = unique('cap');
    await refused(provider.capture({ providerRef, amount: sek(10001), idempotencyKey }));
    const result = await provider.capture({ providerRef, amount: sek(10000), idempotencyKey });
    expect(result.outcome).toBe('succeeded');
  });

  it('derives the providerRef from the payment id, so instances agree', async () => {
    const request = anAuthorization();
    const a = await new SandboxPaymentProvider().authorize(request);
    const b = await new SandboxPaymentProvider().authorize(request);
    expect(a.outcome === 'succeeded' && b.outcome === 'succeeded' && a.providerRef === b.providerRef).toBe(
      true,
    );
  });
});

describe('sandbox payment provider: money rules', () => {
  it('allows one partial capture and releases the rest', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const result = await provider.capture({ providerRef, amount: sek(6000), idempotencyKey: unique('cap') });
    expect(result).toEqual({ outcome: 'succeeded', providerRef, status: 'captured', amount: sek(6000) });
    const second = await refused(
      provider.capture({ providerRef, amount: sek(4000), idempotencyKey: unique('cap') }),
    );
    expect(second.code).toBe('payment_not_capturable');
  });

  it('refuses to capture more than was authorised', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const error = await refused(
      provider.capture({ providerRef, amount: sek(10001), idempotencyKey: unique('cap') }),
    );
    expect(error.code).toBe('capture_exceeds_authorized');
    expect(provider.inspect(providerRef)?.status).toBe('authorized');
  });

  it('refuses refunds that together exceed the captured amount', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    await provider.capture({ providerRef, amount: sek(8000), idempotencyKey: unique('cap') });
    const first = await provider.refund({ providerRef, amount: sek(5000), idempotencyKey: unique('ref') });
    expect(first).toMatchObject({ status: 'partially_refunded', refundRef: `${providerRef}_refund_1` });
    const error = await refused(
      provider.refund({ providerRef, amount: sek(3001), idempotencyKey: unique('ref') }),
    );
    expect(error.code).toBe('refund_exceeds_captured');
    const last = await provider.refund({ providerRef, amount: sek(3000), idempotencyKey: unique('ref') });
    expect(last).toMatchObject({
      status: 'refunded',
      refundRef: `${providerRef}_refund_2`,
      amount: sek(3000),
    });
    const after = await refused(
      provider.refund({ providerRef, amount: sek(1), idempotencyKey: unique('ref') }),
    );
    expect(after.code).toBe('payment_not_refundable');
  });

  it('refuses a refund before capture', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider);
    const error = await refused(
      provider.refund({ providerRef, amount: sek(100), idempotencyKey: unique('ref') }),
    );
    expect(error.code).toBe('payment_not_refundable');
  });

  it('voids an authorised payment, releasing the authorised amount', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const result = await provider.void({ providerRef, idempotencyKey: unique('void') });
    expect(result).toEqual({ outcome: 'succeeded', providerRef, status: 'voided', amount: sek(10000) });
    const capture = await refused(
      provider.capture({ providerRef, amount: sek(1), idempotencyKey: unique('cap') }),
    );
    expect(capture.code).toBe('payment_not_capturable');
  });

  it('refuses to void after capture', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await captured(provider);
    const error = await refused(provider.void({ providerRef, idempotencyKey: unique('void') }));
    expect(error.code).toBe('payment_not_voidable');
    expect(provider.inspect(providerRef)?.status).toBe('captured');
  });

  it('refuses a capture in another currency (PAY-4)', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    const error = await refused(
      provider.capture({ providerRef, amount: money(10000, 'NOK'), idempotencyKey: unique('cap') }),
    );
    expect(error.code).toBe('currency_mismatch');
  });

  it('refuses a refund in another currency (PAY-4)', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await captured(provider, sek(10000));
    const error = await refused(
      provider.refund({ providerRef, amount: money(100, 'EUR'), idempotencyKey: unique('ref') }),
    );
    expect(error.code).toBe('currency_mismatch');
  });

  it.each([
    ['zero', { amountMinor: 0, currency: 'SEK' }],
    ['negative', { amountMinor: -100, currency: 'SEK' }],
    ['fractional', { amountMinor: 10.5, currency: 'SEK' }],
    ['unknown currency', { amountMinor: 100, currency: 'XXX' }],
  ])('refuses a %s amount', async (_label, amount) => {
    const provider = new SandboxPaymentProvider();
    const authorize = await refused(provider.authorize(anAuthorization({ amount })));
    const providerRef = await captured(provider, sek(10000));
    const refund = await refused(provider.refund({ providerRef, amount, idempotencyKey: unique('ref') }));
    expect([authorize.code, refund.code, authorize.status]).toEqual([
      'invalid_amount',
      'invalid_amount',
      400,
    ]);
  });

  it('refuses an unknown providerRef', async () => {
    const provider = new SandboxPaymentProvider();
    const error = await refused(
      provider.capture({ providerRef: 'sbx_nothing', amount: sek(100), idempotencyKey: unique('cap') }),
    );
    expect(error.code).toBe('unknown_provider_ref');
  });

  it('refuses an unknown method and an empty idempotency key', async () => {
    const provider = new SandboxPaymentProvider();
    const method = await refused(provider.authorize(anAuthorization({ method: 'cash' as PaymentMethod })));
    const key = await refused(provider.authorize(anAuthorization({ idempotencyKey: ' ' })));
    expect([method.code, key.code]).toEqual(['invalid_payment_request', 'invalid_payment_request']);
  });

  it('answers provider_unavailable during an outage without any effect', async () => {
    const provider = new SandboxPaymentProvider();
    const providerRef = await authorized(provider, sek(10000));
    provider.simulateUnavailable(2);
    const capture = { providerRef, amount: sek(10000), idempotencyKey: unique('cap') };
    expect((await provider.capture(capture)).outcome).toBe('unavailable');
    expect((await provider.void({ providerRef, idempotencyKey: unique('void') })).outcome).toBe(
      'unavailable',
    );
    expect(provider.inspect(providerRef)?.status).toBe('authorized');
    expect((await provider.capture(capture)).outcome).toBe('succeeded');
  });

  it('does not keep or freeze the caller’s money object', async () => {
    const provider = new SandboxPaymentProvider();
    const amount = { amountMinor: 5000, currency: 'SEK' };
    const result = await provider.authorize(anAuthorization({ amount }));
    expect(Object.isFrozen(amount)).toBe(false);
    expect(result.outcome === 'succeeded' && result.amount !== amount).toBe(true);
  });
});

describe('payment methods (ORD-4)', () => {
  it('treats Swish, MobilePay, PayPal and Klarna as alternative methods, and card not', () => {
    expect(PAYMENT_METHODS.filter(isAlternativePaymentMethod)).toEqual([
      'swish',
      'mobilepay',
      'paypal',
      'klarna',
    ]);
  });
});
