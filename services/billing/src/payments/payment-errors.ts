import { assertMoney, money, MoneyError } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { DomainError } from '@ticketry/platform';

/**
 * Stable error codes of the payment side of billing, shared by the Payment aggregate (payment.ts) and
 * the sandbox provider (sandbox-provider.ts), so a refusal reads the same wherever it is caught. The
 * codes are part of the API contract once published (problem+json `code`); never rename one.
 */
export const PAYMENT_ERROR_CODES = {
  /** An amount that is not a positive integer number of minor units (zero, negative, fraction). */
  invalidAmount: 'invalid_amount',
  /** An amount in another currency than the authorisation (PAY-4: never mixed, never converted). */
  currencyMismatch: 'currency_mismatch',
  /** A missing or malformed request field (payment id, token, method, idempotency key). */
  invalidRequest: 'invalid_payment_request',
  /** The same idempotency key sent with a different request. */
  idempotencyKeyReused: 'idempotency_key_reused',
  /** A second authorisation for a payment id that already has one (one payment, one authorisation). */
  paymentAlreadyAuthorized: 'payment_already_authorized',
  /** The provider does not know this providerRef. */
  unknownProviderRef: 'unknown_provider_ref',
  /** The payment is not pending, so it cannot be authorised (again). */
  notAuthorizable: 'payment_not_authorizable',
  /** The payment is not authorised (not yet, declined, voided, or already captured). */
  notCapturable: 'payment_not_capturable',
  /** The capture asks for more than was authorised. */
  captureExceedsAuthorized: 'capture_exceeds_authorized',
  /** The payment is not authorised-and-uncaptured, so there is nothing to void. */
  notVoidable: 'payment_not_voidable',
  /** The payment has no captured money left to refund (not captured, voided, fully refunded). */
  notRefundable: 'payment_not_refundable',
  /** This refund plus the earlier ones would exceed what was captured. */
  refundExceedsCaptured: 'refund_exceeds_captured',
} as const;

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[keyof typeof PAYMENT_ERROR_CODES];

const STATUS: Record<PaymentErrorCode, number> = {
  invalid_amount: 400,
  invalid_payment_request: 400,
  currency_mismatch: 422,
  idempotency_key_reused: 409,
  payment_already_authorized: 409,
  unknown_provider_ref: 404,
  payment_not_authorizable: 409,
  payment_not_capturable: 422,
  capture_exceeds_authorized: 422,
  payment_not_voidable: 422,
  // A state conflict (not captured yet, voided, already refunded in full), not a bad amount.
  payment_not_refundable: 409,
  refund_exceeds_captured: 422,
};

/**
 * A payment rule refused the request; `code` is one of PAYMENT_ERROR_CODES. `extra` is spread into the
 * problem+json body, so it never names the body's own fields: the payment's state is `paymentStatus`,
 * never `status` (which would replace the HTTP status and turn the refusal into a 500).
 */
export class PaymentRuleError extends DomainError {
  declare readonly code: PaymentErrorCode;

  constructor(code: PaymentErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, STATUS[code], extra);
  }
}

/**
 * Refuses anything but a positive integer number of minor units in a known currency, with the payment
 * code `invalid_amount` (the money library's own InvalidMoneyError is translated so the caller sees
 * one code). Returns a frozen copy, so a caller's object is never kept or frozen.
 */
export function requirePositiveAmount(amount: Money, what = 'amount'): Money {
  try {
    assertMoney(amount);
  } catch (error) {
    if (error instanceof MoneyError) {
      throw new PaymentRuleError('invalid_amount', `${what} is not valid money: ${error.message}`);
    }
    throw error;
  }
  if (amount.amountMinor <= 0) {
    throw new PaymentRuleError(
      'invalid_amount',
      `${what} must be a positive number of minor units, got ${amount.amountMinor}.`,
    );
  }
  return money(amount.amountMinor, amount.currency);
}

/** PAY-4: a capture or refund is in the currency of its authorisation, never another. */
export function requireSameCurrency(expected: Money, actual: Money, what = 'amount'): void {
  if (expected.currency !== actual.currency) {
    throw new PaymentRuleError(
      'currency_mismatch',
      `${what} is in ${actual.currency} but the payment is in ${expected.currency} (PAY-4).`,
      { expected: expected.currency, actual: actual.currency },
    );
  }
}

/** A non-empty string field (ids, tokens, idempotency keys). */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PaymentRuleError('invalid_payment_request', `${field} must be a non-empty string.`, { field });
  }
  return value;
}
