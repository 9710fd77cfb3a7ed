import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createKafka, EVENT_HEADERS } from '@ticketry/messaging';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { currentInfra } from './infra';

export function testKafka(): Kafka {
  return createKafka({ brokers: currentInfra().kafkaBrokers.split(','), clientId: 'ticketry-tests' });
}

export interface RecordedMessage {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function toRecord(topic: string, message: KafkaMessage): RecordedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? ({} as IHeaders))) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return { topic, key: message.key?.toString() ?? null, value: message.value, headers };
}

/** Records everything published on the given topics, to assert on the events a service emits. */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka) {}

  async start(topics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `recorder-${Date.now()}-${Math.random()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => void this.messages.push(toRecord(topic, message)),
    });
    await joined;
  }

  ofType(eventType: string): RecordedMessage[] {
    return this.messages.filter((m) => m.headers[EVENT_HEADERS.eventType] === eventType);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

const run = promisify(execFile);

async function kafkaScript(command: 'stop' | 'start'): Promise<number> {
  if (currentInfra().kafkaControl !== 'script') {
    throw new Error('This test stops the broker; it needs TICKETRY_KAFKA_CONTROL=script (npm test sets it).');
  }
  const script = path.resolve(__dirname, '../../../scripts/kafka.sh');
  const started = Date.now();
  // Asynchronous on purpose: the services under test share this process and must keep running.
  await run('bash', [script, command], { timeout: 120_000 });
  return Date.now() - started;
}

/** Stops the real broker (scripts/kafka.sh); only where the tests control it. Returns milliseconds taken. */
export function stopKafka(): Promise<number> {
  return kafkaScript('stop');
}

export function startKafka(): Promise<number> {
  return kafkaScript('start');
}

export function canRestartKafka(): boolean {
  return currentInfra().kafkaControl === 'script';
}
