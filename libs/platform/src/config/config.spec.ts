import { IsString } from 'class-validator';
import { ConfigError, loadConfig, PlatformConfig } from './config';

class ExampleConfig extends PlatformConfig {
  @IsString({ message: 'is required' })
  SES_FROM!: string;
}

const valid = {
  PORT: '3001',
  DATABASE_URL: 'postgres://identity@127.0.0.1:5432/ticketry',
  KAFKA_BROKERS: '127.0.0.1:9092',
  SES_FROM: 'noreply@ticketry.local',
};

describe('loadConfig', () => {
  it('converts and defaults values', () => {
    const config = loadConfig(ExampleConfig, valid);
    expect(config.PORT).toBe(3001);
    expect(config.NODE_ENV).toBe('development');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.SES_FROM).toBe('noreply@ticketry.local');
  });

  it('names a missing variable in a one-line message', () => {
    const { DATABASE_URL: _omitted, ...rest } = valid;
    expect(() => loadConfig(ExampleConfig, rest)).toThrow(ConfigError);
    try {
      loadConfig(ExampleConfig, rest);
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).not.toContain('\n');
    }
  });

  it('treats an empty variable as missing', () => {
    expect(() => loadConfig(ExampleConfig, { ...valid, KAFKA_BROKERS: '' })).toThrow(/KAFKA_BROKERS/);
  });

  it('rejects a malformed DATABASE_URL and port, naming both', () => {
    expect(() => loadConfig(ExampleConfig, { ...valid, DATABASE_URL: 'mysql://x', PORT: 'abc' })).toThrow(
      /PORT.*DATABASE_URL|DATABASE_URL.*PORT/,
    );
  });

  it('applies defaults below the environment', () => {
    const config = loadConfig(
      ExampleConfig,
      { ...valid, PORT: '4000' },
      { PORT: '3001', LOG_LEVEL: 'debug' },
    );
    expect(config.PORT).toBe(4000);
    expect(config.LOG_LEVEL).toBe('debug');
  });
});
