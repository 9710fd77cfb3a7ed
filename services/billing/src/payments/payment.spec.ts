import { money } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { PaymentRuleError } from './payment-errors';
import type { ProviderSucceeded, ProviderUnavailable } from './payment-provider';
import {
  assertCanCapture,
  newPayment,
  paymentTotals,
  recordAttempt,
  recordAuthorization,
  recordCapture,
  recordRefund,
  recordVoid,
} from './payment';
import type { Payment } from './payment';

const sek = (minor: number): Money => money(minor, 'SEK');
const at = new Date('2026-03-01T12:00:00.000Z');
const ctx = (key: string) => ({ idempotencyKey: key, at });
const REF = 'sbx_pay-1';
const UNAVAILABLE: ProviderUnavailable = {
  outcome: 'unavailable',
  code: 'provider_unavailable',
  retryable: true,
};
const APPROVED: ProviderSucceeded<'authorized'> = {
  outcome: 'succeeded',
  providerRef: REF,
  status: 'authorized',
  amount: sek(10000),
};

function aPayment(amount = sek(10000)): Payment {
  return newPayment({ paymentId: 'pay-1', amount, method: 'card', at });
}

function anAuthorizedPayment(amount = sek(10000)): Payment {
  return recordAuthorization(aPayment(amount), { ...APPROVED, amount }, ctx('auth'));
}

function aCapturedPayment(amount = sek(10000)): Payment {
  return recordCapture(
    anAuthorizedPayment(amount),
    amount,
    { outcome: 'succeeded', providerRef: REF, status: 'captured', amount },
    ctx('cap'),
  );
}

function refunded(payment: Payment, amount: Money, key: string): Payment {
  return recordRefund(
    payment,
    amount,
    {
      outcome: 'succeeded',
      providerRef: REF,
      refundRef: `${REF}_${key}`,
      status: 'partially_refunded',
      amount,
    },
    ctx(key),
  );
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof PaymentRuleError) return error.code;
    throw error;
  }
  throw new Error('expected a PaymentRuleError');
}

describe('Payment aggregate: authorisation', () => {
  it('starts pending, with no attempts and zero totals', () => {
    const payment = aPayment();
    expect(payment.status).toBe('pending');
    expect(payment.attempts).toEqual([]);
    expect(paymentTotals(payment).authorized).toEqual(sek(0));
  });

  it('becomes authorized on an approved authorisation, recording the attempt', () => {
    const payment = anAuthorizedPayment();
    expect(payment).toMatchObject({ status: 'authorized', providerRef: REF, declineCode: null });
    expect(payment.attempts).toEqual([
      {
        kind: 'authorize',
        amount: sek(10000),
        outcome: 'succeeded',
        providerRef: REF,
        code: null,
        idempotencyKey: 'auth',
        at,
      },
    ]);
    expect(paymentTotals(payment).authorized).toEqual(sek(10000));
  });

  it('fails on a decline, keeping the decline code', () => {
    const payment = recordAuthorization(
      aPayment(),
      {
        outcome: 'declined',
        providerRef: REF,
        status: 'declined',
        code: 'insufficient_funds',
        retryable: false,
      },
      ctx('auth'),
    );
    expect(payment).toMatchObject({ status: 'failed', declineCode: 'insufficient_funds', providerRef: REF });
    expect(payment.attempts.map((a) => [a.outcome, a.code])).toEqual([['declined', 'insufficient_funds']]);
    expect(paymentTotals(payment).authorized).toEqual(sek(0));
  });

  it('stays pending when the provider is unavailable, recording the attempt for the retry', () => {
    const once = recordAuthorization(aPayment(), UNAVAILABLE, ctx('auth'));
    expect(once.status).toBe('pending');
    const retried = recordAuthorization(once, APPROVED, ctx('auth'));
    expect(retried.status).toBe('authorized');
    expect(retried.attempts.map((a) => a.outcome)).toEqual(['unavailable', 'succeeded']);
  });

  it('refuses to authorise twice (payment_not_authorizable)', () => {
    expect(codeOf(() => recordAuthorization(anAuthorizedPayment(), APPROVED, ctx('again')))).toBe(
      'payment_not_authorizable',
    );
  });

  it('refuses a failed payment any further move', () => {
    const failed = recordAuthorization(
      aPayment(),
      { outcome: 'declined', providerRef: REF, status: 'declined', code: 'card_declined', retryable: false },
      ctx('auth'),
    );
    expect([
      codeOf(() => assertCanCapture(failed, sek(1))),
      codeOf(() => recordVoid(failed, UNAVAILABLE, ctx('v'))),
      codeOf(() => refunded(failed, sek(1), 'r')),
    ]).toEqual(['payment_not_capturable', 'payment_not_voidable', 'payment_not_refundable']);
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 0.5],
  ])('refuses a %s amount (invalid_amount)', (_label, amountMinor) => {
    expect(codeOf(() => aPayment({ amountMinor, currency: 'SEK' }))).toBe('invalid_amount');
  });
});

describe('Payment aggregate: capture', () => {
  it('captures the full amount', () => {
    const payment = aCapturedPayment();
    expect(payment.status).toBe('captured');
    expect(paymentTotals(payment)).toEqual({
      authorized: sek(10000),
      captured: sek(10000),
      released: sek(0),
      refunded: sek(0),
      refundable: sek(10000),
    });
  });

  it('captures part of the authorisation once, releasing the rest', () => {
    const payment = recordCapture(
      anAuthorizedPayment(sek(10000)),
      sek(7000),
      { outcome: 'succeeded', providerRef: REF, status: 'captured', amount: sek(7000) },
      ctx('cap'),
    );
    expect(paymentTotals(payment)).toMatchObject({ captured: sek(7000), released: sek(3000) });
    expect(codeOf(() => assertCanCapture(payment, sek(3000)))).toBe('payment_not_capturable');
  });

  it('refuses to capture more than was authorised (capture_exceeds_authorized)', () => {
    expect(codeOf(() => assertCanCapture(anAuthorizedPayment(sek(10000)), sek(10001)))).toBe(
      'capture_exceeds_authorized',
    );
  });

  it('refuses to capture a pending payment', () => {
    expect(codeOf(() => assertCanCapture(aPayment(), sek(100)))).toBe('payment_not_capturable');
  });

  it('refuses to capture in another currency (currency_mismatch, PAY-4)', () => {
    expect(codeOf(() => assertCanCapture(anAuthorizedPayment(), money(10000, 'EUR')))).toBe(
      'currency_mismatch',
    );
  });

  it('stays authorized when the capture meets an outage', () => {
    const payment = recordCapture(anAuthorizedPayment(), sek(10000), UNAVAILABLE, ctx('cap'));
    expect(payment.status).toBe('authorized');
    expect(payment.attempts.at(-1)).toMatchObject({
      kind: 'capture',
      outcome: 'unavailable',
      providerRef: REF,
      code: 'provider_unavailable',
    });
    expect(paymentTotals(payment).captured).toEqual(sek(0));
  });
});

describe('Payment aggregate: void', () => {
  it('voids an authorised payment and releases the whole amount', () => {
    const payment = recordVoid(
      anAuthorizedPayment(),
      { outcome: 'succeeded', providerRef: REF, status: 'voided', amount: sek(10000) },
      ctx('void'),
    );
    expect(payment.status).toBe('voided');
    expect(paymentTotals(payment)).toMatchObject({ released: sek(10000), captured: sek(0) });
    expect(codeOf(() => assertCanCapture(payment, sek(1)))).toBe('payment_not_capturable');
  });

  it('refuses to void after capture (payment_not_voidable)', () => {
    expect(codeOf(() => recordVoid(aCapturedPayment(), UNAVAILABLE, ctx('void')))).toBe(
      'payment_not_voidable',
    );
  });
});

describe('Payment aggregate: refunds', () => {
  it('refunds in parts, partially_refunded then refunded', () => {
    const part = refunded(aCapturedPayment(sek(10000)), sek(4000), 'r1');
    expect(part.status).toBe('partially_refunded');
    const all = refunded(part, sek(6000), 'r2');
    expect(all.status).toBe('refunded');
    expect(paymentTotals(all)).toMatchObject({ refunded: sek(10000), refundable: sek(0) });
    expect(all.attempts.filter((a) => a.kind === 'refund').map((a) => a.refundRef)).toEqual([
      `${REF}_r1`,
      `${REF}_r2`,
    ]);
  });

  it('refuses refunds that together exceed the captured amount (refund_exceeds_captured)', () => {
    const part = refunded(aCapturedPayment(sek(10000)), sek(4000), 'r1');
    expect(codeOf(() => refunded(part, sek(6001), 'r2'))).toBe('refund_exceeds_captured');
  });

  it('refuses a refund beyond a partial capture, though within the authorisation', () => {
    const payment = recordCapture(
      anAuthorizedPayment(sek(10000)),
      sek(5000),
      { outcome: 'succeeded', providerRef: REF, status: 'captured', amount: sek(5000) },
      ctx('cap'),
    );
    expect(codeOf(() => refunded(payment, sek(5001), 'r'))).toBe('refund_exceeds_captured');
  });

  it('refuses a refund before capture and after a full refund (payment_not_refundable)', () => {
    const all = refunded(aCapturedPayment(sek(10000)), sek(10000), 'r1');
    expect([
      codeOf(() => refunded(anAuthorizedPayment(), sek(1), 'r')),
      codeOf(() => refunded(all, sek(1), 'r2')),
    ]).toEqual(['payment_not_refundable', 'payment_not_refundable']);
  });

  it('answers a refund of money not captured as a state conflict (409) that names the payment status', () => {
    let error: unknown;
    try {
      refunded(anAuthorizedPayment(), sek(1), 'r');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaymentRuleError);
    const refusal = error as PaymentRuleError;
    expect(refusal.status).toBe(409);
    // The extras are spread into problem+json: a `status` there would replace the HTTP status.
    expect(refusal.extra).toEqual({ paymentStatus: 'authorized' });
  });

  it('refuses a refund in another currency (currency_mismatch, PAY-4)', () => {
    expect(codeOf(() => refunded(aCapturedPayment(), money(100, 'NOK'), 'r'))).toBe('currency_mismatch');
  });

  it('records a refund outage without moving money', () => {
    const payment = recordRefund(aCapturedPayment(), sek(1000), UNAVAILABLE, ctx('r'));
    expect(payment.status).toBe('captured');
    expect(paymentTotals(payment).refunded).toEqual(sek(0));
    expect(payment.attempts.at(-1)).toMatchObject({ kind: 'refund', outcome: 'unavailable' });
  });
});

describe('Payment aggregate: attempts', () => {
  it('records an attempt without changing the status, and without mutating the payment', () => {
    const before = anAuthorizedPayment();
    const after = recordAttempt(before, {
      kind: 'capture',
      amount: sek(100),
      outcome: 'unavailable',
      providerRef: REF,
      code: 'provider_unavailable',
      idempotencyKey: 'k',
      at,
    });
    expect(before.attempts).toHaveLength(1);
    expect(after.attempts).toHaveLength(2);
    expect(after.status).toBe('authorized');
  });

  it('refuses an attempt in another currency', () => {
    expect(
      codeOf(() =>
        recordAttempt(aPayment(), {
          kind: 'authorize',
          amount: money(100, 'DKK'),
          outcome: 'succeeded',
          providerRef: REF,
          code: null,
          idempotencyKey: 'k',
          at,
        }),
      ),
    ).toBe('currency_mismatch');
  });

  it('refuses an attempt without an idempotency key', () => {
    expect(
      codeOf(() =>
        recordAttempt(aPayment(), {
          kind: 'authorize',
          amount: sek(100),
          outcome: 'succeeded',
          providerRef: REF,
          code: null,
          idempotencyKey: '',
          at,
        }),
      ),
    ).toBe('invalid_payment_request');
  });
});
