import { Controller, Get, HttpCode, Injectable, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

/** Something a service needs to do its work; `/health/ready` reports 503 while any is down. */
export interface ReadinessIndicator {
  readonly name: string;
  check(): Promise<void>;
}

/** Modules register what they depend on (the database here, Kafka in messaging) at init. */
@Injectable()
export class ReadinessRegistry {
  readonly indicators: ReadinessIndicator[] = [];
  register(indicator: ReadinessIndicator): void {
    this.indicators.push(indicator);
  }
}

/** Set during graceful shutdown so load balancers stop sending traffic before the server closes. */
@Injectable()
export class Lifecycle {
  draining = false;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class DatabaseIndicator implements ReadinessIndicator {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up (liveness probe).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The database and Kafka are reachable and the service is not draining (readiness probe).',
  })
  async ready(@Res() res: Response): Promise<void> {
    const checks: Record<string, { status: 'up' | 'down'; error?: string }> = {};
    await Promise.all(
      this.registry.indicators.map(async (indicator) => {
        try {
          await withTimeout(indicator.check(), 2000, indicator.name);
          checks[indicator.name] = { status: 'up' };
        } catch (error) {
          checks[indicator.name] = { status: 'down', error: (error as Error).message };
        }
      }),
    );
    const up = !this.lifecycle.draining && Object.values(checks).every((c) => c.status === 'up');
    res
      .status(up ? 200 : 503)
      .json({ status: up ? 'ok' : this.lifecycle.draining ? 'draining' : 'error', checks });
  }
}
