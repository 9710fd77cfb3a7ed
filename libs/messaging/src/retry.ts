import { KafkaJSError } from 'kafkajs';

/** Exponential backoff with full jitter, capped: spreads retries of many instances apart. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A failure that retrying the same message cannot fix; it goes to the dead letters. */
export class PermanentMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentMessageError';
  }
}

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSServerDoesNotSupportApiKey',
]);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth += 1) {
    chain.push(current);
    const next =
      (current as { originalError?: unknown; cause?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
    current = next === current ? undefined : next;
  }
  return chain;
}

/**
 * Decides whether a failed send is about the broker (down, restarting, electing a leader: wait
 * and retry everything, count nothing against the message) or about this message (too large,
 * invalid: count the attempt, and park it after too many).
 */
/**
 * Errors about the producer's own idempotence state, not the message: after a broker restart the
 * broker may no longer accept the producer's sequence numbers (OUT_OF_ORDER_SEQUENCE_NUMBER) or
 * know its id. kafkajs calls them non-retriable, but the cure is a new producer session (a new
 * producer id), after which the same message goes through. Dead-lettering the message instead
 * would park perfectly good events after every broker restart.
 */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

export function needsProducerReset(error: unknown): boolean {
  return causes(error).some((e) => PRODUCER_STATE_ERRORS.has((e as { type?: string })?.type ?? ''));
}

export function isPermanentKafkaError(error: unknown): boolean {
  if (needsProducerReset(error)) return false;
  const chain = causes(error);
  if (chain.some((e) => e instanceof PermanentMessageError)) return true;
  if (chain.some((e) => TRANSIENT_NAMES.has((e as Error)?.name))) return false;
  const protocol = chain.find((e) => (e as Error)?.name === 'KafkaJSProtocolError') as
    KafkaJSError | undefined;
  if (protocol) return !protocol.retriable;
  return false;
}
