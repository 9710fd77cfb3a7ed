import { add, subtract, zero } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { PaymentRuleError, requirePositiveAmount, requireSameCurrency, requireText } from './payment-errors';
import { isPaymentMethod } from './payment-provider';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CaptureRequest,
  CaptureResult,
  DeclineCode,
  PaymentProvider,
  ProviderUnavailable,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from './payment-provider';
import { InMemorySandboxStore } from './sandbox-store';
import type { SandboxPaymentRecord, SandboxStore, SandboxStoreSession } from './sandbox-store';

export type { SandboxPaymentRecord } from './sandbox-store';

/**
 * The sandbox payment provider: the provider the API contract names for every environment but
 * production (api.md Conventions, "payments in dev"). It is a real adapter of the PaymentProvider
 * port, not a test double: the dev platform and the end-to-end tests pay through it.
 *
 * Tokens (api.md): `tok_visa` succeeds; `tok_declined` → `card_declined`; `tok_insufficient_funds` →
 * `insufficient_funds`; `tok_expired` → `expired_card`; any other token → `invalid_token`. Tokens are
 * reusable and the answer depends on the token only (not on the method, amount or payment), so "a
 * saved payment method keeps behaving as its token says": a subscription that saved `tok_visa` renews
 * successfully every month, one that saved `tok_insufficient_funds` keeps failing.
 *
 * Money rules, enforced here as a real processor would (and checked again by the Payment aggregate
 * before a call, so billing never relies on the provider to catch its mistakes):
 * - amounts are positive integers of minor units in a known currency (`invalid_amount`);
 * - captures and refunds are in the authorisation's currency (`currency_mismatch`, PAY-4);
 * - **one capture per authorisation**, of at most the authorised amount (`capture_exceeds_authorized`).
 *   A capture below the authorised amount is allowed (a *partial capture*: an order that could not
 *   deliver every ticket takes less) and releases the rest; there is no second capture
 *   (`payment_not_capturable`). Decision: one capture keeps "void only before capture" unambiguous
 *   and matches how billing charges (an order is captured once; a subscription charge is one capture).
 * - void only while authorised and uncaptured (`payment_not_voidable`);
 * - refunds may be partial and repeated, but their total never exceeds the captured amount
 *   (`refund_exceeds_captured`); nothing to refund before a capture (`payment_not_refundable`).
 *
 * Deterministic references: the payment's providerRef is `sbx_<paymentId>` and its n-th refund is
 * `sbx_<paymentId>_refund_<n>`, so a retried authorisation (same payment id) lands on the same
 * reference. One payment id has one authorisation: a second `authorize` for the same payment id
 * under another idempotency key is refused (`payment_already_authorized`); after a decline, billing
 * starts a new payment.
 *
 * Idempotency: results are remembered per key together with a fingerprint of the request (the
 * operation and every field). Same key + same fingerprint → the remembered result, even if the
 * payment has moved on since (a replayed capture after a refund still answers "captured"). Same key +
 * another fingerprint → `idempotency_key_reused`. Refused requests (PaymentRuleError) and transient
 * `provider_unavailable` answers are not remembered: nothing happened, so the key stays free.
 *
 * Outages for testing retries: `simulateUnavailable(n)` makes the next n calls answer
 * `provider_unavailable` without any effect.
 *
 * State lives in a SandboxStore (sandbox-store.ts): in memory by default, in billing's schema when
 * the service runs, so a payment authorised before a restart can still be captured after it, as at
 * a real processor. Every call runs in one exclusive section of the store, locked on its idempotency
 * key and its payment, so concurrent calls never both take effect.
 */

/** The sandbox's tokens and what each does (`null`: succeeds). Anything else → `invalid_token`. */
export const SANDBOX_TOKENS: Readonly<Record<string, DeclineCode | null>> = Object.freeze({
  tok_visa: null,
  tok_declined: 'card_declined',
  tok_insufficient_funds: 'insufficient_funds',
  tok_expired: 'expired_card',
});

/** The decline a token produces in the sandbox, or null if it authorises. */
export function sandboxTokenOutcome(token: string): DeclineCode | null {
  return Object.prototype.hasOwnProperty.call(SANDBOX_TOKENS, token)
    ? (SANDBOX_TOKENS[token] ?? null)
    : 'invalid_token';
}

export function sandboxProviderRef(paymentId: string): string {
  return `sbx_${paymentId}`;
}

const UNAVAILABLE: ProviderUnavailable = Object.freeze({
  outcome: 'unavailable',
  code: 'provider_unavailable',
  retryable: true,
});

export class SandboxPaymentProvider implements PaymentProvider {
  private unavailableCalls = 0;

  constructor(private readonly store: SandboxStore = new InMemorySandboxStore()) {}

  /** The next `calls` calls answer `provider_unavailable` and change nothing. */
  simulateUnavailable(calls = 1): void {
    if (!Number.isSafeInteger(calls) || calls < 0)
      throw new RangeError('calls must be a non-negative integer');
    this.unavailableCalls = calls;
  }

  /**
   * A copy of the sandbox's record of a payment, or undefined; for unit tests, which use the
   * in-memory store. `lookup` reads any store.
   */
  inspect(providerRef: string): SandboxPaymentRecord | undefined {
    if (!(this.store instanceof InMemorySandboxStore)) {
      throw new Error('inspect() reads the in-memory store only; use lookup()');
    }
    return this.store.peek(providerRef);
  }

  lookup(providerRef: string): Promise<SandboxPaymentRecord | undefined> {
    return this.store.find(providerRef);
  }

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const paymentId = requireText(request?.paymentId, 'paymentId');
    const token = requireText(request.token, 'token');
    const idempotencyKey = requireText(request.idempotencyKey, 'idempotencyKey');
    const amount = requirePositiveAmount(request.amount);
    if (!isPaymentMethod(request.method)) {
      throw new PaymentRuleError(
        'invalid_payment_request',
        `Unknown payment method ${String(request.method)}.`,
        {
          field: 'method',
        },
      );
    }
    const method = request.method;
    const fingerprint = fingerprintOf('authorize', paymentId, amount, method, token);

    const providerRef = sandboxProviderRef(paymentId);
    return this.once<AuthorizeResult>(idempotencyKey, fingerprint, providerRef, async (session) => {
      const existing = await session.payment(providerRef);
      if (existing) {
        throw new PaymentRuleError(
          'payment_already_authorized',
          `Payment ${paymentId} already has an authorisation (${existing.status}); start a new payment.`,
          { providerRef },
        );
      }
      const decline = sandboxTokenOutcome(token);
      const currency = amount.currency;
      await session.savePayment({
        providerRef,
        paymentId,
        method,
        status: decline ? 'declined' : 'authorized',
        authorized: decline ? zero(currency) : amount,
        captured: zero(currency),
        refunded: zero(currency),
        refunds: 0,
      });
      return decline
        ? { outcome: 'declined', providerRef, status: 'declined', code: decline, retryable: false }
        : { outcome: 'succeeded', providerRef, status: 'authorized', amount };
    });
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    const providerRef = requireText(request?.providerRef, 'providerRef');
    const idempotencyKey = requireText(request.idempotencyKey, 'idempotencyKey');
    const amount = requirePositiveAmount(request.amount);
    const fingerprint = fingerprintOf('capture', providerRef, amount);

    return this.once<CaptureResult>(idempotencyKey, fingerprint, providerRef, async (session) => {
      const payment = await this.find(session, providerRef);
      if (payment.status !== 'authorized') {
        throw new PaymentRuleError(
          'payment_not_capturable',
          `Payment ${providerRef} is ${payment.status}; only an authorised, uncaptured payment can be captured (once).`,
          { paymentStatus: payment.status },
        );
      }
      requireSameCurrency(payment.authorized, amount);
      if (amount.amountMinor > payment.authorized.amountMinor) {
        throw new PaymentRuleError(
          'capture_exceeds_authorized',
          `Cannot capture ${amount.amountMinor} of ${payment.authorized.amountMinor} authorised.`,
          { authorizedMinor: payment.authorized.amountMinor, requestedMinor: amount.amountMinor },
        );
      }
      await session.savePayment({ ...payment, status: 'captured', captured: amount });
      return { outcome: 'succeeded', providerRef, status: 'captured', amount };
    });
  }

  async void(request: VoidRequest): Promise<VoidResult> {
    const providerRef = requireText(request?.providerRef, 'providerRef');
    const idempotencyKey = requireText(request.idempotencyKey, 'idempotencyKey');
    const fingerprint = fingerprintOf('void', providerRef);

    return this.once<VoidResult>(idempotencyKey, fingerprint, providerRef, async (session) => {
      const payment = await this.find(session, providerRef);
      if (payment.status !== 'authorized') {
        throw new PaymentRuleError(
          'payment_not_voidable',
          `Payment ${providerRef} is ${payment.status}; only an authorised, uncaptured payment can be voided.`,
          { paymentStatus: payment.status },
        );
      }
      await session.savePayment({ ...payment, status: 'voided' });
      return { outcome: 'succeeded', providerRef, status: 'voided', amount: payment.authorized };
    });
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const providerRef = requireText(request?.providerRef, 'providerRef');
    const idempotencyKey = requireText(request.idempotencyKey, 'idempotencyKey');
    const amount = requirePositiveAmount(request.amount);
    const fingerprint = fingerprintOf('refund', providerRef, amount);

    return this.once<RefundResult>(idempotencyKey, fingerprint, providerRef, async (session) => {
      const payment = await this.find(session, providerRef);
      if (payment.status !== 'captured' && payment.status !== 'partially_refunded') {
        throw new PaymentRuleError(
          'payment_not_refundable',
          `Payment ${providerRef} is ${payment.status}; only captured money can be refunded.`,
          { paymentStatus: payment.status },
        );
      }
      requireSameCurrency(payment.captured, amount);
      const refundable = subtract(payment.captured, payment.refunded);
      if (amount.amountMinor > refundable.amountMinor) {
        throw new PaymentRuleError(
          'refund_exceeds_captured',
          `Cannot refund ${amount.amountMinor}: ${refundable.amountMinor} of ${payment.captured.amountMinor} captured is left.`,
          { refundableMinor: refundable.amountMinor, requestedMinor: amount.amountMinor },
        );
      }
      const refunded = add(payment.refunded, amount);
      const refunds = payment.refunds + 1;
      const status =
        refunded.amountMinor === payment.captured.amountMinor ? 'refunded' : 'partially_refunded';
      await session.savePayment({ ...payment, refunded, refunds, status });
      return {
        outcome: 'succeeded',
        providerRef,
        refundRef: `${providerRef}_refund_${refunds}`,
        status,
        amount,
      };
    });
  }

  private async find(session: SandboxStoreSession, providerRef: string): Promise<SandboxPaymentRecord> {
    const payment = await session.payment(providerRef);
    if (!payment) {
      throw new PaymentRuleError('unknown_provider_ref', `The sandbox has no payment ${providerRef}.`, {
        providerRef,
      });
    }
    return payment;
  }

  /**
   * Runs `effect` at most once per idempotency key, locked on the key and the payment. An outage
   * answers before anything else (as a real processor that cannot be reached); a refusal thrown by
   * `effect` leaves no trace.
   */
  private async once<R>(
    idempotencyKey: string,
    fingerprint: string,
    providerRef: string,
    effect: (session: SandboxStoreSession) => Promise<R>,
  ): Promise<R | ProviderUnavailable> {
    if (this.unavailableCalls > 0) {
      this.unavailableCalls -= 1;
      return UNAVAILABLE;
    }
    const locks = [`key:${idempotencyKey}`, `payment:${providerRef}`];
    return this.store.exclusive(locks, async (session) => {
      const remembered = await session.remembered(idempotencyKey);
      if (remembered) {
        if (remembered.fingerprint !== fingerprint) {
          throw new PaymentRuleError(
            'idempotency_key_reused',
            `Idempotency key ${idempotencyKey} was used for a different request.`,
            { idempotencyKey },
          );
        }
        return deepFreeze(remembered.result as R);
      }
      const result = deepFreeze(await effect(session));
      await session.remember(idempotencyKey, { fingerprint, result });
      return result;
    });
  }
}

function fingerprintOf(operation: string, ...parts: Array<string | Money>): string {
  return JSON.stringify([
    operation,
    ...parts.map((part) => (typeof part === 'string' ? part : [part.amountMinor, part.currency])),
  ]);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
