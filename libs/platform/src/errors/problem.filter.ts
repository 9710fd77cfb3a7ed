import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { currentCorrelationId } from '../context/request-context';
import { AppError } from './problem';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Stable codes for errors raised by Nest/Express itself rather than by our code. */
const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

export function problemOf(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  // Extra members first: a detail named like a standard member (`status`, `code`) must never replace
  // it, or a domain error's `{ status: 'authorized' }` becomes an invalid HTTP status and a 500.
  return {
    ...extra,
    type: `https://docs.ticketry.dev/problems/${code}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    code,
  };
}

/** Postgres errors that can only come from input we failed to validate: still the caller's fault. */
function fromDatabase(error: QueryFailedError): ProblemBody | undefined {
  const pgCode = (error.driverError as { code?: string } | undefined)?.code;
  switch (pgCode) {
    case '22P02': // invalid_text_representation, e.g. a malformed uuid
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22021': // character_not_in_repertoire: a NUL byte, which Postgres text cannot hold
    case '22P05': // untranslatable_character
      return problemOf(400, 'invalid_input', 'A value in the request is not valid.');
    case '23505':
      return problemOf(409, 'conflict', 'The resource already exists or was changed concurrently.');
    case '40001':
    case '40P01':
      return problemOf(409, 'concurrent_update', 'The request conflicted with another one; retry it.');
    default:
      return undefined;
  }
}

/**
 * Every error leaves as application/problem+json with a stable `code`. Errors we did not foresee
 * are logged once with the correlation id and answered as a 500 without internals.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl ?? request.url;
    const correlationId = currentCorrelationId();
    if (correlationId) problem.correlationId = correlationId;
    if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    }
    if (response.headersSent) return;
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemBody {
    if (exception instanceof AppError) {
      return problemOf(exception.status, exception.code, exception.message, exception.extra);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string'
          ? body
          : typeof (body as { message?: unknown }).message === 'string'
            ? String((body as { message: string }).message)
            : exception.message;
      if (status >= 500) this.logger.error({ err: exception }, 'HTTP exception');
      // Express' body parser reports malformed JSON as a SyntaxError, which Nest wraps in a 400.
      const cause = (exception as { cause?: unknown }).cause;
      if (
        status === 400 &&
        (cause instanceof SyntaxError ||
          (cause as { type?: unknown } | undefined)?.type === 'entity.parse.failed')
      ) {
        return problemOf(400, 'malformed_json', 'The request body is not valid JSON.');
      }
      return problemOf(
        status,
        HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'),
        detail,
      );
    }
    if (exception instanceof QueryFailedError) {
      const mapped = fromDatabase(exception);
      if (mapped) return mapped;
    }
    // Body-parser errors (malformed JSON, too large) carry an HTTP status but are not HttpExceptions.
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: unknown }).type;
      const code = type === 'entity.parse.failed' ? 'malformed_json' : (HTTP_CODES[status] ?? 'bad_request');
      return problemOf(
        status,
        code,
        code === 'malformed_json'
          ? 'The request body is not valid JSON.'
          : String((exception as Error).message),
      );
    }
    this.logger.error({ err: exception }, 'Unhandled error');
    return problemOf(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'Something went wrong on our side.');
  }
}
