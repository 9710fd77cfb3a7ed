import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@ticketry/auth';
import { create, paymentEvents, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { isCurrency, money } from '@ticketry/money';
import {
  AppError,
  canonicalJson,
  CLOCK,
  Clock,
  CONFIG,
  ConflictError,
  NotFoundError,
  ValidationFailedError,
} from '@ticketry/platform';
import { DataSource, EntityManager } from 'typeorm';
import { BillingConfig } from '../config';
import {
  assertCanCapture,
  assertCanVoid,
  assertCanRefund,
  newPayment,
  Payment,
  PaymentAttempt,
  PaymentStatus,
  paymentTotals,
  recordAuthorization,
  recordCapture,
  recordRefund,
  recordVoid,
} from './payment';
import { PaymentAttemptEntity, PaymentEntity } from './payment.entity';
import {
  DECLINE_CODES,
  DeclineCode,
  PAYMENT_PROVIDER,
  PaymentMethod,
  PaymentProvider,
  TransientErrorCode,
} from './payment-provider';
import {
  assertSettlementAllowed,
  decideOnOrderOutcome,
  nextProviderStep,
  OrderOutcome,
  pendingRetryCutoff,
  ProviderStep,
  requestedActionAfterAuthorization,
  SettlementConflictCode,
  SettlementState,
} from './settlement';

export interface AuthorizePaymentInput {
  orderId: string;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  paymentToken: string;
  buyer: { email: string; identityId?: string };
}

/** The answer of `POST /v1/payments` (the contract with orders). */
export interface PaymentAnswer {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  declineCode: string | null;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  providerRef: string | null;
}

export interface PaymentAttemptView {
  kind: string;
  outcome: string;
  amountMinor: number;
  currency: string;
  code: string | null;
  providerRef: string | null;
  refundRef: string | null;
  at: string;
}

/** `GET /v1/payments/{id}`. */
export interface PaymentView {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  providerRef: string | null;
  declineCode: string | null;
  createdAt: string;
  attempts: PaymentAttemptView[];
}

export interface RefundPaymentInput {
  amountMinor: number;
  reason: string;
}

/** The answer of `POST /v1/payments/{id}/refunds`: this refund and where the payment stands after it. */
export interface RefundAnswer {
  paymentId: string;
  refundRef: string;
  amountMinor: number;
  currency: string;
  status: 'partially_refunded' | 'refunded';
  /** Every refund of the payment up to and including this one. */
  refundedMinor: number;
  /** Captured and not yet refunded, after this refund. */
  refundableMinor: number;
}

/** What one run of the retry job did (`POST /v1/admin/payments/run`). */
export interface RetryRunResult {
  captured: number;
  voided: number;
  authorized: number;
  failed: number;
}

export interface OrderOutcomeNotice {
  orderId: string;
  paymentId: string;
  outcome: OrderOutcome;
  /** From OrderConfirmed: what orders believes the payment is for; checked against the authorisation. */
  total?: { amountMinor: number; currency: string };
}

/** How billing took an order's outcome (the consumer parks a conflict for a person). */
export type OrderOutcomeResult =
  | { kind: 'applied'; step: StepOutcome | null }
  | {
      kind: 'conflict';
      code: SettlementConflictCode | 'unknown_payment' | 'amount_mismatch';
      message: string;
    };

type StepOutcome = 'authorized' | 'failed' | 'captured' | 'voided' | 'unavailable';

interface StoredPayment {
  row: PaymentEntity;
  payment: Payment;
}

/** Retried payments per run; the next run (30 s later) takes the rest. */
const RETRY_BATCH = 200;

/**
 * The provider's idempotency key of each call, derived from the payment id, so every retry of the
 * same call (a repeated checkout request, the retry job, a redelivered event, another pod) reaches
 * the provider under the same key and takes effect once (engineering.md convention 5).
 */
export function providerIdempotencyKey(paymentId: string, step: ProviderStep): string {
  return `billing-${paymentId}-${step}`;
}

/**
 * The provider's idempotency key of a refund, derived from the API request's Idempotency-Key (hashed:
 * the caller's key is up to 255 characters of its own choosing), so a retried request, after a
 * provider outage or a crash between the provider's answer and billing's commit, reaches the provider
 * under the same key and refunds once.
 */
export function refundProviderKey(paymentId: string, requestKey: string): string {
  const digest = createHash('sha256').update(requestKey).digest('hex').slice(0, 32);
  return `billing-${paymentId}-refund-${digest}`;
}

function refundRequestHash(input: RefundPaymentInput): string {
  return createHash('sha256')
    .update(canonicalJson({ amountMinor: input.amountMinor, reason: input.reason }))
    .digest('hex');
}

/** The answer a refund attempt gave, from the payment's attempts as they stood right after it. */
function refundAnswerOf(payment: Payment, attemptIndex: number): RefundAnswer {
  const attempt = payment.attempts[attemptIndex];
  if (attempt?.kind !== 'refund' || attempt.outcome !== 'succeeded' || attempt.refundRef === undefined) {
    throw new Error(`Attempt ${attemptIndex} of payment ${payment.paymentId} is not a succeeded refund`);
  }
  const { refunded, refundable } = paymentTotals({
    ...payment,
    attempts: payment.attempts.slice(0, attemptIndex + 1),
  });
  return {
    paymentId: payment.paymentId,
    refundRef: attempt.refundRef,
    amountMinor: attempt.amount.amountMinor,
    currency: attempt.amount.currency,
    status: refundable.amountMinor === 0 ? 'refunded' : 'partially_refunded',
    refundedMinor: refunded.amountMinor,
    refundableMinor: refundable.amountMinor,
  };
}

function isDeclineCode(value: string | null): value is DeclineCode {
  return value !== null && (DECLINE_CODES as readonly string[]).includes(value);
}

function attemptCode(value: string | null): DeclineCode | TransientErrorCode | null {
  if (value === null || value === 'provider_unavailable' || isDeclineCode(value)) return value;
  throw new Error(`Unknown payment attempt code ${value}`);
}

function toPayment(row: PaymentEntity, attempts: PaymentAttemptEntity[]): Payment {
  return {
    paymentId: row.id,
    method: row.method,
    amount: money(row.amountMinor, row.currency),
    status: row.status,
    providerRef: row.providerRef,
    declineCode: isDeclineCode(row.declineCode) ? row.declineCode : null,
    createdAt: row.createdAt,
    attempts: attempts.map((a): PaymentAttempt => ({
      kind: a.kind,
      outcome: a.outcome,
      amount: money(a.amountMinor, a.currency),
      providerRef: a.providerRef,
      ...(a.refundRef === null ? {} : { refundRef: a.refundRef }),
      code: attemptCode(a.code),
      idempotencyKey: a.idempotencyKey,
      at: a.at,
    })),
  };
}

/** What the provider call of `step` came to, read from the attempt it just recorded. */
function stepOutcome(step: ProviderStep, after: Payment): StepOutcome {
  const last = after.attempts[after.attempts.length - 1];
  if (last === undefined || last.outcome === 'unavailable') return 'unavailable';
  if (step === 'authorize') return after.status === 'authorized' ? 'authorized' : 'failed';
  return step === 'capture' ? 'captured' : 'voided';
}

function settlementState(row: PaymentEntity): SettlementState {
  return { status: row.status, orderOutcome: row.orderOutcome, requestedAction: row.requestedAction };
}

function answerOf(row: PaymentEntity): PaymentAnswer {
  return {
    paymentId: row.id,
    orderId: row.orderId,
    status: row.status,
    declineCode: row.declineCode,
    amountMinor: row.amountMinor,
    currency: row.currency,
    method: row.method,
    providerRef: row.providerRef,
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Payments for orders: authorise at checkout, capture or void when the order's outcome arrives,
 * and finish what an unavailable provider left undone. Each provider call happens while the
 * payment's row is locked (FOR UPDATE), and its outcome, attempt and integration event commit
 * together, so concurrent callers never call the provider twice for one step and no outcome is
 * published without being recorded (or the reverse).
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(CONFIG) private readonly config: BillingConfig,
  ) {}

  // ---- checkout: POST /v1/payments ---------------------------------------------------------------

  /**
   * ORD-1: orders confirms an order once its payment is authorised; this is that authorisation.
   * The payment is stored (pending) and committed before the provider is called (convention 5),
   * so a crash or an outage after the call leaves a record to retry under the same provider key.
   */
  async authorize(idempotencyKey: string, input: AuthorizePaymentInput): Promise<PaymentAnswer> {
    if (!isCurrency(input.currency)) {
      throw new ValidationFailedError([{ field: 'currency', message: 'currency is not supported' }]);
    }
    const paymentId = await this.createOrFind(idempotencyKey, input);
    const { row, outcomes } = await this.dataSource.transaction(async (manager) => {
      const stored = await this.lock(manager, paymentId, false);
      if (!stored) throw new Error(`Payment ${paymentId} vanished`);
      return this.drive(manager, stored);
    });
    if (outcomes.includes('unavailable') && row.status === 'pending') {
      throw new AppError(
        503,
        'payment_provider_unavailable',
        'The payment provider is unavailable; the payment stays pending. Retry the same request.',
        { paymentId },
      );
    }
    return answerOf(row);
  }

  /** One payment per order: a repeat finds the first; the same order with another request is refused. */
  private async createOrFind(idempotencyKey: string, input: AuthorizePaymentInput): Promise<string> {
    const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex');
    const now = this.clock.now();
    const candidate = newPayment({
      paymentId: randomUUID(),
      amount: money(input.amountMinor, input.currency),
      method: input.method,
      at: now,
    });
    const table = this.dataSource.getMetadata(PaymentEntity).tablePath;
    const inserted = (await this.dataSource.query(
      `INSERT INTO ${table} (id, order_id, method, amount_minor, currency, status, provider, provider_ref,
         decline_code, buyer_email, buyer_identity_id, payment_token, idempotency_key, request_hash,
         order_outcome, requested_action, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, NULL, NULL, $7, $8, $9, $10, $11, NULL, NULL, $12, $12)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [
        candidate.paymentId,
        input.orderId,
        candidate.method,
        candidate.amount.amountMinor,
        candidate.amount.currency,
        this.config.paymentProvider,
        input.buyer.email,
        input.buyer.identityId ?? null,
        input.paymentToken,
        idempotencyKey,
        requestHash,
        now,
      ],
    )) as { id: string }[];
    if (inserted.length > 0) return candidate.paymentId;
    const existing = await this.dataSource
      .getRepository(PaymentEntity)
      .findOne({ where: { orderId: input.orderId }, select: { id: true, requestHash: true } });
    if (!existing) throw new Error(`Payment for order ${input.orderId} neither inserted nor found`);
    if (existing.requestHash !== requestHash) {
      throw new ConflictError(
        'idempotency_key_reused',
        'This order already has a payment made with another request.',
      );
    }
    return existing.id;
  }

  // ---- the saga: OrderConfirmed / OrderCancelled -------------------------------------------------

  /**
   * Runs in the inbox transaction of the event: the outcome, what it obliges billing to do, the
   * provider call and its event commit with the inbox row, so a redelivered event does nothing.
   * A provider outage is not an error here: the obligation stays on the payment (requested_action)
   * for the retry job, and the event counts as handled.
   */
  async applyOrderOutcome(manager: EntityManager, notice: OrderOutcomeNotice): Promise<OrderOutcomeResult> {
    const stored = await this.lock(manager, notice.paymentId, false);
    if (!stored || !sameId(stored.row.orderId, notice.orderId)) {
      return {
        kind: 'conflict',
        code: 'unknown_payment',
        message: `Order ${notice.orderId} names payment ${notice.paymentId}, which billing does not hold for it.`,
      };
    }
    const { row } = stored;
    if (
      notice.total &&
      (notice.total.amountMinor !== row.amountMinor || notice.total.currency !== row.currency)
    ) {
      return {
        kind: 'conflict',
        code: 'amount_mismatch',
        message: `Order ${notice.orderId} totals ${notice.total.amountMinor} ${notice.total.currency} but its payment authorises ${row.amountMinor} ${row.currency}.`,
      };
    }
    const decision = decideOnOrderOutcome(settlementState(row), notice.outcome);
    if (decision.kind === 'conflict') return decision;
    if (decision.kind === 'record') {
      row.orderOutcome = decision.orderOutcome;
      row.requestedAction = decision.requestedAction;
      row.updatedAt = this.clock.now();
      await manager
        .getRepository(PaymentEntity)
        .update(
          { id: row.id },
          { orderOutcome: row.orderOutcome, requestedAction: row.requestedAction, updatedAt: row.updatedAt },
        );
    }
    // A pending payment waits for its authorisation to resolve (the POST retry or the job drives it).
    const step = nextProviderStep(settlementState(row));
    if (step !== 'capture' && step !== 'void') return { kind: 'applied', step: null };
    const result = await this.step(manager, stored, step);
    return { kind: 'applied', step: result.outcome };
  }

  // ---- refunds: POST /v1/payments/{id}/refunds ---------------------------------------------------

  /**
   * Returns captured money. The amount is the caller's (the refunds service leaves out the fees that
   * are never refunded, PAY-13); billing moves it and guarantees that the refunds together never
   * exceed the captured amount. The payment row is locked across the check, the provider call and
   * the record, so concurrent refunds of one payment are decided one after the other, each against
   * the refunds committed before it. The refund, its attempt and PaymentRefunded (for the ledger,
   * PAY-1) commit together; an outage records only the unavailable attempt and answers 503.
   */
  async refund(paymentId: string, requestKey: string, input: RefundPaymentInput): Promise<RefundAnswer> {
    const idempotencyKey = refundProviderKey(paymentId, requestKey);
    const requestHash = refundRequestHash(input);
    const result = await this.dataSource.transaction(async (manager) => {
      const stored = await this.lock(manager, paymentId, false);
      if (!stored) throw new NotFoundError('The payment', 'payment_not_found');
      const { row, payment } = stored;
      // The platform's interceptor replays a key per caller (token subject); billing keeps the key
      // per payment, so the same key from another caller (the refunds service, then support) answers
      // with the first refund instead of refunding again, and never with another body.
      const earlier = await manager
        .getRepository(PaymentAttemptEntity)
        .find({ where: { paymentId: row.id, kind: 'refund', idempotencyKey }, order: { seq: 'ASC' } });
      if (earlier.some((attempt) => attempt.requestHash !== requestHash)) {
        throw new ConflictError(
          'idempotency_key_reused',
          'This Idempotency-Key was used for another refund of this payment.',
        );
      }
      const done = earlier.find((attempt) => attempt.outcome === 'succeeded');
      if (done) return { kind: 'answered' as const, answer: refundAnswerOf(payment, done.seq - 1) };

      const amount = money(input.amountMinor, row.currency);
      assertCanRefund(payment, amount);
      const at = this.clock.now();
      const outcome = await this.provider.refund({
        providerRef: this.providerRefOf(payment),
        amount,
        idempotencyKey,
      });
      const next = recordRefund(payment, amount, outcome, { idempotencyKey, at });
      const updated = await this.save(
        manager,
        row,
        payment,
        next,
        { updatedAt: at },
        { requestHash, reason: input.reason },
      );
      if (outcome.outcome === 'unavailable') return { kind: 'unavailable' as const };
      const answer = refundAnswerOf(next, next.attempts.length - 1);
      await this.publishRefund(manager, updated, next, answer, input.reason, at);
      return { kind: 'answered' as const, answer };
    });
    if (result.kind === 'unavailable') {
      this.logger.warn({ paymentId }, 'payment provider unavailable for a refund; nothing refunded');
      throw new AppError(
        503,
        'payment_provider_unavailable',
        'The payment provider is unavailable; nothing was refunded. Retry the same request with the same Idempotency-Key.',
        { paymentId },
      );
    }
    return result.answer;
  }

  // ---- the retry job -----------------------------------------------------------------------------

  /**
   * Finishes what the provider could not do when asked: requested captures and voids, and pending
   * authorisations older than a minute (younger ones may still be in their POST). Each payment in
   * its own transaction, skipping rows another pod or request holds.
   */
  async retryDue(asOf: Date): Promise<RetryRunResult> {
    const cutoff = pendingRetryCutoff(asOf);
    const table = this.dataSource.getMetadata(PaymentEntity).tablePath;
    const due = (await this.dataSource.query(
      `SELECT id FROM ${table}
        WHERE (status = 'pending' AND created_at <= $1)
           OR (status = 'authorized' AND requested_action IS NOT NULL)
        ORDER BY updated_at LIMIT $2`,
      [cutoff, RETRY_BATCH],
    )) as { id: string }[];
    const totals: RetryRunResult = { captured: 0, voided: 0, authorized: 0, failed: 0 };
    for (const { id } of due) {
      try {
        const { outcomes } = await this.dataSource.transaction(async (manager) => {
          const stored = await this.lock(manager, id, true);
          if (!stored) return { outcomes: [] };
          if (stored.row.status === 'pending' && stored.row.createdAt > cutoff) return { outcomes: [] };
          return this.drive(manager, stored);
        });
        for (const outcome of outcomes) if (outcome !== 'unavailable') totals[outcome] += 1;
      } catch (error) {
        // One broken payment must not stop the others; it is logged and tried again next run.
        this.logger.error({ err: error, paymentId: id }, 'payment retry failed');
      }
    }
    return totals;
  }

  // ---- reading: GET /v1/payments/{id} ------------------------------------------------------------

  /** The buyer, support and platform admins see a payment; anyone else learns nothing, not even that it exists. */
  async get(principal: Principal, paymentId: string): Promise<PaymentView> {
    const row = await this.dataSource.getRepository(PaymentEntity).findOneBy({ id: paymentId });
    const isBuyer =
      row !== null &&
      row.buyerIdentityId !== null &&
      !principal.isClient &&
      sameId(row.buyerIdentityId, principal.identityId);
    if (!row || !(isBuyer || principal.hasRole('support', 'platform_admin'))) {
      throw new NotFoundError('The payment', 'payment_not_found');
    }
    const attempts = await this.dataSource
      .getRepository(PaymentAttemptEntity)
      .find({ where: { paymentId }, order: { seq: 'ASC' } });
    return {
      paymentId: row.id,
      orderId: row.orderId,
      status: row.status,
      amountMinor: row.amountMinor,
      currency: row.currency,
      method: row.method,
      providerRef: row.providerRef,
      declineCode: row.declineCode,
      createdAt: row.createdAt.toISOString(),
      attempts: attempts.map((a) => ({
        kind: a.kind,
        outcome: a.outcome,
        amountMinor: a.amountMinor,
        currency: a.currency,
        code: a.code,
        providerRef: a.providerRef,
        refundRef: a.refundRef,
        at: a.at.toISOString(),
      })),
    };
  }

  // ---- internals ---------------------------------------------------------------------------------

  private async lock(
    manager: EntityManager,
    paymentId: string,
    skipLocked: boolean,
  ): Promise<StoredPayment | null> {
    const query = manager
      .getRepository(PaymentEntity)
      .createQueryBuilder('payment')
      .setLock('pessimistic_write')
      .where('payment.id = :paymentId', { paymentId });
    if (skipLocked) query.setOnLocked('skip_locked');
    const row = await query.getOne();
    if (!row) return null;
    const attempts = await manager
      .getRepository(PaymentAttemptEntity)
      .find({ where: { paymentId }, order: { seq: 'ASC' } });
    return { row, payment: toPayment(row, attempts) };
  }

  /** Authorises a pending payment, then settles what its order asked for, as far as the provider lets it. */
  private async drive(
    manager: EntityManager,
    stored: StoredPayment,
  ): Promise<{ row: PaymentEntity; outcomes: StepOutcome[] }> {
    const outcomes: StepOutcome[] = [];
    let current = stored;
    for (let steps = 0; steps < 2; steps += 1) {
      const step = nextProviderStep(settlementState(current.row));
      if (step === null) break;
      const result = await this.step(manager, current, step);
      outcomes.push(result.outcome);
      current = result.stored;
      if (result.outcome === 'unavailable') break;
    }
    return { row: current.row, outcomes };
  }

  /** One provider call for a locked payment, recorded with its attempt and event in `manager`'s transaction. */
  private async step(
    manager: EntityManager,
    stored: StoredPayment,
    step: ProviderStep,
  ): Promise<{ stored: StoredPayment; outcome: StepOutcome }> {
    const { row, payment } = stored;
    const at = this.clock.now();
    const idempotencyKey = providerIdempotencyKey(row.id, step);
    const context = { idempotencyKey, at };
    let next: Payment;
    const changes: Partial<PaymentEntity> = {};
    switch (step) {
      case 'authorize': {
        if (row.paymentToken === null)
          throw new Error(`Pending payment ${row.id} has no token to retry with`);
        const result = await this.provider.authorize({
          paymentId: row.id,
          amount: payment.amount,
          method: payment.method,
          token: row.paymentToken,
          idempotencyKey,
        });
        next = recordAuthorization(payment, result, context);
        if (next.status !== 'pending') {
          // The token was kept only to retry this call; a resolved authorisation no longer needs it.
          changes.paymentToken = null;
          changes.requestedAction = requestedActionAfterAuthorization({
            ...settlementState(row),
            status: next.status,
          });
        }
        break;
      }
      case 'capture': {
        assertSettlementAllowed(settlementState(row), 'capture');
        // One capture of the full authorised amount: an order is confirmed whole (ORD-1).
        assertCanCapture(payment, payment.amount);
        const result = await this.provider.capture({
          providerRef: this.providerRefOf(payment),
          amount: payment.amount,
          idempotencyKey,
        });
        next = recordCapture(payment, payment.amount, result, context);
        if (next.status === 'captured') changes.requestedAction = null;
        break;
      }
      case 'void': {
        assertSettlementAllowed(settlementState(row), 'void');
        assertCanVoid(payment);
        const result = await this.provider.void({ providerRef: this.providerRefOf(payment), idempotencyKey });
        next = recordVoid(payment, result, context);
        if (next.status === 'voided') changes.requestedAction = null;
        break;
      }
    }
    const updated = await this.save(manager, row, payment, next, { ...changes, updatedAt: at });
    const outcome = stepOutcome(step, next);
    if (outcome !== 'unavailable') await this.publish(manager, updated, next, outcome, at);
    else this.logger.warn({ paymentId: row.id, step }, 'payment provider unavailable; will retry');
    return { stored: { row: updated, payment: next }, outcome };
  }

  private providerRefOf(payment: Payment): string {
    if (payment.providerRef === null)
      throw new Error(`Payment ${payment.paymentId} has no provider reference`);
    return payment.providerRef;
  }

  private async save(
    manager: EntityManager,
    row: PaymentEntity,
    before: Payment,
    after: Payment,
    changes: Partial<PaymentEntity>,
    attemptExtras: Pick<PaymentAttemptEntity, 'requestHash' | 'reason'> = { requestHash: null, reason: null },
  ): Promise<PaymentEntity> {
    const updated: PaymentEntity = {
      ...row,
      ...changes,
      status: after.status,
      providerRef: after.providerRef,
      declineCode: after.declineCode,
    };
    await manager.getRepository(PaymentEntity).update(
      { id: row.id },
      {
        status: updated.status,
        providerRef: updated.providerRef,
        declineCode: updated.declineCode,
        paymentToken: updated.paymentToken,
        requestedAction: updated.requestedAction,
        updatedAt: updated.updatedAt,
      },
    );
    const added = after.attempts.slice(before.attempts.length);
    if (added.length > 0) {
      await manager.getRepository(PaymentAttemptEntity).insert(
        added.map((attempt, index) => ({
          paymentId: row.id,
          seq: before.attempts.length + index + 1,
          kind: attempt.kind,
          outcome: attempt.outcome,
          amountMinor: attempt.amount.amountMinor,
          currency: attempt.amount.currency,
          code: attempt.code,
          providerRef: attempt.providerRef,
          refundRef: attempt.refundRef ?? null,
          idempotencyKey: attempt.idempotencyKey,
          ...attemptExtras,
          at: attempt.at,
        })),
      );
    }
    return updated;
  }

  /**
   * billing.payment.v1, key = payment id: every money movement with its exact amount and currency,
   * so orders settles its saga and payouts can post the ledger from the events alone (PAY-1).
   */
  private async publish(
    manager: EntityManager,
    row: PaymentEntity,
    payment: Payment,
    outcome: Exclude<StepOutcome, 'unavailable'>,
    at: Date,
  ): Promise<void> {
    const ref = paymentRefOf(row, payment);
    const amountMinor = BigInt(payment.amount.amountMinor);
    const when = timestampFromDate(at);
    const base = { topic: 'billing.payment.v1' as const, key: row.id };
    switch (outcome) {
      case 'authorized':
        await this.outbox.publish(manager, {
          ...base,
          schema: paymentEvents.PaymentAuthorizedSchema,
          message: create(paymentEvents.PaymentAuthorizedSchema, {
            payment: ref,
            amountMinor,
            authorizedAt: when,
          }),
        });
        return;
      case 'failed':
        await this.outbox.publish(manager, {
          ...base,
          schema: paymentEvents.PaymentFailedSchema,
          message: create(paymentEvents.PaymentFailedSchema, {
            payment: ref,
            amountMinor,
            declineCode: row.declineCode ?? '',
            failedAt: when,
          }),
        });
        return;
      case 'captured':
        await this.outbox.publish(manager, {
          ...base,
          schema: paymentEvents.PaymentCapturedSchema,
          message: create(paymentEvents.PaymentCapturedSchema, {
            payment: ref,
            amountMinor,
            capturedAt: when,
          }),
        });
        return;
      case 'voided':
        await this.outbox.publish(manager, {
          ...base,
          schema: paymentEvents.PaymentVoidedSchema,
          message: create(paymentEvents.PaymentVoidedSchema, { payment: ref, amountMinor, voidedAt: when }),
        });
        return;
    }
  }

  /** PaymentRefunded: this refund's amount and the running total, exactly, for payouts' ledger (PAY-1). */
  private async publishRefund(
    manager: EntityManager,
    row: PaymentEntity,
    payment: Payment,
    answer: RefundAnswer,
    reason: string,
    at: Date,
  ): Promise<void> {
    await this.outbox.publish(manager, {
      topic: 'billing.payment.v1',
      key: row.id,
      schema: paymentEvents.PaymentRefundedSchema,
      message: create(paymentEvents.PaymentRefundedSchema, {
        payment: paymentRefOf(row, payment),
        amountMinor: BigInt(answer.amountMinor),
        refundedTotalMinor: BigInt(answer.refundedMinor),
        refundRef: answer.refundRef,
        reason,
        refundedAt: timestampFromDate(at),
      }),
    });
  }
}

function paymentRefOf(row: PaymentEntity, payment: Payment) {
  return create(paymentEvents.PaymentRefSchema, {
    paymentId: row.id,
    orderId: row.orderId,
    method: row.method,
    currency: payment.amount.currency,
    providerRef: row.providerRef ?? '',
  });
}
