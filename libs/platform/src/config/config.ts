import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

/**
 * Configuration is read from the environment once, validated, and frozen. A service with bad
 * configuration must not start half-working: `loadConfig` throws a ConfigError whose message is
 * one line naming each offending variable, and the bootstrap prints just that line and exits.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ConfigError';
  }
}

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Settings every service has. Services extend this class with their own. */
export class PlatformConfig {
  @IsIn(NODE_ENVS, { message: 'must be one of development, test, production' })
  NODE_ENV: NodeEnv = 'development';

  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number' })
  @Max(65535, { message: 'must be a port number' })
  PORT!: number;

  @IsString({ message: 'is required (a postgres:// URL)' })
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case schema name' })
  DATABASE_SCHEMA?: string;

  @IsString({ message: 'is required (comma-separated host:port list)' })
  @Matches(/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/, {
    message: 'must be a comma-separated host:port list',
  })
  KAFKA_BROKERS!: string;

  /** Prefixes every topic name; lets a test run use its own topics on a shared broker. */
  @IsOptional()
  @Matches(/^[a-z0-9-]*\.?$/, {
    message: 'must be lower-case letters, digits and dashes, optionally ending with a dot',
  })
  KAFKA_TOPIC_PREFIX = '';

  @IsOptional()
  @IsString()
  KAFKA_GROUP_ID?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Apply pending migrations at start: on by default outside production, where a Job runs them. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  MIGRATIONS_RUN?: 'true' | 'false';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export type ConfigClass<T extends object> = new () => T;

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const name = prefix + error.property;
    const own = Object.values(error.constraints ?? {})
      .slice(0, 1)
      .map((message) => {
        const text = message.startsWith(error.property)
          ? message.slice(error.property.length).trim()
          : message;
        return `${name} ${text}`;
      });
    return [...own, ...flatten(error.children ?? [], `${name}.`)];
  });
}

export function loadConfig<T extends object>(
  cls: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
  defaults: Partial<Record<string, string>> = {},
): T {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...defaults, ...env })) {
    // An empty variable is a missing one: `FOO= node main.js` must not pass as configured.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(cls, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(flatten(errors));
  return Object.freeze(config);
}

export const CONFIG = Symbol('CONFIG');
