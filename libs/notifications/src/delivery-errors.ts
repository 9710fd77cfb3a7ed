import { AppError } from '@ticketry/platform';

export interface ProviderDetails {
  /** Which transport raised it: `ses`, `twilio`, `outbox`, `templates`. */
  transport: string;
  /** The provider's own error code (Twilio `21211`, SES `MessageRejected`), for logs and alerts. */
  providerCode?: string | number;
  providerStatus?: number;
  cause?: unknown;
}

/**
 * Retrying will not help: the recipient is invalid or refused, the template is unknown or its data
 * incomplete. Callers dead-letter the message instead of retrying. It is an AppError (422) so that
 * a synchronous caller (identity sending an OTP to a number Twilio rejects) answers with a stable
 * code rather than a 500; provider details stay on the error object, out of the HTTP body.
 */
export class PermanentDeliveryError extends AppError {
  readonly transport: string;
  readonly providerCode?: string | number;
  readonly providerStatus?: number;

  constructor(code: string, message: string, details: ProviderDetails) {
    super(422, code, message);
    this.transport = details.transport;
    this.providerCode = details.providerCode;
    this.providerStatus = details.providerStatus;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/**
 * The message itself is fine but could not be handed over now (throttled, provider 5xx, network,
 * provider credentials rejected): retry later with backoff. 503 for synchronous callers.
 */
export class TransientDeliveryError extends AppError {
  readonly transport: string;
  readonly providerCode?: string | number;
  readonly providerStatus?: number;

  constructor(message: string, details: ProviderDetails) {
    super(503, 'message_delivery_unavailable', message);
    this.transport = details.transport;
    this.providerCode = details.providerCode;
    this.providerStatus = details.providerStatus;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

export type DeliveryError = PermanentDeliveryError | TransientDeliveryError;

/** Stable codes of PermanentDeliveryError. */
export const PERMANENT_DELIVERY_CODES = {
  recipientInvalid: 'recipient_invalid',
  messageRejected: 'message_rejected',
  templateUnknown: 'template_unknown',
  templateDataMissing: 'template_data_missing',
  channelNotSupported: 'channel_not_supported',
} as const;
