import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, MESSAGING_ENTITIES, MessagingTables1763600000001 } from '@ticketry/messaging';
import {
  DevMessageEntity,
  DevMessagesMigration1763700000000,
  NotificationsModule,
} from '@ticketry/notifications';
import { PlatformModule, PlatformTables1763600000000, ServiceOverrides } from '@ticketry/platform';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { IdentityEntity, MarketAccountEntity } from './accounts/identity.entity';
import { IdentityConfig } from './config';
import { IdentityAccounts1763800000001 } from './migrations/1763800000001-IdentityAccounts';

export const IDENTITY_ENTITIES = [
  ...MESSAGING_ENTITIES,
  DevMessageEntity,
  IdentityEntity,
  MarketAccountEntity,
];
export const IDENTITY_MIGRATIONS = [
  PlatformTables1763600000000,
  MessagingTables1763600000001,
  DevMessagesMigration1763700000000,
  IdentityAccounts1763800000001,
];

/** The identity service: global accounts, market linking, phone verification, tokens, organizations. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forRoot({
          service: 'identity',
          config,
          clock: overrides.clock,
          entities: IDENTITY_ENTITIES,
          migrations: IDENTITY_MIGRATIONS,
        }),
        MessagingModule.forRoot({
          service: 'identity',
          produces: ['identity.identity.v1', 'consent.notification.v1'],
        }),
        NotificationsModule.forRoot(),
      ],
      controllers: [AccountsController],
      providers: [AccountsService],
    };
  }
}
