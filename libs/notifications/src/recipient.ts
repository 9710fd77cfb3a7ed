import { PermanentDeliveryError, PERMANENT_DELIVERY_CODES } from './delivery-errors';
import type { OutgoingMessage } from './message';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Every transport applies the same check, so a recipient the provider would refuse is refused by
 * the dev outbox too and tests written against dev behave as production does.
 */
export function assertDeliverableRecipient(message: OutgoingMessage, transport: string): void {
  const ok = message.channel === 'email' ? EMAIL.test(message.to) : E164.test(message.to);
  if (!ok) {
    const expected =
      message.channel === 'email' ? 'an e-mail address' : 'an E.164 phone number (+46701234567)';
    throw new PermanentDeliveryError(
      PERMANENT_DELIVERY_CODES.recipientInvalid,
      `The ${message.channel} recipient "${message.to}" is not ${expected}.`,
      { transport },
    );
  }
}

/**
 * `?to=+46701234567` arrives as " 46701234567" when the client did not percent-encode the `+`
 * (query decoding turns it into a space). Stored phone numbers are always E.164, so bare digits can
 * only mean a phone number: put the `+` back rather than let a dev-sink lookup silently miss.
 */
export function normalizeRecipientQuery(to: string): string {
  const trimmed = to.trim();
  return /^\d{7,15}$/.test(trimmed) ? `+${trimmed}` : trimmed;
}
