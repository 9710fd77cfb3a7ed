import { TokenVerifyingConfig } from '@ticketry/auth';
import { Type } from 'class-transformer';
import { IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'] };
const URL_MESSAGE = { message: 'must be an http(s) URL' };

export class OrdersConfig extends TokenVerifyingConfig {
  /** Billing authorises card and wallet payments for checkouts (ORD-1). */
  @IsUrl(URL_OPTIONS, URL_MESSAGE)
  BILLING_URL = 'http://127.0.0.1:3004';

  /** Identity issues orders' client-credentials token for calls to billing. */
  @IsUrl(URL_OPTIONS, URL_MESSAGE)
  IDENTITY_URL = 'http://127.0.0.1:3001';

  @IsString()
  SERVICE_CLIENT_ID = 'orders';

  /** Registered at identity in SERVICE_CLIENTS; never in the repository, no default. */
  @IsString({ message: 'is required (the secret identity knows orders by in SERVICE_CLIENTS)' })
  @MinLength(16, { message: 'must be at least 16 characters' })
  SERVICE_CLIENT_SECRET!: string;

  /** How long an unpaid order holds its seats. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  HOLD_MINUTES = 15;

  /** How long a checkout waits for billing before answering 202 `pending`. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PAYMENT_TIMEOUT_MS = 10_000;

  /** Period of the hold-expiry and payment-retry job; 0 turns the schedule off (admin endpoint only). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  HOLD_JOB_INTERVAL_MS = 30_000;

  /**
   * How often seat counts that changed go out on orders.availability.v1 (catalog's `available`):
   * at most one message per event per period, however many sales it had. 0 turns publishing off.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  AVAILABILITY_INTERVAL_MS = 1000;

  /** Where buyers see their tickets; the receipt links there. */
  @IsUrl(URL_OPTIONS, URL_MESSAGE)
  TICKETS_URL = 'https://tickets.ticketry.example/orders';
}
