import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, DependencyUnavailableError, UnauthorizedError } from '@ticketry/platform';
import { IS_PUBLIC_KEY } from './decorators';
import { extractBearerToken, JwtStrategy } from './jwt.strategy';
import { SigningKeysUnavailableError } from './key-resolver';
import { Principal } from './principal';
import type { AuthRequest } from './request';
import { asErrorLike } from './error-like';

type Outcome =
  | { kind: 'success'; principal: Principal }
  | { kind: 'fail'; reason: unknown }
  | { kind: 'error'; error: unknown };

/**
 * Authenticates the bearer token and puts the Principal on `request.user`. Usable per route
 * (@UseGuards) or globally; @Public() routes let anonymous callers through.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly strategy: JwtStrategy,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const hasToken = extractBearerToken(request) !== null;

    if (!hasToken) {
      if (isPublic === true) return true;
      throw new UnauthorizedError('unauthorized', 'A bearer access token is required.');
    }

    const outcome = await this.authenticate(request);
    if (outcome.kind === 'success') {
      request.user = outcome.principal;
      return true;
    }
    if (isPublic === true) return true;
    if (outcome.kind === 'error') {
      // Claims that fail parsing arrive here as AppErrors; anything else is a bug and should
      // surface as one (500, logged), not hide behind a 401.
      throw outcome.error;
    }
    throw this.toError(outcome.reason);
  }

  /**
   * What passport.authenticate() does, minus its global strategy registry: a per-request object
   * inheriting from the strategy, given the success/fail/error callbacks the strategy calls.
   */
  private authenticate(request: AuthRequest): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const attempt: JwtStrategy = Object.create(this.strategy);
      attempt.success = (user: unknown) =>
        resolve(
          user instanceof Principal
            ? { kind: 'success', principal: user }
            : { kind: 'fail', reason: undefined },
        );
      attempt.fail = (challenge?: unknown) => resolve({ kind: 'fail', reason: challenge });
      attempt.error = (error: unknown) => resolve({ kind: 'error', error });
      attempt.pass = () => resolve({ kind: 'fail', reason: undefined });
      attempt.redirect = () => resolve({ kind: 'fail', reason: undefined });
      try {
        attempt.authenticate(request);
      } catch (error) {
        resolve({ kind: 'error', error });
      }
    });
  }

  private toError(reason: unknown): AppError {
    if (reason instanceof AppError) return reason;
    // Identity's key endpoint being down is not the caller's fault; 401 would make clients drop a
    // good token and send users back to the login screen.
    if (reason instanceof SigningKeysUnavailableError) return new DependencyUnavailableError('identity');
    if (asErrorLike(reason)?.name === 'TokenExpiredError') {
      return new UnauthorizedError('invalid_token', 'The access token has expired.');
    }
    return new UnauthorizedError('invalid_token', 'The access token is not valid.');
  }
}
