/** What the SDKs' error objects carry, read structurally so no SDK-internal class is imported. */
export interface ProviderErrorShape {
  name?: string;
  message?: string;
  /** Twilio: the numeric error code (21211); Node network errors: 'ECONNREFUSED' etc. */
  code?: string | number;
  /** Twilio: HTTP status. */
  status?: number;
  /** AWS SDK: HTTP status of the failed attempt and whether the SDK judged it retryable. */
  httpStatusCode?: number;
  retryable?: boolean;
  fault?: 'client' | 'server';
}

function field(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key];
}

export function readProviderError(error: unknown): ProviderErrorShape {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const shape: ProviderErrorShape = {};
  const name = field(error, 'name');
  const message = field(error, 'message');
  const code = field(error, 'code');
  const status = field(error, 'status');
  const metadata = field(error, '$metadata');
  const fault = field(error, '$fault');
  if (typeof name === 'string') shape.name = name;
  if (typeof message === 'string') shape.message = message;
  if (typeof code === 'string' || typeof code === 'number') shape.code = code;
  if (typeof status === 'number') shape.status = status;
  if (typeof metadata === 'object' && metadata !== null) {
    const httpStatusCode = field(metadata, 'httpStatusCode');
    if (typeof httpStatusCode === 'number') shape.httpStatusCode = httpStatusCode;
  }
  if (field(error, '$retryable') !== undefined) shape.retryable = true;
  if (fault === 'client' || fault === 'server') shape.fault = fault;
  return shape;
}
