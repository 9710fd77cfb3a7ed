import { randomUUID } from 'node:crypto';
import { consentEvents, create, timestampFromDate } from '@ticketry/contracts';
import type { EntityManager } from 'typeorm';
import type { Outbox } from './outbox';

export interface NotificationRequest {
  channel: 'email' | 'sms' | 'voice';
  template: string;
  recipient: string;
  data: Record<string, string>;
  /** CON-3: transactional messages are always sent; marketing needs consent (CON-1). */
  kind: 'transactional' | 'marketing';
  market: string;
  language: string;
  identityId?: string;
  organizationId?: string;
  requestedBy: string;
  requestedAt: Date;
}

const CHANNELS = {
  email: consentEvents.Channel.EMAIL,
  sms: consentEvents.Channel.SMS,
  voice: consentEvents.Channel.VOICE,
} as const;

const KINDS = {
  transactional: consentEvents.NotificationKind.TRANSACTIONAL,
  marketing: consentEvents.NotificationKind.MARKETING,
} as const;

/**
 * Asks the consent service (the notification hub) to send a message, in the caller's
 * transaction: the message is requested if and only if the state change commits.
 * Keyed by recipient so one person's messages arrive in order.
 */
export async function requestNotification(
  outbox: Outbox,
  manager: EntityManager,
  request: NotificationRequest,
): Promise<string> {
  const notificationId = randomUUID();
  await outbox.publish(manager, {
    topic: 'consent.notification.v1',
    key: request.recipient,
    schema: consentEvents.NotificationRequestedSchema,
    message: create(consentEvents.NotificationRequestedSchema, {
      notificationId,
      channel: CHANNELS[request.channel],
      template: request.template,
      recipient: request.recipient,
      data: request.data,
      kind: KINDS[request.kind],
      market: request.market,
      language: request.language,
      identityId: request.identityId,
      organizationId: request.organizationId,
      requestedAt: timestampFromDate(request.requestedAt),
      requestedBy: request.requestedBy,
    }),
  });
  return notificationId;
}
