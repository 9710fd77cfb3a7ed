import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, KeyResolver } from '@ticketry/auth';
import { BASE_ENTITIES, BASE_MIGRATIONS, MessagingModule } from '@ticketry/messaging';
import {
  DevMessageEntity,
  DevMessagesMigration1763700000000,
  NotificationsModule,
} from '@ticketry/notifications';
import { PlatformModule, ServiceOverrides } from '@ticketry/platform';
import { BootstrapAdmin } from './accounts/bootstrap-admin';
import { GuestAccountsService } from './guests/guest-accounts.service';
import { GuestRegistration } from './guests/guest-registration';
import { OrderConfirmedConsumer } from './guests/order-confirmed.consumer';
import { LegacyImportController } from './legacy/legacy.controller';
import { LegacyImportService } from './legacy/legacy.service';
import { MarketsController } from './markets/markets.controller';
import { MarketsService } from './markets/markets.service';
import { ProfilesAndResets1763900000001 } from './migrations/1763900000001-ProfilesAndResets';
import { PasswordController } from './password/password.controller';
import { PhoneVerification1763900000003 } from './migrations/1763900000003-PhoneVerification';
import { OtpChallengeEntity } from './phone-verification/otp-challenge.entity';
import { PhoneVerificationController } from './phone-verification/phone-verification.controller';
import { PhoneVerificationService } from './phone-verification/phone-verification.service';
import { PasswordResetEntity } from './password/password-reset.entity';
import { PasswordService } from './password/password.service';
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
import { Organizations1763900000002 } from './migrations/1763900000002-Organizations';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthService } from './oauth/oauth.service';
import { EmailChangeService } from './email-change/email-change.service';
import { MeEmailController, SupportIdentitiesController } from './email-change/email-change.controller';
import { ErasureController } from './erasure/erasure.controller';
import { ErasureService } from './erasure/erasure.service';
import { Erasure1763900000004 } from './migrations/1763900000004-Erasure';
import { ApiClientEntity } from './organizations/api-client.entity';
import { OrganizationEntity, OrganizationMemberEntity } from './organizations/organization.entity';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsService } from './organizations/organizations.service';

export const IDENTITY_ENTITIES = [
  ...BASE_ENTITIES,
  DevMessageEntity,
  IdentityEntity,
  MarketAccountEntity,
  SigningKeyEntity,
  RefreshTokenEntity,
  PasswordResetEntity,
  OtpChallengeEntity,
  OrganizationEntity,
  OrganizationMemberEntity,
  ApiClientEntity,
];
export const IDENTITY_MIGRATIONS = [
  ...BASE_MIGRATIONS,
  DevMessagesMigration1763700000000,
  IdentityAccounts1763800000001,
  Sessions1763900000000,
  ProfilesAndResets1763900000001,
  PhoneVerification1763900000003,
  Organizations1763900000002,
  Erasure1763900000004,
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
      controllers: [
        AccountsController,
        SessionsController,
        JwksController,
        MeController,
        MarketsController,
        PasswordController,
        PhoneVerificationController,
        LegacyImportController,
        OrganizationsController,
        OAuthController,
        MeEmailController,
        SupportIdentitiesController,
        ErasureController,
      ],
      providers: [
        AccountsService,
        SessionsService,
        MarketsService,
        PasswordService,
        PhoneVerificationService,
        LegacyImportService,
        BootstrapAdmin,
        GuestAccountsService,
        { provide: GuestRegistration, useExisting: GuestAccountsService },
        OrderConfirmedConsumer,
        TokenService,
        { provide: SigningKeyStore, useExisting: KeyResolver },
        OrganizationsService,
        OAuthService,
        EmailChangeService,
        ErasureService,
      ],
    };
  }
}
