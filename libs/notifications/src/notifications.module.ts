import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DevMessagesController } from './dev-messages.controller';
import { DevOutboxTransport } from './dev-outbox.transport';
import { MESSAGE_TRANSPORT, type MessageTransport } from './message';
import { loadNotificationsConfig } from './notifications.config';
import { NotificationSender } from './notification-sender';
import { RoutingTransport } from './routing.transport';
import { SesEmailTransport } from './ses-email.transport';
import { TwilioTransport } from './twilio.transport';

export interface NotificationsModuleOptions {
  /** Read instead of process.env (tests). */
  env?: NodeJS.ProcessEnv;
  /** The TypeORM DataSource holding the service's schema, when it is not the default one. */
  dataSourceName?: string;
}

@Module({})
export class NotificationsModule {
  /**
   * Decides the transport once, at module construction, from the environment; an invalid
   * configuration throws NotificationsConfigError so the service does not start half-working.
   * Global, because many feature modules of a service send messages and there is one transport per app.
   */
  static forRoot(options: NotificationsModuleOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const config = loadNotificationsConfig(env);
    const providers: Provider[] = [
      {
        provide: NotificationSender,
        useFactory: (transport: MessageTransport) => new NotificationSender(transport),
        inject: [MESSAGE_TRANSPORT],
      },
    ];
    const controllers: Type[] = [];
    const exports: Array<Provider | symbol> = [MESSAGE_TRANSPORT, NotificationSender];

    if (config.mode === 'outbox') {
      providers.push(
        {
          provide: DevOutboxTransport,
          useFactory: (dataSource: DataSource) => new DevOutboxTransport(dataSource),
          inject: [getDataSourceToken(options.dataSourceName)],
        },
        { provide: MESSAGE_TRANSPORT, useExisting: DevOutboxTransport },
      );
      exports.push(DevOutboxTransport);
      // Checked again here, not only in the config: the sink exposes every OTP and reset link.
      if (config.devMessagesEndpoint && env.NODE_ENV !== 'production')
        controllers.push(DevMessagesController);
    } else {
      providers.push({
        provide: MESSAGE_TRANSPORT,
        useFactory: () => {
          const twilio = new TwilioTransport(config.twilio);
          return new RoutingTransport({
            email: new SesEmailTransport(config.ses),
            sms: twilio,
            voice: twilio,
          });
        },
      });
    }

    return { module: NotificationsModule, global: true, providers, controllers, exports };
  }
}
