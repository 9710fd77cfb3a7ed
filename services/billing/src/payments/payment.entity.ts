import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentAttemptKind, PaymentAttemptOutcome, PaymentStatus } from './payment';
import type { PaymentMethod } from './payment-provider';
import type { OrderOutcome, SettlementAction } from './settlement';

/** Postgres bigint arrives as a string; amounts are safe integers of minor units (libs/money). */
const minorUnits = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId!: string;
  @Column({ type: 'text' }) method!: PaymentMethod;
  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnits }) amountMinor!: number;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text' }) status!: PaymentStatus;
  /** Which adapter of the PaymentProvider port holds the payment (`sandbox` until a real one exists). */
  @Column({ type: 'text' }) provider!: string;
  @Column({ name: 'provider_ref', type: 'text', nullable: true }) providerRef!: string | null;
  @Column({ name: 'decline_code', type: 'text', nullable: true }) declineCode!: string | null;
  @Column({ name: 'buyer_email', type: 'text' }) buyerEmail!: string;
  @Column({ name: 'buyer_identity_id', type: 'uuid', nullable: true }) buyerIdentityId!: string | null;
  /** Kept only while the authorisation is pending, to retry it with the same request; then erased. */
  @Column({ name: 'payment_token', type: 'text', nullable: true }) paymentToken!: string | null;
  @Column({ name: 'idempotency_key', type: 'text' }) idempotencyKey!: string;
  /** Hash of the creating request's body: a repeat with another body is refused. */
  @Column({ name: 'request_hash', type: 'text' }) requestHash!: string;
  @Column({ name: 'order_outcome', type: 'text', nullable: true }) orderOutcome!: OrderOutcome | null;
  @Column({ name: 'requested_action', type: 'text', nullable: true })
  requestedAction!: SettlementAction | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** Every call to the provider, whatever its outcome, with its amount and currency exactly (PAY-1). */
@Entity({ name: 'payment_attempts' })
export class PaymentAttemptEntity {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' }) paymentId!: string;
  @PrimaryColumn({ type: 'int' }) seq!: number;
  @Column({ type: 'text' }) kind!: PaymentAttemptKind;
  @Column({ type: 'text' }) outcome!: PaymentAttemptOutcome;
  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnits }) amountMinor!: number;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text', nullable: true }) code!: string | null;
  @Column({ name: 'provider_ref', type: 'text', nullable: true }) providerRef!: string | null;
  @Column({ name: 'refund_ref', type: 'text', nullable: true }) refundRef!: string | null;
  @Column({ name: 'idempotency_key', type: 'text' }) idempotencyKey!: string;
  /** Refunds only: the hash of the API request that asked for it (same key, other body → 409). */
  @Column({ name: 'request_hash', type: 'text', nullable: true }) requestHash!: string | null;
  /** Refunds only: why, as the caller (the refunds service, support) gave it. */
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'timestamptz' }) at!: Date;
}
