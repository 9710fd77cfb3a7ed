import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CLOCK, Clock, CONFIG, PeriodicJob } from '@ticketry/platform';
import { BillingConfig } from '../config';
import { PaymentsService } from './payments.service';

/**
 * Runs the payment retry (PaymentsService.retryDue) every PAYMENT_RETRY_INTERVAL_MS in every pod;
 * row locks with SKIP LOCKED keep pods from working on the same payment. A run never overlaps the
 * previous one in the same pod. `POST /v1/admin/payments/run` runs the same thing on demand.
 */
@Injectable()
export class PaymentRetryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PaymentRetryJob.name);
  private readonly job: PeriodicJob;

  constructor(payments: PaymentsService, @Inject(CLOCK) clock: Clock, @Inject(CONFIG) config: BillingConfig) {
    const interval = config.paymentRetryJobEnabled ? config.PAYMENT_RETRY_INTERVAL_MS : 0;
    this.job = new PeriodicJob(
      'payment retry run',
      interval,
      async () => {
        const result = await payments.retryDue(clock.now());
        if (Object.values(result).some((count) => count > 0)) this.logger.log(result, 'payment retry run');
      },
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }
}
