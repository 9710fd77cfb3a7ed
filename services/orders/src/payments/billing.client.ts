import { Inject, Injectable, Logger } from '@nestjs/common';
import { ServiceTokenProvider } from '@ticketry/auth';
import { CONFIG, currentCorrelationId } from '@ticketry/platform';
import { OrdersConfig } from '../config';

export interface AuthorizeCommand {
  orderId: string;
  amountMinor: number;
  currency: string;
  method: string;
  paymentToken: string;
  buyer: { email: string; identityId?: string };
}

/** The authorisation request for an order, the same on every attempt (billing keys it by order). */
export function authorizeCommandFor(order: {
  id: string;
  total_minor: string;
  currency: string;
  payment_method: string;
  payment_token: string | null;
  buyer_email: string;
  buyer_identity_id: string | null;
}): AuthorizeCommand {
  return {
    orderId: order.id,
    amountMinor: Number(order.total_minor),
    currency: order.currency,
    method: order.payment_method,
    paymentToken: order.payment_token ?? '',
    buyer: {
      email: order.buyer_email,
      ...(order.buyer_identity_id ? { identityId: order.buyer_identity_id } : {}),
    },
  };
}

/** What the checkout learns from billing: a final answer, or nothing known yet. */
export type AuthorizeOutcome =
  | { kind: 'authorized'; paymentId: string }
  | { kind: 'failed'; paymentId: string; declineCode: string }
  | { kind: 'unknown'; reason: string };

interface PaymentAnswer {
  paymentId: string;
  status: string;
  declineCode?: string | null;
}

function isPaymentAnswer(value: unknown): value is PaymentAnswer {
  const v = value as Partial<PaymentAnswer> | null;
  return typeof v?.paymentId === 'string' && typeof v.status === 'string';
}

/**
 * Orders' side of the checkout saga's first step (ORD-1: an order is processed once payment is
 * authorised). Billing keeps one payment per order, so the call is safe to repeat: a retry after a
 * timeout gets the first answer, never a second authorisation. Anything short of a clear answer is
 * `unknown`: the order stays pending, billing's PaymentAuthorized/PaymentFailed event or the retry
 * job settles it, and an expired hold voids whatever was authorised.
 */
@Injectable()
export class BillingClient {
  private readonly logger = new Logger(BillingClient.name);

  constructor(
    @Inject(CONFIG) private readonly config: OrdersConfig,
    private readonly tokens: ServiceTokenProvider,
  ) {}

  async authorize(command: AuthorizeCommand): Promise<AuthorizeOutcome> {
    let response: Response;
    try {
      const authorization = await this.tokens.authorizationHeader();
      response = await fetch(`${this.config.BILLING_URL}/v1/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization,
          'idempotency-key': `order-${command.orderId}`,
          'x-correlation-id': currentCorrelationId() ?? command.orderId,
        },
        body: JSON.stringify(command),
        signal: AbortSignal.timeout(this.config.PAYMENT_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ orderId: command.orderId, reason }, 'billing not reached; the order stays pending');
      return { kind: 'unknown', reason };
    }
    if (response.status === 401) this.tokens.invalidate();
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 201 || response.status === 200) {
      if (isPaymentAnswer(body)) {
        if (body.status === 'authorized') return { kind: 'authorized', paymentId: body.paymentId };
        if (body.status === 'failed') {
          return {
            kind: 'failed',
            paymentId: body.paymentId,
            declineCode: body.declineCode ?? 'card_declined',
          };
        }
      }
      return { kind: 'unknown', reason: `billing answered ${JSON.stringify(body)}` };
    }
    this.logger.warn(
      { orderId: command.orderId, status: response.status, body },
      'billing gave no answer; the order stays pending',
    );
    return { kind: 'unknown', reason: `billing answered ${response.status}` };
  }
}
