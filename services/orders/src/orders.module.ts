import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@ticketry/auth';
import { BASE_ENTITIES, BASE_MIGRATIONS, MessagingModule } from '@ticketry/messaging';
import { PlatformModule, ServiceOverrides } from '@ticketry/platform';
import { AvailabilityPublisher } from './availability/availability.publisher';
import { CatalogFeedConsumer } from './catalog-feed/catalog-feed.consumer';
import { OrdersConfig } from './config';
import { HoldsController } from './holds/holds.controller';
import { HoldsService } from './holds/holds.service';
import { IdentityFeedConsumer } from './identity-feed/identity-feed.consumer';
import { Orders1765000000000 } from './migrations/1765000000000-Orders';
import { EventFeeOverride1765200000000 } from './migrations/1765200000000-EventFeeOverride';
import { AvailabilityPublished1765300000000 } from './migrations/1765300000000-AvailabilityPublished';
import { OrderConfirmation } from './orders/order-confirmation';
import { OrderSettlement } from './orders/order-settlement';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { BillingClient } from './payments/billing.client';
import { PaymentFeedConsumer } from './payments/payment-feed.consumer';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';

export const ORDERS_ENTITIES = [...BASE_ENTITIES];
export const ORDERS_MIGRATIONS = [
  ...BASE_MIGRATIONS,
  Orders1765000000000,
  EventFeeOverride1765200000000,
  AvailabilityPublished1765300000000,
];

/** The orders service: checkout, holds, tickets, transfers and check-in (ORD-*). */
@Module({})
export class OrdersModule {
  static forRoot(config: OrdersConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        PlatformModule.forRoot({
          service: 'orders',
          config,
          clock: overrides.clock,
          entities: ORDERS_ENTITIES,
          migrations: ORDERS_MIGRATIONS,
        }),
        MessagingModule.forRoot({
          service: 'orders',
          produces: ['orders.order.v1', 'orders.availability.v1'],
        }),
        AuthModule.forRoot({
          jwksUrl: config.JWKS_URL,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          clock: overrides.clock,
          serviceToken: {
            identityUrl: config.IDENTITY_URL,
            clientId: config.SERVICE_CLIENT_ID,
            clientSecret: config.SERVICE_CLIENT_SECRET,
          },
        }),
      ],
      controllers: [OrdersController, TicketsController, HoldsController],
      providers: [
        OrdersService,
        OrderConfirmation,
        OrderSettlement,
        TicketsService,
        HoldsService,
        AvailabilityPublisher,
        BillingClient,
        CatalogFeedConsumer,
        IdentityFeedConsumer,
        PaymentFeedConsumer,
      ],
    };
  }
}
