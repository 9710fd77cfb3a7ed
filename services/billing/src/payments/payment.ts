import { subtract, sum, zero } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { PaymentRuleError, requirePositiveAmount, requireSameCurrency, requireText } from './payment-errors';
import { isPaymentMethod } from './payment-provider';
import type {
  AuthorizeResult,
  CaptureResult,
  DeclineCode,
  PaymentMethod,
  RefundResult,
  TransientErrorCode,
  VoidResult,
} from './payment-provider';

/**
 * The Payment aggregate: plain data and pure functions (no I/O, no clock of its own; the use case passes
 * `at` from the platform Clock). One payment is one authorisation of one amount with one method
 * (ORD-1: an order is processed once its payment is authorised), and what happened to it afterwards:
 *
 *   pending ──authorize ok──▶ authorized ──capture──▶ captured ──refund──▶ partially_refunded ──▶ refunded
 *      │                          │                        └────────────refund (all)────────────────▶ refunded
 *      └──declined──▶ failed      └──void──▶ voided
 *
 * - `pending` exists so the payment (and the idempotency key of its authorisation) is stored *before*
 *   the provider is called (engineering.md convention 5); a transient `provider_unavailable` leaves it
 *   pending, to be retried with the same key.
 * - `failed` (declined) and `voided` and `refunded` are final. After a decline the buyer pays with a new
 *   payment (new payment id), matching the provider's one-authorisation-per-payment-id rule.
 * - One capture, of at most the authorised amount; less is a partial capture that releases the rest
 *   (the decision is documented in sandbox-provider.ts). Refunds may be repeated until the captured
 *   amount is refunded; the amount is the caller's (refunds service) to decide: fees that are never
 *   refunded (PAY-13: service fee, alternative-payment-method fee, advertising fee) are left out of the
 *   refund amount upstream; this aggregate only guarantees no refund exceeds what was captured.
 * - Every attempt is recorded, whatever its outcome (`attempts`); totals are derived from the
 *   succeeded attempts, in Money, so there is one source of truth.
 *
 * Illegal moves throw PaymentRuleError with a stable code (payment-errors.ts). The `assertCan…`
 * guards let the use case refuse *before* calling the provider; the `record…` functions apply the
 * provider's answer and re-check the same guards.
 */

export type PaymentStatus =
  'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'failed';

export type PaymentAttemptKind = 'authorize' | 'capture' | 'void' | 'refund';
export type PaymentAttemptOutcome = 'succeeded' | 'declined' | 'unavailable';

export interface PaymentAttempt {
  readonly kind: PaymentAttemptKind;
  /** The amount asked for (for a void: the authorised amount it releases). */
  readonly amount: Money;
  readonly outcome: PaymentAttemptOutcome;
  /** The provider's reference; null when the provider could not be reached. */
  readonly providerRef: string | null;
  /** Only for refunds: the provider's reference of this refund. */
  readonly refundRef?: string;
  /** The decline or transient error code; null when the attempt succeeded. */
  readonly code: DeclineCode | TransientErrorCode | null;
  readonly idempotencyKey: string;
  readonly at: Date;
}

export interface Payment {
  readonly paymentId: string;
  readonly method: PaymentMethod;
  /** The amount to authorise (and, once authorised, the authorised amount). */
  readonly amount: Money;
  readonly status: PaymentStatus;
  /** Set by the first provider answer that carries one (authorisation approved or declined). */
  readonly providerRef: string | null;
  readonly declineCode: DeclineCode | null;
  readonly createdAt: Date;
  readonly attempts: readonly PaymentAttempt[];
}

export interface AttemptContext {
  idempotencyKey: string;
  at: Date;
}

export interface PaymentTotals {
  authorized: Money;
  captured: Money;
  /** Authorised but never to be captured: the whole amount after a void, the rest after a partial capture. */
  released: Money;
  refunded: Money;
  /** Captured and not yet refunded. */
  refundable: Money;
}

/** A new payment, not yet sent to the provider. */
export function newPayment(input: {
  paymentId: string;
  amount: Money;
  method: PaymentMethod;
  at: Date;
}): Payment {
  const paymentId = requireText(input.paymentId, 'paymentId');
  const amount = requirePositiveAmount(input.amount);
  if (!isPaymentMethod(input.method)) {
    throw new PaymentRuleError('invalid_payment_request', `Unknown payment method ${String(input.method)}.`, {
      field: 'method',
    });
  }
  return {
    paymentId,
    method: input.method,
    amount,
    status: 'pending',
    providerRef: null,
    declineCode: null,
    createdAt: new Date(input.at.getTime()),
    attempts: [],
  };
}

/**
 * Appends one attempt to the payment's history; the status is left alone (the `record…` transitions
 * call this and then move the status). The amount must be positive and in the payment's currency.
 */
export function recordAttempt(payment: Payment, attempt: PaymentAttempt): Payment {
  const amount = requirePositiveAmount(attempt.amount, `${attempt.kind} amount`);
  requireSameCurrency(payment.amount, amount, `${attempt.kind} amount`);
  const idempotencyKey = requireText(attempt.idempotencyKey, 'idempotencyKey');
  return {
    ...payment,
    attempts: [
      ...payment.attempts,
      { ...attempt, amount, idempotencyKey, at: new Date(attempt.at.getTime()) },
    ],
  };
}

// ---- guards ------------------------------------------------------------------------------------

export function assertCanAuthorize(payment: Payment): void {
  if (payment.status !== 'pending') {
    throw new PaymentRuleError(
      'payment_not_authorizable',
      `Payment ${payment.paymentId} is ${payment.status}; only a pending payment is authorised.`,
      { paymentStatus: payment.status },
    );
  }
}

/** One capture, while authorised, of at most the authorised amount, in its currency. */
export function assertCanCapture(payment: Payment, amount: Money): void {
  const requested = requirePositiveAmount(amount, 'capture amount');
  if (payment.status !== 'authorized') {
    throw new PaymentRuleError(
      'payment_not_capturable',
      `Payment ${payment.paymentId} is ${payment.status}; only an authorised, uncaptured payment can be captured.`,
      { paymentStatus: payment.status },
    );
  }
  requireSameCurrency(payment.amount, requested, 'capture amount');
  if (requested.amountMinor > payment.amount.amountMinor) {
    throw new PaymentRuleError(
      'capture_exceeds_authorized',
      `Cannot capture ${requested.amountMinor} of ${payment.amount.amountMinor} authorised.`,
      { authorizedMinor: payment.amount.amountMinor, requestedMinor: requested.amountMinor },
    );
  }
}

/** Void only before capture: an authorised, uncaptured payment. */
export function assertCanVoid(payment: Payment): void {
  if (payment.status !== 'authorized') {
    throw new PaymentRuleError(
      'payment_not_voidable',
      `Payment ${payment.paymentId} is ${payment.status}; only an authorised, uncaptured payment can be voided.`,
      { paymentStatus: payment.status },
    );
  }
}

/** Refunds in total never exceed the captured amount, in its currency. */
export function assertCanRefund(payment: Payment, amount: Money): void {
  const requested = requirePositiveAmount(amount, 'refund amount');
  if (payment.status !== 'captured' && payment.status !== 'partially_refunded') {
    throw new PaymentRuleError(
      'payment_not_refundable',
      `Payment ${payment.paymentId} is ${payment.status}; only captured money can be refunded.`,
      { paymentStatus: payment.status },
    );
  }
  requireSameCurrency(payment.amount, requested, 'refund amount');
  const { refundable, captured } = paymentTotals(payment);
  if (requested.amountMinor > refundable.amountMinor) {
    throw new PaymentRuleError(
      'refund_exceeds_captured',
      `Cannot refund ${requested.amountMinor}: ${refundable.amountMinor} of ${captured.amountMinor} captured is left.`,
      { refundableMinor: refundable.amountMinor, requestedMinor: requested.amountMinor },
    );
  }
}

// ---- transitions: apply the provider's answer --------------------------------------------------

export function recordAuthorization(
  payment: Payment,
  result: AuthorizeResult,
  context: AttemptContext,
): Payment {
  assertCanAuthorize(payment);
  const base = { kind: 'authorize' as const, amount: payment.amount, ...context };
  switch (result.outcome) {
    case 'succeeded':
      return {
        ...recordAttempt(payment, {
          ...base,
          outcome: 'succeeded',
          providerRef: result.providerRef,
          code: null,
        }),
        status: 'authorized',
        providerRef: result.providerRef,
      };
    case 'declined':
      return {
        ...recordAttempt(payment, {
          ...base,
          outcome: 'declined',
          providerRef: result.providerRef,
          code: result.code,
        }),
        status: 'failed',
        providerRef: result.providerRef,
        declineCode: result.code,
      };
    case 'unavailable':
      return recordAttempt(payment, {
        ...base,
        outcome: 'unavailable',
        providerRef: null,
        code: result.code,
      });
  }
}

export function recordCapture(
  payment: Payment,
  amount: Money,
  result: CaptureResult,
  context: AttemptContext,
): Payment {
  assertCanCapture(payment, amount);
  if (result.outcome === 'unavailable') {
    return recordAttempt(payment, unavailableAttempt('capture', amount, payment, result.code, context));
  }
  return {
    ...recordAttempt(payment, {
      kind: 'capture',
      amount,
      outcome: 'succeeded',
      providerRef: result.providerRef,
      code: null,
      ...context,
    }),
    status: 'captured',
  };
}

export function recordVoid(payment: Payment, result: VoidResult, context: AttemptContext): Payment {
  assertCanVoid(payment);
  if (result.outcome === 'unavailable') {
    return recordAttempt(payment, unavailableAttempt('void', payment.amount, payment, result.code, context));
  }
  return {
    ...recordAttempt(payment, {
      kind: 'void',
      amount: payment.amount,
      outcome: 'succeeded',
      providerRef: result.providerRef,
      code: null,
      ...context,
    }),
    status: 'voided',
  };
}

export function recordRefund(
  payment: Payment,
  amount: Money,
  result: RefundResult,
  context: AttemptContext,
): Payment {
  assertCanRefund(payment, amount);
  if (result.outcome === 'unavailable') {
    return recordAttempt(payment, unavailableAttempt('refund', amount, payment, result.code, context));
  }
  const next = recordAttempt(payment, {
    kind: 'refund',
    amount,
    outcome: 'succeeded',
    providerRef: result.providerRef,
    refundRef: result.refundRef,
    code: null,
    ...context,
  });
  const { refundable } = paymentTotals(next);
  return { ...next, status: refundable.amountMinor === 0 ? 'refunded' : 'partially_refunded' };
}

function unavailableAttempt(
  kind: PaymentAttemptKind,
  amount: Money,
  payment: Payment,
  code: TransientErrorCode,
  context: AttemptContext,
): PaymentAttempt {
  return { kind, amount, outcome: 'unavailable', providerRef: payment.providerRef, code, ...context };
}

// ---- totals -------------------------------------------------------------------------------------

function succeeded(payment: Payment, kind: PaymentAttemptKind): Money[] {
  return payment.attempts.filter((a) => a.kind === kind && a.outcome === 'succeeded').map((a) => a.amount);
}

/** Every total of the payment, in its currency, derived from the succeeded attempts. */
export function paymentTotals(payment: Payment): PaymentTotals {
  const currency = payment.amount.currency;
  const authorized = sum(succeeded(payment, 'authorize'), currency);
  const captured = sum(succeeded(payment, 'capture'), currency);
  const refunded = sum(succeeded(payment, 'refund'), currency);
  const settled = payment.status === 'voided' || captured.amountMinor > 0;
  const released = settled ? subtract(authorized, captured) : zero(currency);
  return { authorized, captured, released, refunded, refundable: subtract(captured, refunded) };
}
