import { Injectable, OnModuleInit } from '@nestjs/common';
import { availabilityEvents, timestampDate } from '@ticketry/contracts';
import { ConsumedEvent, InboxConsumer, PermanentMessageError } from '@ticketry/messaging';
import type { EntityManager } from 'typeorm';
import { TicketTypeEntity } from '../events/event.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Orders counts the seats (ORD-2); catalog shows what is left (CAT-1 `available`). Each
 * EventAvailability carries every ticket type of its event, so the latest one is all we need. Only
 * `sold` is taken from it: the capacity stays catalog's own, which is never older than orders' copy,
 * so a capacity change shows at once. Reports older than the one applied are ignored per ticket type.
 */
@Injectable()
export class AvailabilityConsumer implements OnModuleInit {
  constructor(private readonly inbox: InboxConsumer) {}

  onModuleInit(): void {
    this.inbox.on('orders.availability.v1', availabilityEvents.EventAvailabilitySchema, (event, manager) =>
      this.apply(event, manager),
    );
  }

  async apply(
    consumed: ConsumedEvent<typeof availabilityEvents.EventAvailabilitySchema>,
    manager: EntityManager,
  ): Promise<void> {
    const report = consumed.message;
    if (!UUID.test(report.eventId) || !report.asOf) {
      throw new PermanentMessageError('EventAvailability without an event id or as_of');
    }
    const asOf = timestampDate(report.asOf);
    const table = manager.getRepository(TicketTypeEntity).metadata.tablePath;
    for (const type of report.ticketTypes) {
      if (!UUID.test(type.ticketTypeId) || type.sold < 0) {
        throw new PermanentMessageError('EventAvailability with a malformed ticket type');
      }
      // `<=`: a report stamped at the same moment carries the same count, so applying it is harmless.
      await manager.query(
        `UPDATE ${table} SET sold = $1, sold_as_of = $2
         WHERE id = $3 AND event_id = $4 AND (sold_as_of IS NULL OR sold_as_of <= $2)`,
        [type.sold, asOf, type.ticketTypeId, report.eventId],
      );
    }
  }
}
