import { DevMessageEntity } from './dev-message.entity';
import { DevMessagesMigration1763700000000 } from './dev-messages.migration';

export * from './message';
export * from './delivery-errors';
export { assertDeliverableRecipient, normalizeRecipientQuery } from './recipient';
export * from './templates';
export * from './ses-email.transport';
export * from './twilio.transport';
export * from './dev-message.entity';
export * from './dev-messages.migration';
export * from './dev-outbox.transport';
export * from './dev-messages.controller';
export * from './routing.transport';
export * from './notification-sender';
export * from './notifications.config';
export * from './notifications.module';

/** Add to the service's TypeORM `entities` and `migrations` lists. */
export const NOTIFICATIONS_ENTITIES = [DevMessageEntity];
export const NOTIFICATIONS_MIGRATIONS = [DevMessagesMigration1763700000000];
