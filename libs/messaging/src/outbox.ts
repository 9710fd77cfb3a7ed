import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DescMessage, MessageShape, toBinary } from '@bufbuild/protobuf';
import { CLOCK, Clock, CONFIG, currentCorrelationId, PlatformConfig } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { OutboxEntity } from './entities';
import { EVENT_HEADERS, TopicName } from './topics';

export interface IntegrationEvent<D extends DescMessage = DescMessage> {
  topic: TopicName;
  /** Aggregate id (or, for notifications, the recipient): the Kafka message key. */
  key: string;
  schema: D;
  message: MessageShape<D>;
  /** Chosen by the caller when the event must be stable across retries of the same use case. */
  eventId?: string;
}

/**
 * Writes integration events in the caller's transaction: the event exists if and only if the
 * state change it describes was committed. The relay sends it afterwards.
 */
@Injectable()
export class Outbox {
  private readonly topicPrefix: string;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) config: PlatformConfig,
  ) {
    this.topicPrefix = config.KAFKA_TOPIC_PREFIX ?? '';
  }

  async publish<D extends DescMessage>(manager: EntityManager, event: IntegrationEvent<D>): Promise<string> {
    if (!manager.queryRunner?.isTransactionActive) {
      // Outside a transaction the event could be written without its state change, or the reverse.
      throw new Error('Outbox.publish must run inside the transaction of the state change');
    }
    const id = event.eventId ?? randomUUID();
    const headers = { [EVENT_HEADERS.correlationId]: currentCorrelationId() ?? id };
    const table = manager.connection.getMetadata(OutboxEntity).tablePath;
    await manager.query(
      `INSERT INTO ${table} (id, topic, key, event_type, payload, headers, occurred_at, topic_prefix)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        event.topic,
        event.key,
        event.schema.typeName,
        Buffer.from(toBinary(event.schema, event.message)),
        headers,
        this.clock.now(),
        this.topicPrefix,
      ],
    );
    return id;
  }
}
