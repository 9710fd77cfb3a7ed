import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { backoffMs, isPermanentKafkaError, PermanentMessageError } from './retry';

describe('isPermanentKafkaError', () => {
  it('treats a broker that is down as transient, also when wrapped by retries', () => {
    const down = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(isPermanentKafkaError(down)).toBe(false);
    expect(isPermanentKafkaError(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 1000 }))).toBe(false);
  });

  it('treats a non-retriable protocol error (message too large) as permanent', () => {
    const tooLarge = new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'too large' });
    expect(isPermanentKafkaError(tooLarge)).toBe(true);
    expect(isPermanentKafkaError(new KafkaJSNumberOfRetriesExceeded(tooLarge, { retryCount: 0, retryTime: 0 }))).toBe(true);
  });

  it('treats a retriable protocol error (leader election) as transient', () => {
    const leader = new KafkaJSProtocolError({ type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true, message: 'no leader' });
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
