import { PermanentDeliveryError, TransientDeliveryError } from './delivery-errors';
import type { OutgoingMessage } from './message';
import {
  formFields,
  startRecordingServer,
  type CannedResponse,
  type RecordingServer,
} from './testing/recording-server';
import { rewriteTwilioUri, TwilioTransport } from './twilio.transport';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'test-auth-token';
const FROM = '+46766860000';

const json = (status: number, body: object): CannedResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

/** Answers like api.twilio.com: Basic auth with sid:token, form body, JSON resource with a sid. */
function fakeTwilio(request: {
  method: string;
  path: string;
  headers: { authorization?: string };
  body: string;
}): CannedResponse {
  const expectedAuth = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
  if (request.headers.authorization !== expectedAuth) {
    return json(401, {
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  }
  const fields = formFields(request.body);
  if (request.method === 'POST' && request.path === `/2010-04-01/Accounts/${SID}/Messages.json`) {
    return json(201, {
      sid: 'SM00000000000000000000000000000001',
      account_sid: SID,
      to: fields.To,
      from: fields.From,
      body: fields.Body,
      status: 'queued',
    });
  }
  if (request.method === 'POST' && request.path === `/2010-04-01/Accounts/${SID}/Calls.json`) {
    return json(201, {
      sid: 'CA00000000000000000000000000000001',
      account_sid: SID,
      to: fields.To,
      from: fields.From,
      status: 'queued',
    });
  }
  return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
}

function anSms(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    channel: 'sms',
    to: '+46701234567',
    body: 'Din verifieringskod från Ticketry är 123456.',
    template: 'phone_verification_code',
    data: { code: '123456' },
    idempotencyKey: 'otp-1',
    ...overrides,
  };
}

describe('TwilioTransport against a Twilio REST API stand-in', () => {
  let server: RecordingServer;
  let transport: TwilioTransport;

  beforeEach(async () => {
    server = await startRecordingServer(fakeTwilio);
    transport = new TwilioTransport({
      accountSid: SID,
      authToken: TOKEN,
      from: FROM,
      baseUrl: server.url,
      timeoutMs: 2000,
    });
  });

  afterEach(() => server.close());

  it('sends an SMS through Messages.json with To, From and Body, authenticated as the account', async () => {
    const result = await transport.send(anSms());

    expect(result).toEqual({
      providerMessageId: 'SM00000000000000000000000000000001',
      transport: 'twilio-sms',
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(server.requests[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(formFields(server.requests[0].body)).toEqual({
      To: '+46701234567',
      From: FROM,
      Body: 'Din verifieringskod från Ticketry är 123456.',
    });
  });

  it('places a voice call through Calls.json whose TwiML says the body twice in the message language', async () => {
    const result = await transport.send(
      anSms({
        channel: 'voice',
        body: 'Din verifieringskod från Ticketry är 1, 2, 3, 4, 5, 6.',
        language: 'sv',
      }),
    );

    expect(result).toEqual({
      providerMessageId: 'CA00000000000000000000000000000001',
      transport: 'twilio-voice',
    });
    expect(server.requests[0].path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    const fields = formFields(server.requests[0].body);
    expect(fields.To).toBe('+46701234567');
    expect(fields.From).toBe(FROM);
    expect(fields.Twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="sv-SE" loop="2">Din verifieringskod från Ticketry är 1, 2, 3, 4, 5, 6.</Say></Response>',
    );
  });

  it('escapes the body inside the TwiML', async () => {
    await transport.send(anSms({ channel: 'voice', body: 'Code <1> & "2"' }));

    expect(formFields(server.requests[0].body).Twiml).toContain('>Code &lt;1&gt; &amp; "2"</Say>');
  });

  it("maps Twilio 21211 (invalid 'To' number) to a permanent recipient_invalid error", async () => {
    server.respondWith(() =>
      json(400, {
        code: 21211,
        message: "The 'To' number +46700000000 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      }),
    );

    const error: unknown = await transport.send(anSms({ to: '+46700000000' })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({
      code: 'recipient_invalid',
      providerCode: 21211,
      providerStatus: 400,
      transport: 'twilio',
    });
  });

  it('maps another 4xx refusal (21610, recipient unsubscribed) to a permanent message_rejected error', async () => {
    server.respondWith(() =>
      json(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 }),
    );

    await expect(transport.send(anSms())).rejects.toMatchObject({
      code: 'message_rejected',
      providerCode: 21610,
    });
  });

  it('maps 429 Too Many Requests to a transient error, without retrying itself', async () => {
    server.respondWith(() => json(429, { code: 20429, message: 'Too Many Requests', status: 429 }));

    const error: unknown = await transport.send(anSms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ providerStatus: 429, providerCode: 20429 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a Twilio 5xx and refused credentials to transient errors', async () => {
    server.respondWith(() => json(503, { code: 20500, message: 'Internal Server Error', status: 503 }));
    await expect(transport.send(anSms())).rejects.toBeInstanceOf(TransientDeliveryError);

    const wrongToken = new TwilioTransport({
      accountSid: SID,
      authToken: 'wrong',
      from: FROM,
      baseUrl: server.url,
    });
    server.respondWith(fakeTwilio);
    await expect(wrongToken.send(anSms())).rejects.toMatchObject({
      providerStatus: 401,
      code: 'message_delivery_unavailable',
    });
  });

  it('refuses e-mail and a number that is not E.164 without calling Twilio', async () => {
    await expect(transport.send(anSms({ channel: 'email', to: 'a@example.com' }))).rejects.toMatchObject({
      code: 'channel_not_supported',
    });
    await expect(transport.send(anSms({ to: '0701234567' }))).rejects.toMatchObject({
      code: 'recipient_invalid',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('rewriteTwilioUri', () => {
  it('moves any *.twilio.com URI to the base URL, keeping path, query and a base path prefix', () => {
    expect(
      rewriteTwilioUri(
        'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1',
        'http://127.0.0.1:4010/twilio/',
      ),
    ).toBe('http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/Messages.json?x=1');
    expect(
      rewriteTwilioUri('https://api.dublin.ie1.twilio.com/2010-04-01/Calls.json', 'http://mock:8080'),
    ).toBe('http://mock:8080/2010-04-01/Calls.json');
    expect(rewriteTwilioUri('https://example.com/a', 'http://mock:8080')).toBe('https://example.com/a');
  });
});
