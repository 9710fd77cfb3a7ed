/**
 * Errors with a stable `code`, mapped by ProblemFilter to application/problem+json (RFC 9457).
 * Domain code throws these (or subclasses); the code is part of the public API contract, so it
 * never changes once published.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A business rule refused the request (4xx chosen by the rule: 409, 410, 422 …). */
export class DomainError extends AppError {
  constructor(code: string, message: string, status = 422, extra: Record<string, unknown> = {}) {
    super(status, code, message, extra);
  }
}

export class ValidationFailedError extends AppError {
  constructor(readonly errors: FieldError[]) {
    super(400, 'validation_failed', 'The request is not valid.', { errors });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, code = 'not_found') {
    super(404, code, `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthorized', message = 'Authentication is required.') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'You may not do this.') {
    super(403, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    code = 'too_many_requests',
    message = 'Too many requests; try again later.',
    retryAfterSeconds?: number,
  ) {
    super(429, code, message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
  }
}

/** A dependency (database, broker, another service) could not answer: 503, safe to retry. */
export class DependencyUnavailableError extends AppError {
  constructor(dependency: string) {
    super(503, 'dependency_unavailable', `${dependency} is unavailable; try again shortly.`);
  }
}
