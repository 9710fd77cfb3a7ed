import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel, LogEntry } from 'kafkajs';
import { TOPICS } from './topics';

let warningFilterInstalled = false;

/**
 * kafkajs 2.2.4 (its last release) makes Node 24 print TimeoutNegativeWarning
 * (tulios/kafkajs#1751); harmless. Only that warning is dropped, and only once Kafka is in use.
 */
function silenceKafkajsTimeoutWarning(): void {
  if (warningFilterInstalled) return;
  warningFilterInstalled = true;
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name =
      typeof warning === 'string'
        ? typeof rest[0] === 'string'
          ? rest[0]
          : (rest[0] as { type?: string } | undefined)?.type
        : warning.name;
    if (name === 'TimeoutNegativeWarning') return;
    original(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** Notices kafkajs prints that describe its defaults, not a problem; kept at debug. */
const BENIGN = [/switched default partitioner/, /Limiting retries for the idempotent producer/];

function logCreator(clientId: string) {
  const logger = new Logger(`kafka:${clientId}`);
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // The client logs every reconnect attempt at ERROR while a broker restarts; our relay and
      // consumers report what matters, so the client's own chatter stays at debug/warn.
      // Our idempotent producer limits retries on purpose: the outbox, not the client, retries forever.
      const benign = BENIGN.some((pattern) => pattern.test(message));
      if (!benign && (level === logLevel.ERROR || level === logLevel.WARN))
        logger.warn({ ...extra }, message);
      else logger.debug({ ...extra }, message);
    };
}

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

/** All Kafka access goes through libs/messaging, so the client library can be swapped in one place. */
export function createKafka(settings: KafkaSettings): Kafka {
  silenceKafkajsTimeoutWarning();
  // The default (murmur2, Java-compatible) partitioner is the one we want; only its notice goes.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 15000,
    retry: { initialRetryTime: 200, maxRetryTime: 3000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: logCreator(settings.clientId),
  });
}

/** Creates missing topics with their partition counts from the topic table (plus dead-letter topics). */
export async function ensureTopics(admin: Admin, prefix: string, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = topics
    .map((topic) => ({ topic, physical: `${prefix}${topic}` }))
    .filter(({ physical }) => !existing.has(physical))
    .map(({ topic, physical }) => {
      const base = topic.endsWith('.dlq') ? topic.slice(0, -4) : topic;
      const partitions = (TOPICS as Record<string, { partitions: number }>)[base]?.partitions ?? 3;
      return { topic: physical, numPartitions: partitions, replicationFactor: -1 };
    });
  if (wanted.length === 0) return;
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: true, timeout: 15000 });
  } catch (error) {
    // Another instance created them first: fine.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
}
