import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '@ticketry/platform';

/**
 * Test-only stand-in for the platform's ProblemFilter, so auth tests can assert the stable `code`
 * without depending on the rest of libs/platform. Unknown errors become 500 with their message,
 * which makes a bug visible in a failing assertion instead of hiding it.
 */
@Catch()
export class AppErrorTestFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError) {
      response
        .status(exception.status)
        .json({ status: exception.status, code: exception.code, detail: exception.message });
    } else if (exception instanceof HttpException) {
      response
        .status(exception.getStatus())
        .json({ status: exception.getStatus(), code: 'http_exception', detail: exception.message });
    } else {
      const detail = exception instanceof Error ? exception.message : String(exception);
      response.status(500).json({ status: 500, code: 'internal_error', detail });
    }
  }
}
