import type { Money } from '@ticketry/money';

/**
 * The port billing uses to move money through a third-party payment processor (PAY-1: the platform
 * collects as the organizer's payment-collection agent *through* processors). Adapters: the sandbox
 * (sandbox-provider.ts, the default outside production, api.md "payments in dev") and, later, real
 * processors. Nothing here knows Nest or TypeORM.
 *
 * Flow: `authorize` reserves the buyer's money (ORD-1: an order is processed once payment is
 * authorised), then exactly one of `capture` (take it) or `void` (release it); after a capture,
 * `refund` returns captured money, possibly in several parts.
 *
 * Idempotency (engineering.md convention 5): every call carries a client-chosen `idempotencyKey`.
 * The same key with the same request returns the same result, without a second effect; the same key
 * with a different request (another amount, token, operation …) is refused with
 * `idempotency_key_reused`. A transient `provider_unavailable` answer is not remembered under the key,
 * so the caller retries with the *same* key and gets the first real outcome exactly once.
 *
 * Three kinds of answer:
 * - `succeeded`: the effect happened (or had happened, on a replay);
 * - `declined` (authorize only): a final, typed refusal by the card network or wallet; retrying the
 *   same token will not help, and a replay returns the same decline;
 * - `unavailable`: transient, nothing is known to have happened; retry with the same key.
 * Requests that break a money rule (over-capture, over-refund, void after capture, wrong currency,
 * non-positive amount, unknown providerRef, key reuse) are programming or request errors, not provider
 * outcomes: they throw a PaymentRuleError (payment-errors.ts) with a stable code and have no effect.
 */

/** ORD-4: `card` is the standard method; the others are "alternative" and cost the organizer a fee. */
export const PAYMENT_METHODS = ['card', 'swish', 'mobilepay', 'paypal', 'klarna'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export function isPaymentMethod(value: unknown): value is PaymentMethod {
  return typeof value === 'string' && (PAYMENT_METHODS as readonly string[]).includes(value);
}

/**
 * ORD-4: Swish, MobilePay, PayPal and Klarna are alternative methods whose extra fee is charged to the
 * organizer and may not be passed to the consumer (nor is it refunded, PAY-13). Orders computes the
 * fee; this only says which methods carry it.
 */
export function isAlternativePaymentMethod(method: PaymentMethod): boolean {
  return method !== 'card';
}

/** Final refusals of an authorisation, as the provider reports them (api.md "payments in dev"). */
export const DECLINE_CODES = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'invalid_token',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

/** Transient failures: nothing is known to have happened; retry with the same idempotency key. */
export type TransientErrorCode = 'provider_unavailable';

/** The state of the payment at the provider after the call. */
export type ProviderStatus =
  'authorized' | 'declined' | 'captured' | 'voided' | 'partially_refunded' | 'refunded';

export interface AuthorizeRequest {
  /** Billing's own payment id; the provider derives its reference from it. */
  paymentId: string;
  amount: Money;
  method: PaymentMethod;
  /** A payment token from the client (or a saved payment method's token). */
  token: string;
  idempotencyKey: string;
}

export interface CaptureRequest {
  providerRef: string;
  /** At most the authorised amount, same currency; see the adapter for partial captures. */
  amount: Money;
  idempotencyKey: string;
}

export interface VoidRequest {
  providerRef: string;
  idempotencyKey: string;
}

export interface RefundRequest {
  providerRef: string;
  /** Together with earlier refunds, at most the captured amount; same currency. */
  amount: Money;
  idempotencyKey: string;
}

export interface ProviderSucceeded<S extends ProviderStatus> {
  outcome: 'succeeded';
  /** The provider's reference of the payment (the authorisation), the same for every later call. */
  providerRef: string;
  status: S;
  /** The amount this call moved: authorised, captured, released by the void, or refunded. */
  amount: Money;
}

export interface ProviderDeclined {
  outcome: 'declined';
  /** Declined attempts get a reference too, so support can find them at the provider. */
  providerRef: string;
  status: 'declined';
  code: DeclineCode;
  retryable: false;
}

export interface ProviderUnavailable {
  outcome: 'unavailable';
  code: TransientErrorCode;
  retryable: true;
}

export type AuthorizeResult = ProviderSucceeded<'authorized'> | ProviderDeclined | ProviderUnavailable;
export type CaptureResult = ProviderSucceeded<'captured'> | ProviderUnavailable;
export type VoidResult = ProviderSucceeded<'voided'> | ProviderUnavailable;
export type RefundResult =
  | (ProviderSucceeded<'partially_refunded' | 'refunded'> & {
      /** The provider's reference of this refund (a payment can have several). */
      refundRef: string;
    })
  | ProviderUnavailable;

export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  capture(request: CaptureRequest): Promise<CaptureResult>;
  void(request: VoidRequest): Promise<VoidResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** Injection token for the port, for the later Nest module (a plain symbol, no Nest import here). */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
