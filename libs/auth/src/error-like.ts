/**
 * Errors from Node's built-ins (fetch, http) may come from another realm than our code (jest's
 * sandbox, worker threads), where `instanceof Error` is false; judge them by shape instead.
 */
export interface ErrorLike {
  name: string;
  message: string;
  cause?: unknown;
  code?: unknown;
}

export function asErrorLike(value: unknown): ErrorLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, message } = value as { name?: unknown; message?: unknown };
  if (typeof name !== 'string' || typeof message !== 'string') return undefined;
  return value as ErrorLike;
}
