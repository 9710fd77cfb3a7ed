import { PermanentDeliveryError, TransientDeliveryError } from './delivery-errors';
import type { OutgoingMessage } from './message';
import { SesEmailTransport } from './ses-email.transport';
import {
  formFields,
  startRecordingServer,
  type CannedResponse,
  type RecordingServer,
} from './testing/recording-server';

const ok = (messageId: string): CannedResponse => ({
  status: 200,
  contentType: 'text/xml',
  body: `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <SendEmailResult><MessageId>${messageId}</MessageId></SendEmailResult>
  <ResponseMetadata><RequestId>d5964849-c866-11e0-9beb-01a62d68c57f</RequestId></ResponseMetadata>
</SendEmailResponse>`,
});

const sesError = (status: number, code: string, message: string, type = 'Sender'): CannedResponse => ({
  status,
  contentType: 'text/xml',
  body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>a1b2c3</RequestId>
</ErrorResponse>`,
});

function anEmail(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    channel: 'email',
    to: 'åsa.öberg@example.se',
    subject: 'Återställ ditt lösenord för Ticketry',
    body: 'Hej Åsa,\n\nAnvänd länken: https://ticketry.test/reset?t=abc',
    template: 'password_reset',
    data: { link: 'https://ticketry.test/reset?t=abc' },
    idempotencyKey: 'reset-1',
    ...overrides,
  };
}

describe('SesEmailTransport against an SES Query API stand-in', () => {
  let server: RecordingServer;
  const transports: SesEmailTransport[] = [];

  const transport = (maxAttempts = 1): SesEmailTransport => {
    const created = new SesEmailTransport({
      region: 'eu-north-1',
      endpoint: server.url,
      from: 'Ticketry <no-reply@ticketry.test>',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts,
    });
    transports.push(created);
    return created;
  };

  beforeEach(async () => {
    server = await startRecordingServer(() => ok('0100018c-0000-4000-8000-000000000001'));
  });

  afterEach(async () => {
    transports.splice(0).forEach((t) => t.close());
    await server.close();
  });

  it('sends SendEmail with the configured Source, the recipient and a UTF-8 subject and text body', async () => {
    const result = await transport().send(anEmail());

    expect(result).toEqual({ providerMessageId: '0100018c-0000-4000-8000-000000000001', transport: 'ses' });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-north-1\/ses\/aws4_request/,
    );
    expect(formFields(request.body)).toEqual({
      Action: 'SendEmail',
      Version: '2010-12-01',
      Source: 'Ticketry <no-reply@ticketry.test>',
      'Destination.ToAddresses.member.1': 'åsa.öberg@example.se',
      'Message.Subject.Data': 'Återställ ditt lösenord för Ticketry',
      'Message.Subject.Charset': 'UTF-8',
      'Message.Body.Text.Data': 'Hej Åsa,\n\nAnvänd länken: https://ticketry.test/reset?t=abc',
      'Message.Body.Text.Charset': 'UTF-8',
    });
  });

  it('maps MessageRejected to a permanent error carrying the SES code', async () => {
    server.respondWith(() => sesError(400, 'MessageRejected', 'Email address is not verified.'));

    const error: unknown = await transport()
      .send(anEmail())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({
      code: 'message_rejected',
      providerCode: 'MessageRejected',
      providerStatus: 400,
      transport: 'ses',
    });
    expect((error as Error).message).toContain('Email address is not verified.');
  });

  it('maps Throttling (400) to a transient error', async () => {
    server.respondWith(() => sesError(400, 'Throttling', 'Maximum sending rate exceeded.'));

    const error: unknown = await transport()
      .send(anEmail())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({
      code: 'message_delivery_unavailable',
      providerCode: 'Throttling',
      status: 503,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a 503 from SES to a transient error', async () => {
    server.respondWith(() => sesError(503, 'ServiceUnavailable', 'Service is unavailable.', 'Receiver'));

    await expect(transport().send(anEmail())).rejects.toBeInstanceOf(TransientDeliveryError);
  });

  it('lets the SDK retry a throttled send when more attempts are allowed', async () => {
    server.respondWith((_request, index) =>
      index === 0 ? sesError(400, 'Throttling', 'Maximum sending rate exceeded.') : ok('second-attempt'),
    );

    const result = await transport(3).send(anEmail());

    expect(result.providerMessageId).toBe('second-attempt');
    expect(server.requests).toHaveLength(2);
  });

  it('maps an unreachable endpoint to a transient error', async () => {
    const unreachable = transport();
    await server.close();
    server = await startRecordingServer(() => ok('unused'));

    await expect(unreachable.send(anEmail())).rejects.toBeInstanceOf(TransientDeliveryError);
  });

  it('refuses SMS and a malformed address without calling SES', async () => {
    await expect(transport().send(anEmail({ channel: 'sms', to: '+46701234567' }))).rejects.toMatchObject({
      code: 'channel_not_supported',
    });
    await expect(transport().send(anEmail({ to: 'not-an-address' }))).rejects.toMatchObject({
      code: 'recipient_invalid',
    });
    expect(server.requests).toHaveLength(0);
  });
});
