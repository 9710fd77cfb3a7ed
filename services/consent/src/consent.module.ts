import { DynamicModule, Module } from '@nestjs/common';
import { BASE_ENTITIES, BASE_MIGRATIONS, MessagingModule } from '@ticketry/messaging';
import {
  DevMessageEntity,
  DevMessagesMigration1763700000000,
  NotificationsModule,
} from '@ticketry/notifications';
import { PlatformModule, ServiceOverrides } from '@ticketry/platform';
import { ConsentConfig } from './config';
import { ConsentNotifications1763800000000 } from './migrations/1763800000000-ConsentNotifications';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationRequestedConsumer } from './notifications/notification-requested.consumer';

export const CONSENT_ENTITIES = [...BASE_ENTITIES, DevMessageEntity, NotificationEntity];
export const CONSENT_MIGRATIONS = [
  ...BASE_MIGRATIONS,
  DevMessagesMigration1763700000000,
  ConsentNotifications1763800000000,
];

/** The consent service: consent, notifications (the platform's notification hub) and GDPR. */
@Module({})
export class ConsentModule {
  static forRoot(config: ConsentConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: ConsentModule,
      imports: [
        PlatformModule.forRoot({
          service: 'consent',
          config,
          clock: overrides.clock,
          entities: CONSENT_ENTITIES,
          migrations: CONSENT_MIGRATIONS,
        }),
        MessagingModule.forRoot({ service: 'consent', produces: ['consent.notification-status.v1'] }),
        NotificationsModule.forRoot(),
      ],
      providers: [NotificationRequestedConsumer],
    };
  }
}
