import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CLOCK, Clock, CONFIG } from '@ticketry/platform';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly payments: PaymentsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.paymentRetryJobEnabled) return;
    this.timer = setInterval(() => this.tick(), this.config.PAYMENT_RETRY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.payments
      .retryDue(this.clock.now())
      .then((result) => {
        if (Object.values(result).some((count) => count > 0)) this.logger.log(result, 'payment retry run');
      })
      .catch((error: unknown) => this.logger.error({ err: error }, 'payment retry run failed'))
      .finally(() => {
        this.running = undefined;
      });
  }
}
