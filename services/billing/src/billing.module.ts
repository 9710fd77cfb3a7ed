import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@ticketry/auth';
import { BASE_ENTITIES, BASE_MIGRATIONS, MessagingModule } from '@ticketry/messaging';
import { PlatformModule, ServiceOverrides } from '@ticketry/platform';
import { BillingConfig } from './config';
import { Payments1764100000000 } from './migrations/1764100000000-Payments';
import { Refunds1764200000000 } from './migrations/1764200000000-Refunds';
import { AdminPaymentsController } from './payments/admin-payments.controller';
import { OrderOutcomeConsumer } from './payments/order-outcome.consumer';
import { PaymentAttemptEntity, PaymentEntity } from './payments/payment.entity';
import { PAYMENT_PROVIDER } from './payments/payment-provider';
import { PaymentRetryJob } from './payments/payment-retry.job';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';
import { SandboxPaymentProvider } from './payments/sandbox-provider';
import { PostgresSandboxStore } from './payments/sandbox-store.entity';

export const BILLING_ENTITIES = [...BASE_ENTITIES, PaymentEntity, PaymentAttemptEntity];
export const BILLING_MIGRATIONS = [...BASE_MIGRATIONS, Payments1764100000000, Refunds1764200000000];

/** The billing service: payments for orders (authorise, capture, void, refund); subscriptions later. */
@Module({})
export class BillingModule {
  static forRoot(config: BillingConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: BillingModule,
      imports: [
        PlatformModule.forRoot({
          service: 'billing',
          config,
          clock: overrides.clock,
          entities: BILLING_ENTITIES,
          migrations: BILLING_MIGRATIONS,
        }),
        MessagingModule.forRoot({ service: 'billing', produces: ['billing.payment.v1'] }),
        AuthModule.forRoot({
          jwksUrl: config.JWKS_URL,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          clock: overrides.clock,
        }),
      ],
      controllers: [PaymentsController, AdminPaymentsController],
      providers: [
        PostgresSandboxStore,
        {
          // PAY-1: the platform collects through a third-party processor; `sandbox` is the only
          // adapter so far (config.ts refuses anything else).
          provide: PAYMENT_PROVIDER,
          inject: [PostgresSandboxStore],
          useFactory: (store: PostgresSandboxStore) => new SandboxPaymentProvider(store),
        },
        PaymentsService,
        OrderOutcomeConsumer,
        PaymentRetryJob,
      ],
      exports: [PAYMENT_PROVIDER],
    };
  }
}
