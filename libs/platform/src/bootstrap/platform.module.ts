import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, SystemClock } from '../clock/clock';
import { CONFIG, PlatformConfig } from '../config/config';
import { databaseModule, DatabaseOptions } from '../database/database';
import { ProblemFilter } from '../errors/problem.filter';
import { DatabaseIndicator, HealthController, Lifecycle, ReadinessRegistry } from '../health/health';
import { createValidationPipe } from '../http/validation';
import { IdempotencyInterceptor, IdempotencyKeyEntity } from '../idempotency/idempotency';
import { loggingModule } from '../logging/logging';
import { RateLimiter } from '../rate-limit/rate-limit';

export interface PlatformModuleOptions extends DatabaseOptions {
  config: PlatformConfig;
  /** Tests pass a FixedClock; services use the system clock. */
  clock?: Clock;
}

@Global()
@Module({})
export class PlatformModule implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const entities = [IdempotencyKeyEntity, ...(Array.isArray(options.entities) ? options.entities : [])];
    return {
      module: PlatformModule,
      imports: [
        loggingModule(options.service, options.config.LOG_LEVEL),
        databaseModule({ ...options, entities }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: options.clock ?? new SystemClock() },
        Lifecycle,
        ReadinessRegistry,
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        {
          provide: RateLimiter,
          inject: [DataSource, CLOCK],
          useFactory: (dataSource: DataSource, clock: Clock) => new RateLimiter(dataSource, clock),
        },
      ],
      exports: [CONFIG, CLOCK, Lifecycle, ReadinessRegistry, RateLimiter],
    };
  }

  onModuleInit(): void {
    this.registry.register(new DatabaseIndicator(this.dataSource));
  }
}

export type { PlatformConfig };
