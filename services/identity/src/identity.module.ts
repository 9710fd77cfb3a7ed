import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, KeyResolver } from '@ticketry/auth';
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
import { Sessions1763900000000 } from './migrations/1763900000000-Sessions';
import { MeController } from './me/me.controller';
import { RefreshTokenEntity } from './sessions/refresh-token.entity';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';
import { JwksController } from './tokens/jwks.controller';
import { SigningKeyEntity, SigningKeyStore } from './tokens/signing-keys';
import { TokenService } from './tokens/token.service';

export const IDENTITY_ENTITIES = [
  ...MESSAGING_ENTITIES,
  DevMessageEntity,
  IdentityEntity,
  MarketAccountEntity,
  SigningKeyEntity,
  RefreshTokenEntity,
];
export const IDENTITY_MIGRATIONS = [
  PlatformTables1763600000000,
  MessagingTables1763600000001,
  DevMessagesMigration1763700000000,
  IdentityAccounts1763800000001,
  Sessions1763900000000,
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
        // Identity verifies the tokens it signs with its own key store, not over HTTP.
        AuthModule.forRoot({
          keyResolver: SigningKeyStore,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          clock: overrides.clock,
        }),
      ],
      controllers: [AccountsController, SessionsController, JwksController, MeController],
      providers: [
        AccountsService,
        SessionsService,
        TokenService,
        { provide: SigningKeyStore, useExisting: KeyResolver },
      ],
    };
  }
}
