import { PlatformTables1763600000000, RateLimitTables1763600000002 } from '@ticketry/platform';
import { MESSAGING_ENTITIES } from './entities';
import { MessagingTables1763600000001 } from './messaging-tables.migration';
import { OutboxTopicPrefix1765100000000 } from './outbox-prefix.migration';

/**
 * Tables every service schema has, whatever the service does: idempotency keys, outbox, inbox,
 * dead letters, rate limits. A service lists these first, then its own.
 */
export const BASE_MIGRATIONS = [
  PlatformTables1763600000000,
  MessagingTables1763600000001,
  RateLimitTables1763600000002,
  OutboxTopicPrefix1765100000000,
];
export const BASE_ENTITIES = [...MESSAGING_ENTITIES];
