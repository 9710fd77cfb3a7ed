import type { EntityManager } from 'typeorm';

export const CHANNELS = ['email', 'sms', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OutgoingMessage {
  channel: Channel;
  /** An e-mail address for `email`, an E.164 phone number (`+46701234567`) for `sms` and `voice`. */
  to: string;
  /** Used by e-mail only; SMS and voice have no subject line. */
  subject?: string;
  body: string;
  /** The template the body was rendered from; kept so the dev outbox and logs can tell messages apart. */
  template: string;
  data: Record<string, string>;
  /** Chosen by the caller; a replay with the same key must not produce a second message where the transport can prevent it. */
  idempotencyKey: string;
  /** BCP 47 language of the body; voice uses it to pick the text-to-speech voice. */
  language?: string;
}

export interface SendOptions {
  /** The caller's transaction: the dev outbox writes through it, so a rollback also withdraws the message. */
  manager?: EntityManager;
}

export interface SendResult {
  providerMessageId: string;
  transport: string;
}

export interface MessageTransport {
  send(message: OutgoingMessage, options?: SendOptions): Promise<SendResult>;
}

/** Injection token for the MessageTransport the NotificationsModule chose from the environment. */
export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');
