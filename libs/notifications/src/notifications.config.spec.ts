import { ConfigError } from '@ticketry/platform';
import { loadNotificationsConfig, NotificationsConfigError } from './notifications.config';

const provider = {
  MESSAGE_TRANSPORT: 'provider',
  SES_REGION: 'eu-north-1',
  SES_FROM: 'Ticketry <no-reply@ticketry.se>',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+46766860000',
};

describe('loadNotificationsConfig', () => {
  it('records messages in the outbox by default outside production', () => {
    expect(loadNotificationsConfig({ NODE_ENV: 'development' })).toEqual({
      mode: 'outbox',
      devMessagesEndpoint: true,
    });
    expect(loadNotificationsConfig({})).toEqual({ mode: 'outbox', devMessagesEndpoint: true });
  });

  it('refuses the outbox in production', () => {
    expect(() => loadNotificationsConfig({ NODE_ENV: 'production', MESSAGE_TRANSPORT: 'outbox' })).toThrow(
      'MESSAGE_TRANSPORT=outbox is not allowed in production',
    );
  });

  it('defaults to the providers in production and names every missing variable at once', () => {
    const load = (): unknown =>
      loadNotificationsConfig({ NODE_ENV: 'production', SES_REGION: 'eu-north-1', TWILIO_FROM: '' });
    expect(load).toThrow(NotificationsConfigError);
    // The service bootstrap prints a ConfigError as one line and exits.
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'SES_FROM is required with MESSAGE_TRANSPORT=provider; TWILIO_ACCOUNT_SID is required with MESSAGE_TRANSPORT=provider; ' +
        'TWILIO_AUTH_TOKEN is required with MESSAGE_TRANSPORT=provider; TWILIO_FROM is required with MESSAGE_TRANSPORT=provider',
    );
  });

  it('reads the provider settings, base URLs included', () => {
    expect(
      loadNotificationsConfig({
        ...provider,
        SES_ENDPOINT: 'http://localhost:4566',
        TWILIO_BASE_URL: 'http://localhost:4010',
      }),
    ).toEqual({
      mode: 'provider',
      ses: {
        region: 'eu-north-1',
        from: 'Ticketry <no-reply@ticketry.se>',
        endpoint: 'http://localhost:4566',
      },
      twilio: {
        accountSid: provider.TWILIO_ACCOUNT_SID,
        authToken: 'token',
        from: '+46766860000',
        baseUrl: 'http://localhost:4010',
      },
    });
  });

  it('rejects malformed values', () => {
    expect(() => loadNotificationsConfig({ MESSAGE_TRANSPORT: 'smtp' })).toThrow(
      'MESSAGE_TRANSPORT must be one of outbox, provider',
    );
    expect(() =>
      loadNotificationsConfig({
        ...provider,
        TWILIO_ACCOUNT_SID: 'SK123',
        TWILIO_FROM: '0766860000',
        SES_ENDPOINT: 'localhost',
      }),
    ).toThrow(
      'SES_ENDPOINT must be an http(s) URL; TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits; TWILIO_FROM must be an E.164 phone number',
    );
  });
});
