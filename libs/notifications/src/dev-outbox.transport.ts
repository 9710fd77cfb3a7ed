import type { DataSource, EntityManager } from 'typeorm';
import { DevMessageEntity } from './dev-message.entity';
import type { MessageTransport, OutgoingMessage, SendOptions, SendResult } from './message';
import { assertDeliverableRecipient, normalizeRecipientQuery } from './recipient';

const TRANSPORT = 'outbox';
export const DEV_MESSAGES_DEFAULT_LIMIT = 50;
export const DEV_MESSAGES_MAX_LIMIT = 200;

export interface DevMessageQuery {
  /** E-mail address (any case) or phone number; all recipients when absent. */
  to?: string;
  limit?: number;
}

/**
 * Records messages in the service's own `dev_messages` table instead of sending them, so local runs
 * and tests can read the OTP or reset link a real user would have received.
 */
export class DevOutboxTransport implements MessageTransport {
  constructor(private readonly dataSource: DataSource) {
    // Fail at boot, not at the first OTP, when the service forgot to register the entity.
    if (dataSource.isInitialized && !dataSource.hasMetadata(DevMessageEntity)) {
      throw new Error(
        'DevMessageEntity is not registered with the DataSource: add NOTIFICATIONS_ENTITIES to the service entities ' +
          'and DevMessagesMigration1763700000000 to its migrations.',
      );
    }
  }

  /**
   * Written through the caller's manager when given, so the message exists only if the caller's
   * transaction commits, as a message handed to an outbox relay would. A repeated idempotency key
   * returns the first row instead of adding one, mirroring a provider call made at most once.
   */
  async send(message: OutgoingMessage, options: SendOptions = {}): Promise<SendResult> {
    assertDeliverableRecipient(message, TRANSPORT);
    const manager: EntityManager = options.manager ?? this.dataSource.manager;
    const inserted: unknown = (
      await manager
        .createQueryBuilder()
        .insert()
        .into(DevMessageEntity)
        .values({
          channel: message.channel,
          toAddress: message.to,
          subject: message.subject ?? null,
          body: message.body,
          template: message.template,
          data: message.data,
          idempotencyKey: message.idempotencyKey,
        })
        .orIgnore()
        .returning(['id'])
        .execute()
    ).raw;
    const id = Array.isArray(inserted) ? readId(inserted[0]) : undefined;
    if (id) return { providerMessageId: id, transport: TRANSPORT };
    const existing = await manager.findOneOrFail(DevMessageEntity, {
      where: { idempotencyKey: message.idempotencyKey },
      select: { id: true },
    });
    return { providerMessageId: existing.id, transport: TRANSPORT };
  }

  /** Newest first; the clock_timestamp() default orders messages even within one transaction. */
  async list(query: DevMessageQuery = {}): Promise<DevMessageEntity[]> {
    const limit = Math.min(Math.max(query.limit ?? DEV_MESSAGES_DEFAULT_LIMIT, 1), DEV_MESSAGES_MAX_LIMIT);
    const builder = this.dataSource.getRepository(DevMessageEntity).createQueryBuilder('message');
    if (query.to !== undefined && query.to.trim() !== '') {
      builder.where('lower(message.to_address) = lower(:to)', { to: normalizeRecipientQuery(query.to) });
    }
    return builder
      .orderBy('message.createdAt', 'DESC')
      .addOrderBy('message.id', 'DESC')
      .limit(limit)
      .getMany();
  }
}

function readId(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const id = (row as Record<string, unknown>).id;
  return typeof id === 'string' ? id : undefined;
}
