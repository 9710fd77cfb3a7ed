import { Test } from '@nestjs/testing';
import { DevMessagesController } from './dev-messages.controller';
import {
  MESSAGE_TRANSPORT,
  type MessageTransport,
  type OutgoingMessage,
  type SendOptions,
  type SendResult,
} from './message';
import { NotificationSender } from './notification-sender';
import { NotificationsModule } from './notifications.module';
import { RoutingTransport } from './routing.transport';
import { formFields, startRecordingServer, type RecordingServer } from './testing/recording-server';

/** Keeps what it was given, so the assertions are on the message that would leave the service. */
class RecordingTransport implements MessageTransport {
  readonly sent: Array<{ message: OutgoingMessage; options?: SendOptions }> = [];

  constructor(private readonly name: string) {}

  async send(message: OutgoingMessage, options?: SendOptions): Promise<SendResult> {
    this.sent.push({ message, options });
    return { providerMessageId: `${this.name}-${this.sent.length}`, transport: this.name };
  }
}

describe('NotificationSender', () => {
  it('renders the template in the recipient language and sends e-mail with a subject', async () => {
    const transport = new RecordingTransport('fake');
    const result = await new NotificationSender(transport).deliver({
      channel: 'email',
      to: 'ada@example.com',
      template: 'password_reset',
      data: { link: 'https://t.test/r/1' },
      language: 'sv-SE',
      idempotencyKey: 'reset-42',
    });

    expect(result).toEqual({ providerMessageId: 'fake-1', transport: 'fake' });
    expect(transport.sent[0].message).toMatchObject({
      channel: 'email',
      to: 'ada@example.com',
      subject: 'Återställ ditt lösenord för Ticketry',
      template: 'password_reset',
      data: { link: 'https://t.test/r/1' },
      idempotencyKey: 'reset-42',
      language: 'sv',
    });
    expect(transport.sent[0].message.body).toContain('https://t.test/r/1');
  });

  it('sends SMS without a subject and passes the caller transaction on', async () => {
    const transport = new RecordingTransport('fake');
    const manager = {} as NonNullable<SendOptions['manager']>;

    await new NotificationSender(transport).deliver(
      {
        channel: 'sms',
        to: '+46701234567',
        template: 'phone_verification_code',
        data: { code: '111222' },
        idempotencyKey: 'otp-9',
      },
      { manager },
    );

    expect(transport.sent[0].message.subject).toBeUndefined();
    expect(transport.sent[0].message.body).toContain('111222');
    expect(transport.sent[0].options?.manager).toBe(manager);
  });

  it('does not reach the transport when the template cannot be rendered', async () => {
    const transport = new RecordingTransport('fake');

    await expect(
      new NotificationSender(transport).deliver({
        channel: 'sms',
        to: '+46701234567',
        template: 'step_up_code',
        data: {},
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ code: 'template_data_missing' });
    expect(transport.sent).toHaveLength(0);
  });
});

describe('RoutingTransport', () => {
  it('sends each channel through its own transport and refuses a channel without one', async () => {
    const email = new RecordingTransport('email');
    const phone = new RecordingTransport('phone');
    const routing = new RoutingTransport({ email, sms: phone });
    const base = { body: 'b', template: 'generic', data: {}, idempotencyKey: 'k' };

    await routing.send({ ...base, channel: 'email', to: 'a@example.com' });
    await routing.send({ ...base, channel: 'sms', to: '+46701234567' });

    expect(email.sent.map((s) => s.message.channel)).toEqual(['email']);
    expect(phone.sent.map((s) => s.message.channel)).toEqual(['sms']);
    await expect(routing.send({ ...base, channel: 'voice', to: '+46701234567' })).rejects.toMatchObject({
      code: 'channel_not_supported',
    });
  });
});

describe('NotificationsModule.forRoot', () => {
  const provider = {
    NODE_ENV: 'production',
    SES_REGION: 'eu-north-1',
    SES_FROM: 'no-reply@ticketry.test',
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_AUTH_TOKEN: 'token',
    TWILIO_FROM: '+46766860000',
  };

  it('registers the dev messages endpoint only for the outbox outside production', () => {
    expect(NotificationsModule.forRoot({ env: { NODE_ENV: 'development' } }).controllers).toEqual([
      DevMessagesController,
    ]);
    expect(
      NotificationsModule.forRoot({ env: { NODE_ENV: 'test', MESSAGE_TRANSPORT: 'outbox' } }).controllers,
    ).toEqual([DevMessagesController]);
    expect(NotificationsModule.forRoot({ env: provider }).controllers).toEqual([]);
    expect(
      NotificationsModule.forRoot({
        env: { ...provider, NODE_ENV: 'development', MESSAGE_TRANSPORT: 'provider' },
      }).controllers,
    ).toEqual([]);
  });

  it('refuses to start with the outbox in production', () => {
    expect(() =>
      NotificationsModule.forRoot({ env: { NODE_ENV: 'production', MESSAGE_TRANSPORT: 'outbox' } }),
    ).toThrow('MESSAGE_TRANSPORT=outbox is not allowed in production');
  });

  describe('with MESSAGE_TRANSPORT=provider', () => {
    let twilio: RecordingServer;

    beforeAll(async () => {
      twilio = await startRecordingServer(() => ({
        status: 201,
        contentType: 'application/json',
        body: JSON.stringify({ sid: 'SM00000000000000000000000000000009', status: 'queued' }),
      }));
    });

    afterAll(() => twilio.close());

    it('routes an SMS from NotificationSender to Twilio at TWILIO_BASE_URL', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [NotificationsModule.forRoot({ env: { ...provider, TWILIO_BASE_URL: twilio.url } })],
      }).compile();

      expect(moduleRef.get<MessageTransport>(MESSAGE_TRANSPORT)).toBeInstanceOf(RoutingTransport);
      const result = await moduleRef.get(NotificationSender).deliver({
        channel: 'sms',
        to: '+46701234567',
        template: 'phone_verification_code',
        data: { code: '654321' },
        language: 'sv',
        idempotencyKey: 'otp-module',
      });
      await moduleRef.close();

      expect(result).toEqual({
        providerMessageId: 'SM00000000000000000000000000000009',
        transport: 'twilio-sms',
      });
      expect(twilio.requests[0].path).toBe(
        `/2010-04-01/Accounts/${provider.TWILIO_ACCOUNT_SID}/Messages.json`,
      );
      expect(formFields(twilio.requests[0].body)).toEqual({
        To: '+46701234567',
        From: '+46766860000',
        Body: 'Din verifieringskod från Ticketry är 654321. Den gäller i 10 minuter.',
      });
    });
  });
});
