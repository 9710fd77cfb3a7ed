import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock, CONFIG, PeriodicJob } from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config';
import { schemaName } from '../db';
import { OrderSettlement } from '../orders/order-settlement';
import type { OrderRow } from '../orders/order-row';
import { OrdersService } from '../orders/orders.service';
import { authorizeCommandFor, BillingClient } from '../payments/billing.client';

/** Orders whose payment outcome we have not heard for this long are asked about again. */
const RETRY_AFTER_MS = 30_000;
const BATCH = 200;

/**
 * The time-driven half of the checkout saga (api.md "time-driven work"): pending orders whose
 * payment answer never came are asked about again (billing answers the first outcome, never a
 * second authorisation), and unpaid holds past their expiry release their seats (ORD-2) and tell
 * billing to void anything it authorised. Runs on a timer and, with `asOf`, from the admin endpoint.
 */
@Injectable()
export class HoldsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    private readonly billing: BillingClient,
    private readonly settlement: OrderSettlement,
    @Inject(CLOCK) clock: Clock,
    @Inject(CONFIG) config: OrdersConfig,
  ) {
    this.job = new PeriodicJob('hold job', config.HOLD_JOB_INTERVAL_MS, () => this.run(clock.now()));
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  async run(asOf: Date, eventId?: string): Promise<{ retried: number; confirmed: number; expired: number }> {
    const retry = await this.retryPayments(asOf, eventId);
    const expired = await this.expireHolds(asOf, eventId);
    return { ...retry, expired };
  }

  private async retryPayments(asOf: Date, eventId?: string): Promise<{ retried: number; confirmed: number }> {
    const s = schemaName(this.dataSource);
    const due: OrderRow[] = await this.dataSource.query(
      `SELECT * FROM ${s}.orders WHERE status = 'pending' AND hold_expires_at > $1 AND payment_attempted_at <= $2
         AND ($3::uuid IS NULL OR event_id = $3)
       ORDER BY hold_expires_at LIMIT ${BATCH}`,
      [asOf, new Date(asOf.getTime() - RETRY_AFTER_MS), eventId ?? null],
    );
    let confirmed = 0;
    for (const order of due) {
      await this.dataSource.query(`UPDATE ${s}.orders SET payment_attempted_at = $2 WHERE id = $1`, [
        order.id,
        asOf,
      ]);
      const outcome = await this.billing.authorize(authorizeCommandFor(order));
      if ((await this.orders.settle(order.id, outcome)) === 'confirmed') confirmed++;
    }
    return { retried: due.length, confirmed };
  }

  private async expireHolds(asOf: Date, eventId?: string): Promise<number> {
    const s = schemaName(this.dataSource);
    let expired = 0;
    for (;;) {
      const due: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM ${s}.orders WHERE status = 'pending' AND hold_expires_at <= $1
           AND ($2::uuid IS NULL OR event_id = $2) ORDER BY hold_expires_at LIMIT ${BATCH}`,
        [asOf, eventId ?? null],
      );
      for (const { id } of due) {
        const done = await this.dataSource.transaction((manager) =>
          this.settlement.cancelPending(manager, id, 'hold_expired', asOf, { tellBuyer: true }),
        );
        if (done) expired++;
      }
      if (due.length < BATCH) return expired;
    }
  }
}
