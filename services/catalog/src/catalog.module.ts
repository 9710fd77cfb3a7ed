import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@ticketry/auth';
import { BASE_ENTITIES, BASE_MIGRATIONS, MessagingModule } from '@ticketry/messaging';
import { PlatformModule, ServiceOverrides } from '@ticketry/platform';
import { AvailabilityConsumer } from './availability/availability.consumer';
import { CatalogConfig } from './config';
import { EventEntity, RefundPolicyEntity, TicketTypeEntity } from './events/event.entity';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { FeeOverrideEntity } from './fee-overrides/fee-override.entity';
import {
  AdminFeeOverridesController,
  OrganizationFeesController,
} from './fee-overrides/fee-overrides.controller';
import { FeeOverridesService } from './fee-overrides/fee-overrides.service';
import { FeesController } from './fees/fees.controller';
import { Catalog1764000000000 } from './migrations/1764000000000-Catalog';
import { FeeOverrides1764000000001 } from './migrations/1764000000001-FeeOverrides';
import { TicketTypesSold1764000000002 } from './migrations/1764000000002-TicketTypesSold';

export const CATALOG_ENTITIES = [
  ...BASE_ENTITIES,
  EventEntity,
  RefundPolicyEntity,
  TicketTypeEntity,
  FeeOverrideEntity,
];
export const CATALOG_MIGRATIONS = [
  ...BASE_MIGRATIONS,
  Catalog1764000000000,
  FeeOverrides1764000000001,
  TicketTypesSold1764000000002,
];

/** The catalog service: events, ticket types, refund policies, the fee schedule and organizer fee agreements. */
@Module({})
export class CatalogModule {
  static forRoot(config: CatalogConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: CatalogModule,
      imports: [
        PlatformModule.forRoot({
          service: 'catalog',
          config,
          clock: overrides.clock,
          entities: CATALOG_ENTITIES,
          migrations: CATALOG_MIGRATIONS,
        }),
        MessagingModule.forRoot({ service: 'catalog', produces: ['catalog.event.v1'] }),
        AuthModule.forRoot({
          jwksUrl: config.JWKS_URL,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          clock: overrides.clock,
        }),
      ],
      controllers: [
        EventsController,
        FeesController,
        AdminFeeOverridesController,
        OrganizationFeesController,
      ],
      providers: [EventsService, FeeOverridesService, AvailabilityConsumer],
    };
  }
}
