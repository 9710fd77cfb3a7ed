import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RefundPolicy } from './refund-policy';

export type EventStatus = 'draft' | 'published' | 'cancelled';
export type FeeMode = 'included' | 'passed_on';

@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) category!: string;
  @Column({ type: 'text' }) country!: string;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text' }) venue!: string;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt!: Date;
  @Column({ name: 'fee_mode', type: 'text' }) feeMode!: FeeMode;
  @Column({ name: 'transfers_allowed', type: 'boolean' }) transfersAllowed!: boolean;
  @Column({ name: 'advertising_enabled', type: 'boolean' }) advertisingEnabled!: boolean;
  @Column({ name: 'e_invoice_enabled', type: 'boolean' }) eInvoiceEnabled!: boolean;
  @Column({ type: 'text' }) status!: EventStatus;
  @Column({ name: 'refund_policy_version', type: 'int' }) refundPolicyVersion!: number;
  @Column({ name: 'legal_entity', type: 'text' }) legalEntity!: string;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** CAT-3: policies are versioned; an order keeps the version it was sold under. */
@Entity({ name: 'refund_policies' })
export class RefundPolicyEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @Column({ type: 'jsonb' }) policy!: RefundPolicy;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'ticket_types' })
export class TicketTypeEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: 'single' | 'subscription';
  @Column({
    name: 'price_minor',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  priceMinor!: number;
  @Column({ type: 'int' }) capacity!: number;
  @Column({ name: 'sales_start_at', type: 'timestamptz' }) salesStartAt!: Date;
  @Column({ name: 'sales_end_at', type: 'timestamptz' }) salesEndAt!: Date;
  @Column({ name: 'binding_months', type: 'int', nullable: true }) bindingMonths!: number | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  // Orders' count (orders.availability.v1), written only by the AvailabilityConsumer: an organizer's
  // edit saved through the entity must never put back an older count.
  @Column({ type: 'int', insert: false, update: false }) sold!: number;
  @Column({ name: 'sold_as_of', type: 'timestamptz', insert: false, update: false }) soldAsOf!: Date | null;
}
