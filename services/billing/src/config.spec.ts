import { ConfigError, loadConfig } from '@ticketry/platform';
import { BillingConfig } from './config';

const base = {
  PORT: '3004',
  DATABASE_URL: 'postgres://billing@localhost:5432/ticketry',
  KAFKA_BROKERS: 'localhost:9092',
};

describe('billing configuration', () => {
  it('pays through the sandbox outside production by default', () => {
    const config = loadConfig(BillingConfig, { ...base, NODE_ENV: 'development' });
    expect(config.paymentProvider).toBe('sandbox');
    expect(config.paymentRetryJobEnabled).toBe(true);
  });

  it('refuses to start in production without a named payment provider (never the sandbox by accident)', () => {
    expect(() => loadConfig(BillingConfig, { ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    const staging = loadConfig(BillingConfig, {
      ...base,
      NODE_ENV: 'production',
      PAYMENT_PROVIDER: 'sandbox',
    });
    expect(staging.paymentProvider).toBe('sandbox');
  });

  it('refuses an unknown payment provider', () => {
    expect(() => loadConfig(BillingConfig, { ...base, PAYMENT_PROVIDER: 'stripe' })).toThrow(
      /PAYMENT_PROVIDER/,
    );
  });

  it('keeps the retry job off under NODE_ENV=test unless asked for', () => {
    expect(loadConfig(BillingConfig, { ...base, NODE_ENV: 'test' }).paymentRetryJobEnabled).toBe(false);
    expect(
      loadConfig(BillingConfig, { ...base, NODE_ENV: 'test', PAYMENT_RETRY_JOB: 'true' })
        .paymentRetryJobEnabled,
    ).toBe(true);
  });
});
