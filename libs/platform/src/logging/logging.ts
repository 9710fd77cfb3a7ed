import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, Params } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';
import { CORRELATION_HEADER, currentCorrelationId } from '../context/request-context';

/**
 * Structured JSON logs (pino). Every line carries the service name and, when there is one, the
 * correlation id of the work it belongs to, taken from the async context (HTTP request, or the
 * event being consumed), so one id finds a request's whole trail across services.
 */
export function pinoParams(service: string, level: string, pretty = false): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      genReqId: (req: IncomingMessage) =>
        currentCorrelationId() ?? String(req.headers[CORRELATION_HEADER] ?? randomUUID()),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.body.password',
          'req.body.newPassword',
        ],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}

export function loggingModule(service: string, level: string): DynamicModule {
  return LoggerModule.forRoot(pinoParams(service, level, process.env.LOG_PRETTY === 'true'));
}
