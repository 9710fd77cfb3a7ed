/**
 * Every topic in one table (engineering.md, convention 3): `<service>.<aggregate>.v<N>`, the
 * owning service, and the partition count. Message key = aggregate id, always, so one aggregate's
 * events stay in order on one partition. A breaking schema change is a new topic version.
 */
export const TOPICS = {
  'identity.identity.v1': { owner: 'identity', partitions: 6, key: 'identity id' },
  'catalog.event.v1': { owner: 'catalog', partitions: 6, key: 'event id' },
  'orders.order.v1': { owner: 'orders', partitions: 12, key: 'order id' },
  'orders.availability.v1': { owner: 'orders', partitions: 6, key: 'event id' },
  'billing.payment.v1': { owner: 'billing', partitions: 12, key: 'payment id' },
  'consent.notification.v1': { owner: 'consent', partitions: 6, key: 'recipient (e-mail or phone)' },
  'consent.notification-status.v1': { owner: 'consent', partitions: 6, key: 'notification id' },
} as const satisfies Record<string, { owner: string; partitions: number; key: string }>;

export type TopicName = keyof typeof TOPICS;

export const DEAD_LETTER_SUFFIX = '.dlq';

/** Headers on every integration event (api.md, "Events on Kafka"). */
export const EVENT_HEADERS = {
  eventType: 'event-type',
  eventId: 'event-id',
  occurredAt: 'occurred-at',
  correlationId: 'correlation-id',
  contentType: 'content-type',
} as const;

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

export function physicalTopic(prefix: string, topic: string): string {
  return `${prefix}${topic}`;
}

export function logicalTopic(prefix: string, physical: string): string {
  return prefix && physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;
}

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}
