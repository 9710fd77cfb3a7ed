import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import {
  PermanentDeliveryError,
  PERMANENT_DELIVERY_CODES,
  TransientDeliveryError,
  type DeliveryError,
} from './delivery-errors';
import type { MessageTransport, OutgoingMessage, SendResult } from './message';
import { readProviderError } from './provider-error';
import { assertDeliverableRecipient } from './recipient';

export interface SesEmailTransportConfig {
  region: string;
  /** Another SES-compatible endpoint (a local fake in tests, LocalStack); the real one when absent. */
  endpoint?: string;
  /** The verified sender, e.g. `Ticketry <no-reply@ticketry.se>`. */
  from: string;
  /** Static keys; without them the SDK's default chain applies (env, web identity in Kubernetes). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per send, throttling and 5xx included (SDK default 3). */
  maxAttempts?: number;
}

const TRANSPORT = 'ses';

/**
 * Errors that say nothing about the message itself: throttling, an SES outage, or our own account
 * or credentials being in a bad state. The message would go through once that passes, so the caller
 * should retry it rather than dead-letter it.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
  'MailFromDomainNotVerifiedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);

export function classifySesError(error: unknown): DeliveryError {
  const shape = readProviderError(error);
  const name = shape.name ?? 'Error';
  const status = shape.httpStatusCode;
  const details = { transport: TRANSPORT, providerCode: name, providerStatus: status, cause: error };
  const text = `SES could not send the e-mail (${name}${status ? `, HTTP ${status}` : ''}): ${shape.message ?? 'no message'}`;
  // No HTTP status means the request never got an answer (DNS, refused, reset, timeout).
  if (TRANSIENT_ERROR_NAMES.has(name) || status === undefined || status >= 500 || shape.fault === 'server') {
    return new TransientDeliveryError(text, details);
  }
  return new PermanentDeliveryError(PERMANENT_DELIVERY_CODES.messageRejected, text, details);
}

export class SesEmailTransport implements MessageTransport {
  private readonly client: SESClient;

  constructor(private readonly config: SesEmailTransportConfig) {
    this.client = new SESClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
    });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (message.channel !== 'email') {
      throw new PermanentDeliveryError(
        PERMANENT_DELIVERY_CODES.channelNotSupported,
        `SES sends e-mail only, not ${message.channel}.`,
        { transport: TRANSPORT },
      );
    }
    assertDeliverableRecipient(message, TRANSPORT);
    const command = new SendEmailCommand({
      Source: this.config.from,
      Destination: { ToAddresses: [message.to] },
      Message: {
        Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
        Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
      },
    });
    try {
      const output = await this.client.send(command);
      if (!output.MessageId) {
        throw new TransientDeliveryError('SES answered without a MessageId.', { transport: TRANSPORT });
      }
      return { providerMessageId: output.MessageId, transport: TRANSPORT };
    } catch (error: unknown) {
      if (error instanceof PermanentDeliveryError || error instanceof TransientDeliveryError) throw error;
      throw classifySesError(error);
    }
  }

  /** Closes the SDK's keep-alive sockets, so a shutting-down service (or a test) is not held open. */
  close(): void {
    this.client.destroy();
  }
}
