import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Message, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { DeadLetterEntity, OutboxEntity } from './entities';
import { backoffMs, isPermanentKafkaError, needsProducerReset, sleep } from './retry';
import { EVENT_HEADERS, physicalTopic, PROTOBUF_CONTENT_TYPE } from './topics';

export interface RelaySettings {
  topicPrefix: string;
  batchSize: number;
  idleMs: number;
  /** A message failing for its own sake (not the broker's) this many times is dead-lettered. */
  maxAttempts: number;
  /** Published rows are kept this long for diagnosis, then deleted. */
  retentionMs: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  event_type: string;
  payload: Buffer;
  headers: Record<string, string>;
  occurred_at: Date;
  attempts: number;
}

export interface PassResult {
  published: number;
  failed: number;
  brokerDown: boolean;
}

/**
 * Moves committed outbox rows to Kafka. One relay per service schema is active at a time (a
 * transaction-level advisory lock), which is what keeps events of one key in commit order even
 * with many replicas; rows are claimed FOR UPDATE SKIP LOCKED and marked published in the same
 * transaction. If the broker is down nothing is counted against the messages: the relay waits
 * with backoff and resumes, so a broker restart loses nothing. A message the broker refuses for
 * its own sake is retried a few times, then parked in dead_letters; later events of the same key
 * wait behind it until then, other keys flow on.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private controller = new AbortController();
  private loop: Promise<void> | undefined;
  private lastPrune = 0;
  private connected = false;

  private producer: Producer;
  private readonly newProducer: (() => Producer) | undefined;

  /** `producer`: a factory lets the relay replace a producer whose idempotence session broke. */
  constructor(
    private readonly dataSource: DataSource,
    producer: Producer | (() => Producer),
    private readonly settings: RelaySettings,
  ) {
    this.newProducer = typeof producer === 'function' ? producer : undefined;
    this.producer = typeof producer === 'function' ? producer() : producer;
  }

  /**
   * The broker rejected the producer's session (sequence numbers or id unknown after a restart).
   * kafkajs keeps the producer id across reconnects, so only a new producer instance gets a new one.
   */
  private async resetProducer(error: unknown): Promise<void> {
    this.logger.warn(
      { err: error },
      'Kafka producer session invalid (broker restarted?); starting a new one',
    );
    await this.disconnect();
    if (this.newProducer) this.producer = this.newProducer();
  }

  private get table(): string {
    return this.dataSource.getMetadata(OutboxEntity).tablePath;
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /** Stops the loop, then sends what is left (graceful shutdown), for at most `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.controller.abort();
    await this.loop;
    this.loop = undefined;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const result = await this.pass().catch(() => ({ published: 0, failed: 0, brokerDown: true }));
      if (result.brokerDown || result.published + result.failed === 0) break;
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let brokerFailures = 0;
    while (!signal.aborted) {
      let result: PassResult;
      try {
        result = await this.pass();
      } catch (error) {
        this.logger.error({ err: error }, 'outbox relay pass failed');
        result = { published: 0, failed: 0, brokerDown: true };
      }
      if (result.brokerDown) {
        brokerFailures += 1;
        await sleep(backoffMs(brokerFailures, 200, 5000), signal);
        continue;
      }
      if (brokerFailures > 0)
        this.logger.log(`Kafka reachable again after ${brokerFailures} failed attempt(s)`);
      brokerFailures = 0;
      if (Date.now() - this.lastPrune > 60_000) await this.prune().catch(() => undefined);
      if (result.published + result.failed < this.settings.batchSize)
        await sleep(this.settings.idleMs, signal);
    }
  }

  /** The producer connects lazily, so a broker that is down at start only delays the relay. */
  private async ensureConnected(): Promise<boolean> {
    if (this.connected) return true;
    try {
      await this.producer.connect();
      this.connected = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'Kafka producer cannot connect yet');
    }
    return this.connected;
  }

  /** Marks the producer as gone (shutdown); a later pass would reconnect it. */
  async disconnect(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect().catch(() => undefined);
  }

  /** One claim-send-mark cycle; exposed for tests and for draining on shutdown. */
  async pass(): Promise<PassResult> {
    if (!(await this.ensureConnected())) return { published: 0, failed: 0, brokerDown: true };
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
        `${this.table}|${this.settings.topicPrefix}`,
      ])) as [{ locked: boolean }];
      if (!locked) return { published: 0, failed: 0, brokerDown: false };
      const rows = (await manager.query(
        `SELECT id, topic, key, event_type, payload, headers, occurred_at, attempts FROM ${this.table}
         WHERE published_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now() AND topic_prefix = $2
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.settings.batchSize, this.settings.topicPrefix],
      )) as OutboxRow[];
      if (rows.length === 0) return { published: 0, failed: 0, brokerDown: false };
      // An earlier event of the same key still waiting for a retry must go first.
      const blocked = await this.keysWaitingForRetry(manager, rows);
      const sendable = rows.filter((row) => !blocked.has(`${row.topic}\u0000${row.key}`));
      try {
        await this.sendBatch(sendable);
        await this.markPublished(
          manager,
          sendable.map((row) => row.id),
        );
        return { published: sendable.length, failed: 0, brokerDown: false };
      } catch (error) {
        if (needsProducerReset(error)) {
          // Nothing was marked published: the next pass resends from the same row with a new
          // producer session, in order; consumers' inboxes drop what the broker had kept already.
          await this.resetProducer(error);
          return { published: 0, failed: 0, brokerDown: true };
        }
        if (!isPermanentKafkaError(error)) {
          this.logger.warn({ err: error, pending: rows.length }, 'Kafka unavailable; outbox will retry');
          return { published: 0, failed: 0, brokerDown: true };
        }
        return this.sendOneByOne(manager, sendable);
      }
    });
  }

  private async keysWaitingForRetry(manager: EntityManager, rows: OutboxRow[]): Promise<Set<string>> {
    const waiting = (await manager.query(
      `SELECT DISTINCT topic, key FROM ${this.table}
       WHERE published_at IS NULL AND dead_at IS NULL AND next_attempt_at > now() AND attempts > 0
         AND topic_prefix = $2 AND seq < (SELECT max(seq) FROM ${this.table} WHERE id = ANY($1::uuid[]))`,
      [rows.map((row) => row.id), this.settings.topicPrefix],
    )) as { topic: string; key: string }[];
    return new Set(waiting.map((w) => `${w.topic}\u0000${w.key}`));
  }

  private toMessage(row: OutboxRow): Message {
    return {
      key: row.key,
      value: row.payload,
      headers: {
        ...row.headers,
        [EVENT_HEADERS.eventType]: row.event_type,
        [EVENT_HEADERS.eventId]: row.id,
        [EVENT_HEADERS.occurredAt]: new Date(row.occurred_at).toISOString(),
        [EVENT_HEADERS.contentType]: PROTOBUF_CONTENT_TYPE,
      },
    };
  }

  private async sendBatch(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = physicalTopic(this.settings.topicPrefix, row.topic);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), this.toMessage(row)]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async markPublished(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE ${this.table} SET published_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Finds the message(s) the broker refuses, sending the rest in order around them. */
  private async sendOneByOne(manager: EntityManager, rows: OutboxRow[]): Promise<PassResult> {
    const failedKeys = new Set<string>();
    let published = 0;
    let failed = 0;
    for (const row of rows) {
      const keyId = `${row.topic}\u0000${row.key}`;
      if (failedKeys.has(keyId)) continue;
      try {
        await this.sendBatch([row]);
        await this.markPublished(manager, [row.id]);
        published += 1;
      } catch (error) {
        if (needsProducerReset(error)) {
          await this.resetProducer(error);
          return { published, failed, brokerDown: true };
        }
        if (!isPermanentKafkaError(error)) return { published, failed, brokerDown: true };
        failedKeys.add(keyId);
        failed += 1;
        await this.recordFailure(manager, row, error as Error);
      }
    }
    return { published, failed, brokerDown: false };
  }

  private async recordFailure(manager: EntityManager, row: OutboxRow, error: Error): Promise<void> {
    const attempts = row.attempts + 1;
    const type = (error as { type?: string }).type;
    const message = `${error.name}${type ? ` ${type}` : ''}: ${error.message}`.slice(0, 2000);
    if (attempts < this.settings.maxAttempts) {
      const delay = backoffMs(attempts, 1000, 60_000);
      this.logger.warn(
        { eventId: row.id, topic: row.topic, attempts, err: error },
        'broker refused outbox message; will retry',
      );
      await manager.query(
        `UPDATE ${this.table} SET attempts = $2, last_error = $3, next_attempt_at = now() + ($4 || ' milliseconds')::interval WHERE id = $1`,
        [row.id, attempts, message, String(delay)],
      );
      return;
    }
    this.logger.error(
      { eventId: row.id, topic: row.topic, attempts, err: error },
      'outbox message dead-lettered',
    );
    await manager.query(
      `UPDATE ${this.table} SET attempts = $2, last_error = $3, dead_at = now() WHERE id = $1`,
      [row.id, attempts, message],
    );
    await manager.getRepository(DeadLetterEntity).insert({
      id: randomUUID(),
      direction: 'outbound',
      topic: row.topic,
      key: row.key,
      eventId: row.id,
      eventType: row.event_type,
      payload: row.payload,
      headers: row.headers,
      error: message,
      attempts,
    });
  }

  private async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM ${this.table} WHERE published_at < now() - ($1 || ' milliseconds')::interval`,
      [String(this.settings.retentionMs)],
    );
  }
}
