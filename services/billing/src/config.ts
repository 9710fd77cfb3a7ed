import { TokenVerifyingConfig } from '@ticketry/auth';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

/** Adapters of the PaymentProvider port; a real processor joins this list when it is built. */
export const PAYMENT_PROVIDER_NAMES = ['sandbox'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDER_NAMES)[number];

export class BillingConfig extends TokenVerifyingConfig {
  /**
   * The payment processor. Outside production the sandbox is the default (api.md, "payments in
   * dev"); production must name one, so a cluster never takes orders against the sandbox by accident
   * (a staging cluster runs with NODE_ENV=production and says `sandbox` explicitly).
   */
  @ValidateIf(
    (config: BillingConfig) => config.NODE_ENV === 'production' || config.PAYMENT_PROVIDER !== undefined,
  )
  @IsIn(PAYMENT_PROVIDER_NAMES, {
    message: `must be one of ${PAYMENT_PROVIDER_NAMES.join(', ')} (required in production)`,
  })
  PAYMENT_PROVIDER?: PaymentProviderName;

  /** How often the payment retry job runs (requested captures/voids, stuck authorisations). */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000' })
  @Max(3_600_000, { message: 'must be at most 3600000' })
  PAYMENT_RETRY_INTERVAL_MS = 30_000;

  /**
   * The scheduled retry job: on by default, off by default under NODE_ENV=test so integration tests
   * drive it through `POST /v1/admin/payments/run` at the moment they choose.
   */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  PAYMENT_RETRY_JOB?: 'true' | 'false';

  /** Connections of the sandbox provider's own pool (payments/sandbox-store.entity.ts). */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  SANDBOX_POOL_MAX = 4;

  get paymentProvider(): PaymentProviderName {
    return this.PAYMENT_PROVIDER ?? 'sandbox';
  }

  get paymentRetryJobEnabled(): boolean {
    return this.PAYMENT_RETRY_JOB ? this.PAYMENT_RETRY_JOB === 'true' : this.NODE_ENV !== 'test';
  }
}
