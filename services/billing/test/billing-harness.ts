/**
 * What billing's integration tests share: billing started exactly as main.ts does, against real
 * Postgres and Kafka, with a stand-in for identity's JWKS (TestIssuer) so tests can mint the
 * service, buyer, support and admin tokens they need; orders' events produced onto the real topic
 * with the headers the outbox relay writes; and billing's own events recorded from its topic.
 *
 * Each test file's billing gets a schema of its own (owned by the billing role, dropped at the
 * end). Other test files and the end-to-end tests run billing at the same time, and the outbox
 * relay of any instance on a schema sends every row of that schema under its own topic prefix, so
 * on the shared `billing` schema a test's events could land on another test's topics (and the
 * retry job would pick up other tests' payments).
 */
import { randomUUID } from 'node:crypto';
import { TestIssuer } from '@ticketry/auth/testing';
import {
  create,
  DescMessage,
  fromBinary,
  MessageShape,
  orderEvents,
  paymentEvents,
  toBinary,
} from '@ticketry/contracts';
import { EVENT_HEADERS, physicalTopic, PROTOBUF_CONTENT_TYPE } from '@ticketry/messaging';
import {
  apiClient,
  ApiResponse,
  currentInfra,
  newTopicPrefix,
  RunningService,
  startService,
  testKafka,
  TopicRecorder,
  uniqueEmail,
} from '@ticketry/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { BillingConfig } from '../src/config';
import { PAYMENT_PROVIDER } from '../src/payments/payment-provider';
import { SandboxPaymentProvider } from '../src/payments/sandbox-provider';
import { billingService } from '../src/service';

export type Json = Record<string, unknown>;

export interface PaymentRequest {
  orderId: string;
  amountMinor: number;
  currency: string;
  method: string;
  paymentToken: string;
  buyer: { email: string; identityId?: string };
}

/** A payment request of orders' shape: a new order, SEK 230.00 by card with tok_visa. */
export function aPaymentRequest(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    orderId: randomUUID(),
    amountMinor: 23000,
    currency: 'SEK',
    method: 'card',
    paymentToken: 'tok_visa',
    buyer: { email: uniqueEmail('buyer'), identityId: randomUUID() },
    ...overrides,
  };
}

export interface AttemptRow {
  kind: string;
  outcome: string;
  amount_minor: string;
  currency: string;
  code: string | null;
  idempotency_key: string;
}

export class BillingHarness {
  billing!: RunningService<BillingConfig>;
  issuer!: TestIssuer;
  recorder!: TopicRecorder;
  readonly topicPrefix = newTopicPrefix();
  readonly schema = `billing_${this.topicPrefix.replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
  private producer: Producer | undefined;
  readonly call = apiClient(() => this.billing.url);

  async start(): Promise<void> {
    await this.admin(`CREATE SCHEMA "${this.schema}" AUTHORIZATION billing`);
    this.issuer = await TestIssuer.start();
    this.issuer.addKey();
    await this.startBilling();
    this.recorder = new TopicRecorder(testKafka());
    await this.recorder.start([physicalTopic(this.topicPrefix, 'billing.payment.v1')]);
  }

  /** Starts billing (again, after `stopBilling`: same topics, same consumer group, same database). */
  async startBilling(): Promise<void> {
    this.billing = await startService(billingService, {
      topicPrefix: this.topicPrefix,
      env: { JWKS_URL: this.issuer.jwksUrl, DATABASE_SCHEMA: this.schema },
    });
  }

  async stopBilling(): Promise<void> {
    await this.billing.stop();
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.recorder?.stop();
    await this.billing?.stop();
    await this.issuer?.close();
    await this.admin(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: currentInfra().adminDatabaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /** A table of this billing's schema, for the assertions on rows. */
  table(name: string): string {
    return `"${this.schema}".${name}`;
  }

  get sandbox(): SandboxPaymentProvider {
    return this.billing.app.get<SandboxPaymentProvider>(PAYMENT_PROVIDER);
  }

  /** Orders' client-credentials token (platform role `service`). */
  serviceToken(): Promise<string> {
    return this.issuer.sign({ sub: 'orders', client_id: 'orders', roles: ['service'], orgs: [] });
  }

  /** The refunds service's client-credentials token (platform role `service`), which asks for refunds. */
  refundsServiceToken(): Promise<string> {
    return this.issuer.sign({ sub: 'refunds', client_id: 'refunds', roles: ['service'], orgs: [] });
  }

  personToken(identityId: string = randomUUID(), roles: string[] = ['consumer']): Promise<string> {
    return this.issuer.sign({ sub: identityId, roles, orgs: [] });
  }

  async authorize(
    body: PaymentRequest,
    idempotencyKey: string | null = `order-${body.orderId}`,
  ): Promise<ApiResponse<Json>> {
    const headers: Record<string, string> =
      idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey };
    return this.call('POST', '/v1/payments', body, await this.serviceToken(), headers);
  }

  /** POST /v1/payments/{id}/refunds, as the refunds service unless another token is given. */
  async refund(
    paymentId: string,
    body: unknown,
    idempotencyKey: string | null = randomUUID(),
    token?: string,
  ): Promise<ApiResponse<Json>> {
    const headers: Record<string, string> =
      idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey };
    return this.call(
      'POST',
      `/v1/payments/${paymentId}/refunds`,
      body,
      token ?? (await this.refundsServiceToken()),
      headers,
    );
  }

  async asAdmin(method: string, path: string, body?: unknown): Promise<ApiResponse<Json>> {
    return this.call(method, path, body, await this.personToken(randomUUID(), ['platform_admin']));
  }

  /** The payment as support sees it (every attempt). */
  async view(paymentId: string): Promise<Json & { status: string; attempts: Json[] }> {
    const response = await this.call<Json & { status: string; attempts: Json[] }>(
      'GET',
      `/v1/payments/${paymentId}`,
      undefined,
      await this.personToken(randomUUID(), ['support']),
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  async paymentsOfOrder(orderId: string): Promise<{ id: string; status: string }[]> {
    return this.billing.dataSource.query(
      `SELECT id, status FROM ${this.table('payments')} WHERE order_id = $1`,
      [orderId],
    );
  }

  async attempts(paymentId: string): Promise<AttemptRow[]> {
    return this.billing.dataSource.query(
      `SELECT kind, outcome, amount_minor, currency, code, idempotency_key FROM ${this.table('payment_attempts')}
        WHERE payment_id = $1 ORDER BY seq`,
      [paymentId],
    );
  }

  /** Billing's events about one payment, decoded, in order. */
  eventsOf(paymentId: string): { type: string; headers: Record<string, string>; value: Buffer }[] {
    return this.recorder.messages
      .filter((m) => m.key === paymentId)
      .map((m) => ({
        type: m.headers[EVENT_HEADERS.eventType] ?? '',
        headers: m.headers,
        value: m.value ?? Buffer.alloc(0),
      }));
  }

  decode<D extends DescMessage>(schema: D, value: Buffer): MessageShape<D> {
    return fromBinary(schema, value);
  }

  /** Produces an orders.order.v1 event exactly as orders' outbox relay would. Returns its event id. */
  async produceOrderEvent<D extends DescMessage>(
    schema: D,
    message: MessageShape<D>,
    orderId: string,
    eventId: string = randomUUID(),
  ): Promise<string> {
    if (!this.producer) {
      this.producer = testKafka().producer({ allowAutoTopicCreation: true });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: physicalTopic(this.topicPrefix, 'orders.order.v1'),
      messages: [
        {
          key: orderId,
          value: Buffer.from(toBinary(schema, message)),
          headers: {
            [EVENT_HEADERS.eventType]: schema.typeName,
            [EVENT_HEADERS.eventId]: eventId,
            [EVENT_HEADERS.occurredAt]: new Date().toISOString(),
            [EVENT_HEADERS.correlationId]: eventId,
            [EVENT_HEADERS.contentType]: PROTOBUF_CONTENT_TYPE,
          },
        },
      ],
    });
    return eventId;
  }

  orderConfirmed(request: PaymentRequest, paymentId: string, eventId?: string): Promise<string> {
    const message = create(orderEvents.OrderConfirmedSchema, {
      orderId: request.orderId,
      confirmationNumber: `T-${request.orderId.slice(0, 8)}`,
      eventId: randomUUID(),
      organizationId: randomUUID(),
      market: 'se',
      buyer: { email: request.buyer.email, firstName: 'Ada', lastName: 'Buyer' },
      totalMinor: BigInt(request.amountMinor),
      currency: request.currency,
      paymentId,
      paymentMethod: request.method,
      legalEntity: 'Ticketry AB',
    });
    return this.produceOrderEvent(orderEvents.OrderConfirmedSchema, message, request.orderId, eventId);
  }

  orderCancelled(request: PaymentRequest, paymentId: string, eventId?: string): Promise<string> {
    const message = create(orderEvents.OrderCancelledSchema, {
      orderId: request.orderId,
      eventId: randomUUID(),
      paymentId,
      reason: 'hold_expired',
    });
    return this.produceOrderEvent(orderEvents.OrderCancelledSchema, message, request.orderId, eventId);
  }

  /** Rows this billing parked in its dead-letter table for one order's events. */
  async deadLetters(orderId: string): Promise<{ event_type: string; error: string }[]> {
    return this.billing.dataSource.query(
      `SELECT event_type, error FROM ${this.table('dead_letters')} WHERE direction = 'inbound' AND key = $1`,
      [orderId],
    );
  }
}

export const EVENT_TYPES = {
  authorized: paymentEvents.PaymentAuthorizedSchema.typeName,
  failed: paymentEvents.PaymentFailedSchema.typeName,
  captured: paymentEvents.PaymentCapturedSchema.typeName,
  voided: paymentEvents.PaymentVoidedSchema.typeName,
  refunded: paymentEvents.PaymentRefundedSchema.typeName,
};

/** Starts the harness before the file's tests and stops it after them. */
export function billingUnderTest(): BillingHarness {
  const harness = new BillingHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  return harness;
}
