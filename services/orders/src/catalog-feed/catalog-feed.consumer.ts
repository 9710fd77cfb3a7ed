import { Injectable, OnModuleInit } from '@nestjs/common';
import { catalogEvents, timestampDate, type MessageShape } from '@ticketry/contracts';
import { ConsumedEvent, InboxConsumer, PermanentMessageError } from '@ticketry/messaging';
import type { EntityManager } from 'typeorm';
import { schemaName } from '../db';

type Snapshot = MessageShape<typeof catalogEvents.EventSnapshotSchema>;

/**
 * Keeps orders' read model of catalog (prices, capacity, sales windows, fee mode, advertising and
 * e-invoice switches, refund-policy version) from catalog.event.v1. Every message carries the whole
 * event, so the latest one is all we need; an older snapshot arriving late is ignored.
 *
 * Capacity is catalog's; `taken` (seats sold or held) is ours and is never overwritten, so a
 * capacity change takes effect at once without losing a sale.
 */
@Injectable()
export class CatalogFeedConsumer implements OnModuleInit {
  constructor(private readonly inbox: InboxConsumer) {}

  onModuleInit(): void {
    this.inbox.on('catalog.event.v1', catalogEvents.EventPublishedSchema, (event, manager) =>
      this.apply(event, event.message.event, manager),
    );
    this.inbox.on('catalog.event.v1', catalogEvents.EventUpdatedSchema, (event, manager) =>
      this.apply(event, event.message.event, manager),
    );
    this.inbox.on('catalog.event.v1', catalogEvents.EventCancelledSchema, (event, manager) =>
      this.apply(event, event.message.event, manager),
    );
  }

  private async apply(
    consumed: ConsumedEvent,
    snapshot: Snapshot | undefined,
    manager: EntityManager,
  ): Promise<void> {
    if (!snapshot?.eventId || !snapshot.startsAt || !snapshot.endsAt) {
      throw new PermanentMessageError('catalog event without a complete snapshot');
    }
    const s = schemaName(manager);
    const applied: unknown[] = await manager.query(
      `INSERT INTO ${s}.events (id, organization_id, title, country, currency, starts_at, ends_at, fee_mode,
         transfers_allowed, advertising_enabled, e_invoice_enabled, refund_policy_version, status, legal_entity, snapshot_at,
         fee_override_percent_bp, fee_override_fixed_minor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, title = EXCLUDED.title,
         country = EXCLUDED.country, currency = EXCLUDED.currency, starts_at = EXCLUDED.starts_at,
         ends_at = EXCLUDED.ends_at, fee_mode = EXCLUDED.fee_mode, transfers_allowed = EXCLUDED.transfers_allowed,
         advertising_enabled = EXCLUDED.advertising_enabled, e_invoice_enabled = EXCLUDED.e_invoice_enabled,
         refund_policy_version = EXCLUDED.refund_policy_version, status = EXCLUDED.status,
         legal_entity = EXCLUDED.legal_entity, snapshot_at = EXCLUDED.snapshot_at,
         fee_override_percent_bp = EXCLUDED.fee_override_percent_bp, fee_override_fixed_minor = EXCLUDED.fee_override_fixed_minor
       WHERE ${s}.events.snapshot_at <= EXCLUDED.snapshot_at
       RETURNING id`,
      [
        snapshot.eventId,
        snapshot.organizationId,
        snapshot.title,
        snapshot.country.toLowerCase(),
        snapshot.currency.toUpperCase(),
        timestampDate(snapshot.startsAt),
        timestampDate(snapshot.endsAt),
        snapshot.feeMode,
        snapshot.transfersAllowed,
        snapshot.advertisingEnabled,
        snapshot.eInvoiceEnabled,
        snapshot.refundPolicyVersion,
        snapshot.status,
        snapshot.legalEntity,
        consumed.occurredAt,
        // CAT-2: both or neither; an agreement applies to orders placed from now on.
        snapshot.feeOverridePercentBp ?? null,
        snapshot.feeOverrideFixedMinor === undefined ? null : snapshot.feeOverrideFixedMinor.toString(),
      ],
    );
    if (applied.length === 0) return; // a newer snapshot is already here
    for (const type of snapshot.ticketTypes) {
      if (!type.salesStartAt || !type.salesEndAt)
        throw new PermanentMessageError('ticket type without a sales window');
      await manager.query(
        `INSERT INTO ${s}.ticket_types (id, event_id, name, kind, price_minor, capacity, sales_start_at, sales_end_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, price_minor = EXCLUDED.price_minor,
           capacity = EXCLUDED.capacity, sales_start_at = EXCLUDED.sales_start_at, sales_end_at = EXCLUDED.sales_end_at`,
        [
          type.ticketTypeId,
          snapshot.eventId,
          type.name,
          type.kind,
          type.priceMinor.toString(),
          type.capacity,
          timestampDate(type.salesStartAt),
          timestampDate(type.salesEndAt),
        ],
      );
    }
  }
}
