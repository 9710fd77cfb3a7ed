/**
 * The notification hub's decision, as plain data: whether a requested message may be sent.
 * CON-3: transactional messages (receipts, tickets, renewal notices, codes) always go out.
 * CON-1/CON-2: marketing goes out only with an opt-in for that market and channel (and, for an
 * organizer's marketing, that organizer).
 */
export type NotificationKind = 'transactional' | 'marketing';
export type Channel = 'email' | 'sms' | 'voice';

export interface NotificationRequest {
  notificationId: string;
  channel: Channel;
  kind: NotificationKind;
  recipient: string;
  template: string;
  market: string;
  organizationId?: string;
}

export type Decision =
  { send: true } | { send: false; reason: 'no_marketing_consent' | 'unsupported_channel' };

export function decideDelivery(request: NotificationRequest, hasMarketingConsent: boolean): Decision {
  if (request.kind === 'transactional') return { send: true };
  // Marketing by voice call is never something a consent covers.
  if (request.channel === 'voice') return { send: false, reason: 'unsupported_channel' };
  return hasMarketingConsent ? { send: true } : { send: false, reason: 'no_marketing_consent' };
}
