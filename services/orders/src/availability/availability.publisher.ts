import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { availabilityEvents, create, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { CONFIG, PeriodicJob } from '@ticketry/platform';
import { DataSource, EntityManager } from 'typeorm';
import { OrdersConfig } from '../config';
import { rowsOf, schemaName } from '../db';

/** Ticket types claimed per tick; an on-sale of more than this many catches up on the next ticks. */
const BATCH = 1000;

interface TicketTypeCount {
  id: string;
  event_id: string;
  capacity: number;
  taken: number;
}

/**
 * Tells catalog how many seats are gone (orders.availability.v1), so the event page's `available`
 * (CAT-1) follows the sales orders counts (ORD-2) without catalog reading our tables. A sale only
 * moves `taken`; this job, once per interval, sends every event whose count moved since its last
 * message, so a hot on-sale costs one message per event per interval, never one per sale, and adds
 * no write to the checkout path.
 */
@Injectable()
export class AvailabilityPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CONFIG) config: OrdersConfig,
  ) {
    this.job = new PeriodicJob('availability publishing', config.AVAILABILITY_INTERVAL_MS, () =>
      this.publishChanged(),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One tick: returns the ids of the events announced. */
  async publishChanged(): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const s = schemaName(manager);
      // One publisher at a time per schema (replicas skip the tick): the as_of stamps then follow
      // the order the counts were read in, which is what catalog's stale-message check relies on.
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        `${s}.availability`,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return [];
      // Locked in id order, as a sale and a release lock them, so the job never deadlocks a
      // multi-type order. Recording what we send in the same transaction as the outbox row means a
      // failed tick sends nothing and marks nothing: the next one retries.
      const changed = rowsOf<{ event_id: string }>(
        await manager.query(
          `WITH due AS (
             SELECT id FROM ${s}.ticket_types WHERE taken <> published_taken ORDER BY id LIMIT ${BATCH} FOR UPDATE
           )
           UPDATE ${s}.ticket_types t SET published_taken = t.taken FROM due
           WHERE t.id = due.id AND t.taken <> t.published_taken
           RETURNING t.event_id`,
        ),
      );
      if (changed.length === 0) return [];
      const eventIds = [...new Set(changed.map((row) => row.event_id))].sort();
      await this.announce(manager, s, eventIds);
      return eventIds;
    });
  }

  private async announce(manager: EntityManager, s: string, eventIds: string[]): Promise<void> {
    // Every ticket type of each event, not only the changed ones: one message is the whole picture,
    // so catalog never has to merge.
    const rows: TicketTypeCount[] = await manager.query(
      `SELECT id, event_id, capacity, taken FROM ${s}.ticket_types
       WHERE event_id = ANY($1::uuid[]) ORDER BY event_id, id`,
      [eventIds],
    );
    // The database clock, read after the locks and the counts: a later message always carries a
    // later as_of, whichever replica sends it and however its own clock runs.
    const [{ now }] = (await manager.query('SELECT clock_timestamp() AS now')) as { now: Date }[];
    const asOf = timestampFromDate(new Date(now));
    for (const eventId of eventIds) {
      await this.outbox.publish(manager, {
        topic: 'orders.availability.v1',
        key: eventId,
        schema: availabilityEvents.EventAvailabilitySchema,
        message: create(availabilityEvents.EventAvailabilitySchema, {
          eventId,
          ticketTypes: rows
            .filter((row) => row.event_id === eventId)
            .map((row) => ({ ticketTypeId: row.id, capacity: row.capacity, sold: row.taken })),
          asOf,
        }),
      });
    }
  }
}
