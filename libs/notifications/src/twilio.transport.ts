import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import {
  PermanentDeliveryError,
  PERMANENT_DELIVERY_CODES,
  TransientDeliveryError,
  type DeliveryError,
} from './delivery-errors';
import type { MessageTransport, OutgoingMessage, SendResult } from './message';
import { readProviderError } from './provider-error';
import { assertDeliverableRecipient } from './recipient';
import { resolveLanguage, type Language } from './templates';

export interface TwilioTransportConfig {
  accountSid: string;
  authToken: string;
  /** Our Twilio number (E.164); the sender of SMS and the caller id of voice calls. */
  from: string;
  /**
   * Sends every API call to this base URL instead of https://api.twilio.com (a local fake in tests,
   * a mock server in dev); the path (`/2010-04-01/Accounts/{Sid}/Messages.json`) is kept.
   */
  baseUrl?: string;
  /** Per request. The SDK default is 30 s, too long for a user waiting for an OTP. */
  timeoutMs?: number;
}

const TRANSPORT = 'twilio';

/** The number itself is wrong, so no retry can deliver to it. */
const INVALID_RECIPIENT_CODES = new Set([
  21211, // Invalid 'To' phone number
  21217, // Phone number does not appear to be valid
  21401, // Invalid phone number
  21614, // 'To' number is not a valid mobile number
  13223, // Dial: invalid phone number format
  13224, // Dial: invalid phone number
]);

/**
 * Twilio's SDK has no base-URL option (only `edge`/`region`, which still resolve to *.twilio.com),
 * but it takes a custom `httpClient`; rewriting the URI there lets the unchanged SDK code build,
 * authenticate and parse requests against another server.
 */
export function rewriteTwilioUri(uri: string, baseUrl: string): string {
  const original = new URL(uri);
  if (original.hostname !== 'twilio.com' && !original.hostname.endsWith('.twilio.com')) return uri;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${original.pathname}${original.search}`;
}

export class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, this.baseUrl) });
  }
}

/**
 * Permanent only when the message or its recipient is at fault (4xx). Throttling (429), Twilio
 * outages (5xx), no answer at all, and our own credentials being refused (401/403, which an operator
 * fixes without the message changing) are transient.
 */
export function classifyTwilioError(error: unknown): DeliveryError {
  const shape = readProviderError(error);
  const status = shape.status;
  const code = shape.code;
  const details = { transport: TRANSPORT, providerCode: code, providerStatus: status, cause: error };
  const text = `Twilio refused the message (${status !== undefined ? `HTTP ${status}` : 'no answer'}${
    code !== undefined ? `, code ${code}` : ''
  }): ${shape.message ?? 'no message'}`;
  if (
    status === undefined ||
    status === 401 ||
    status === 403 ||
    status === 408 ||
    status === 429 ||
    status >= 500
  ) {
    return new TransientDeliveryError(text, details);
  }
  if (typeof code === 'number' && INVALID_RECIPIENT_CODES.has(code)) {
    return new PermanentDeliveryError(PERMANENT_DELIVERY_CODES.recipientInvalid, text, details);
  }
  return new PermanentDeliveryError(PERMANENT_DELIVERY_CODES.messageRejected, text, details);
}

const SAY_LANGUAGES: Record<Language, NonNullable<VoiceResponse.SayAttributes['language']>> = {
  en: 'en-GB',
  sv: 'sv-SE',
};

/** Said twice: a listener who picks up mid-sentence still hears the whole code once. */
export function voiceTwiml(body: string, language: string | undefined): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({ language: SAY_LANGUAGES[resolveLanguage(language)], loop: 2 }, body);
  return response.toString();
}

export class TwilioTransport implements MessageTransport {
  private readonly client: twilio.Twilio;

  constructor(private readonly config: TwilioTransportConfig) {
    const requestOptions: RequestClient.RequestClientOptions = { timeout: config.timeoutMs ?? 10_000 };
    const httpClient = config.baseUrl
      ? new BaseUrlRequestClient(config.baseUrl, requestOptions)
      : new twilio.RequestClient(requestOptions);
    // autoRetry stays off: retrying is the caller's decision, made from the error we raise.
    this.client = twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (message.channel === 'email') {
      throw new PermanentDeliveryError(
        PERMANENT_DELIVERY_CODES.channelNotSupported,
        'Twilio does not send e-mail.',
        {
          transport: TRANSPORT,
        },
      );
    }
    assertDeliverableRecipient(message, TRANSPORT);
    try {
      if (message.channel === 'sms') {
        const sent = await this.client.messages.create({
          to: message.to,
          from: this.config.from,
          body: message.body,
        });
        return { providerMessageId: sent.sid, transport: `${TRANSPORT}-sms` };
      }
      const call = await this.client.calls.create({
        to: message.to,
        from: this.config.from,
        twiml: voiceTwiml(message.body, message.language),
      });
      return { providerMessageId: call.sid, transport: `${TRANSPORT}-voice` };
    } catch (error: unknown) {
      throw classifyTwilioError(error);
    }
  }
}
