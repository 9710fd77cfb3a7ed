import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { backoffMs, isPermanentKafkaError, needsProducerReset, PermanentMessageError } from './retry';

/** The shape kafkajs builds protocol errors from (its typings only admit Error | string). */
function protocolError(type: string, code: number, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(type), { type, code, retriable }));
}

describe('isPermanentKafkaError', () => {
  it('treats a broker that is down as transient, also when wrapped by retries', () => {
    const down = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(isPermanentKafkaError(down)).toBe(false);
    expect(
      isPermanentKafkaError(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 1000 })),
    ).toBe(false);
  });

  it('treats a non-retriable protocol error (message too large) as permanent', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(isPermanentKafkaError(tooLarge)).toBe(true);
    expect(
      isPermanentKafkaError(new KafkaJSNumberOfRetriesExceeded(tooLarge, { retryCount: 0, retryTime: 0 })),
    ).toBe(true);
  });

  it('treats a retriable protocol error (leader election) as transient', () => {
    const leader = protocolError('LEADER_NOT_AVAILABLE', 5, true);
    expect(isPermanentKafkaError(leader)).toBe(false);
  });

  it('honours an explicit PermanentMessageError', () => {
    expect(isPermanentKafkaError(new PermanentMessageError('cannot decode'))).toBe(true);
  });
});

describe('backoffMs', () => {
  it('grows exponentially and stays within the cap', () => {
    const max = () => 1; // the top of the jitter range
    expect(backoffMs(1, 100, 5000, max)).toBe(100);
    expect(backoffMs(3, 100, 5000, max)).toBe(400);
    expect(backoffMs(20, 100, 5000, max)).toBe(5000);
    expect(backoffMs(3, 100, 5000, () => 0)).toBe(200);
  });
});

describe('producer session errors after a broker restart', () => {
  it('are not the message\u2019s fault: never dead-lettered, but the producer session is replaced', () => {
    for (const [type, code] of [
      ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
      ['UNKNOWN_PRODUCER_ID', 59],
      ['INVALID_PRODUCER_EPOCH', 47],
    ] as const) {
      // kafkajs marks these non-retriable; retrying the same session would fail forever.
      const error = protocolError(type, code, false);
      expect(isPermanentKafkaError(error)).toBe(false);
      expect(needsProducerReset(error)).toBe(true);
      expect(
        needsProducerReset(new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 1000 })),
      ).toBe(true);
    }
  });

  it('leave other refusals alone', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(needsProducerReset(tooLarge)).toBe(false);
    expect(isPermanentKafkaError(tooLarge)).toBe(true);
  });
});
