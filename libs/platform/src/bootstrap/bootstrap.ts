import 'reflect-metadata';
import type { Server } from 'node:http';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { Client } from 'pg';
import type { Clock } from '../clock/clock';
import { ConfigClass, ConfigError, loadConfig, PlatformConfig } from '../config/config';
import { CORRELATION_HEADER, correlationIdFrom, runWithContext } from '../context/request-context';
import { Lifecycle } from '../health/health';

/** What tests may swap in; production uses none of it. */
export interface ServiceOverrides {
  clock?: Clock;
}

export interface ServiceDefinition<C extends PlatformConfig> {
  name: string;
  description: string;
  configClass: ConfigClass<C>;
  /** Defaults below the environment, e.g. the service's port; dev-only values belong in start scripts. */
  configDefaults?: Partial<Record<string, string>>;
  module: (config: C, overrides?: ServiceOverrides) => DynamicModule;
}

/** A URL safe to print: the password, if any, is masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** Fails fast with one line when the database cannot be reached, instead of a retry storm and a stack. */
export async function checkDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new ConfigError([`DATABASE_URL cannot be used (${redactUrl(url)}): ${(error as Error).message}`]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithContext({ correlationId }, next);
}

export function setupOpenApi(app: INestApplication, name: string, description: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Ticketry ${name}`)
      .setDescription(description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Everything a service's HTTP app needs besides its module; shared by main.ts and tests. */
export function configureApp(app: INestApplication, name: string, description: string): void {
  // Behind the cluster's load balancer the client address is in X-Forwarded-For; only private
  // hops are trusted to set it, so a client cannot spoof its way around per-IP limits.
  (app.getHttpAdapter().getInstance() as { set(name: string, value: string): void }).set(
    'trust proxy',
    process.env.TRUST_PROXY ?? 'loopback, linklocal, uniquelocal',
  );
  app.use(correlationMiddleware);
  app.useLogger(app.get(Logger));
  app.enableCors({ exposedHeaders: [CORRELATION_HEADER, 'Idempotent-Replayed'] });
  setupOpenApi(app, name, description);
}

export async function createServiceApp<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
  config: C,
  overrides: ServiceOverrides = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(definition.module(config, overrides), {
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app, definition.name, definition.description);
  return app;
}

/**
 * Graceful shutdown: report not-ready, stop accepting connections and let in-flight requests
 * finish, then close the app, whose hooks stop Kafka consumers (onModuleDestroy), flush the
 * outbox (beforeApplicationShutdown) and close the database (onApplicationShutdown).
 */
export async function shutdownGracefully(app: INestApplication, drainMs = 10_000): Promise<void> {
  app.get(Lifecycle).draining = true;
  const server = app.getHttpServer() as Server;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, drainMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
  await app.close();
}

function fail(name: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(1);
}

export async function runService<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(definition.configClass, process.env, definition.configDefaults);
    await checkDatabase(config.DATABASE_URL);
  } catch (error) {
    if (error instanceof ConfigError) fail(definition.name, `configuration error: ${error.message}`);
    throw error;
  }
  let app: INestApplication;
  try {
    app = await createServiceApp(definition, config);
    await app.listen(config.PORT, process.env.HOST ?? '0.0.0.0');
  } catch (error) {
    fail(definition.name, `failed to start: ${(error as Error).message}`);
  }
  const logger = app.get(Logger);
  logger.log(
    `${definition.name} listening on http://127.0.0.1:${config.PORT} (OpenAPI at /docs)`,
    'Bootstrap',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining`, 'Bootstrap');
    shutdownGracefully(app)
      .then(() => process.exit(0))
      .catch((error: unknown) => fail(definition.name, `shutdown failed: ${(error as Error).message}`));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return app;
}
