import { DependencyUnavailableError, SystemClock, type Clock } from '@ticketry/platform';
import type { ServiceTokenOptions } from './auth.options';
import { asErrorLike } from './error-like';

/**
 * Identity could not give us a token. Surfaces as 503 `dependency_unavailable` to whoever called
 * us; `reason` (and `cause`) say what went wrong for the logs. The message names no URL or secret
 * because the problem filter shows it to callers.
 */
export class ServiceTokenUnavailableError extends DependencyUnavailableError {
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super('identity');
    this.message = `Could not obtain a service token from identity: ${reason}.`;
    if (cause !== undefined) this.cause = cause;
  }
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is no longer handed out. */
  refreshAt: number;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

function isTokenResponse(value: unknown): value is TokenResponse {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.access_token === 'string' &&
    body.access_token.length > 0 &&
    typeof body.token_type === 'string' &&
    typeof body.expires_in === 'number' &&
    Number.isFinite(body.expires_in) &&
    body.expires_in > 0
  );
}

function describe(error: unknown): string {
  const err = asErrorLike(error);
  if (err === undefined) return 'identity is unreachable';
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'identity did not answer in time';
  // fetch reports network failures as "fetch failed" with the system error (ECONNREFUSED…) as cause.
  const code = asErrorLike(err.cause)?.code ?? err.code;
  return typeof code === 'string'
    ? `identity is unreachable (${code})`
    : `identity is unreachable (${err.message})`;
}

/**
 * Client-credentials access tokens for calls to other Ticketry services. One token is shared by
 * every caller until shortly before it expires; concurrent callers share one request to identity.
 * A failure is thrown to the callers waiting on it and not retried here: the synchronous call that
 * needed the token fails fast, and the next call tries identity afresh.
 */
export class ServiceTokenProvider {
  private cached: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly options: ServiceTokenOptions,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  async getToken(): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && this.clock.now().getTime() < cached.refreshAt) return cached.accessToken;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** `Bearer <token>`, ready for an Authorization header. */
  async authorizationHeader(): Promise<string> {
    return `Bearer ${await this.getToken()}`;
  }

  /** Forget the cached token, e.g. after another service answered 401 (keys rotated, token revoked). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const requestedAt = this.clock.now().getTime();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    if (this.options.scope !== undefined) form.set('scope', this.options.scope);

    let response: Response;
    try {
      response = await fetch(`${this.options.identityUrl}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new ServiceTokenUnavailableError(describe(error), error);
    }

    if (!response.ok) {
      // Drain the body so the connection can be reused; its content is not needed.
      await response.arrayBuffer().catch(() => undefined);
      const reason =
        response.status === 400 || response.status === 401
          ? `identity refused the client credentials (HTTP ${response.status}); check SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET`
          : `identity answered HTTP ${response.status}`;
      throw new ServiceTokenUnavailableError(reason);
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new ServiceTokenUnavailableError('identity answered with a body that is not JSON', error);
    }
    if (!isTokenResponse(body) || body.token_type.toLowerCase() !== 'bearer') {
      throw new ServiceTokenUnavailableError(
        'identity answered without a bearer access_token and expires_in',
      );
    }

    // Counted from when we asked, not when the answer came: the token was minted in between.
    const lifetimeMs = body.expires_in * 1000;
    const marginMs = Math.min((this.options.refreshBeforeExpirySeconds ?? 60) * 1000, lifetimeMs / 5);
    this.cached = { accessToken: body.access_token, refreshAt: requestedAt + lifetimeMs - marginMs };
    return body.access_token;
  }
}
