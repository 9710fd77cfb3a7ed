import { Inject, Injectable } from '@nestjs/common';
import { ExtractJwt, Strategy, type VerifiedCallback } from 'passport-jwt';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth.options';
import { parseClaims } from './claims';
import { ACCEPTED_ALGORITHM, KeyResolver } from './key-resolver';
import { Principal } from './principal';

/** Signals "no key for this token" so the guard can answer 401 rather than guess. */
export class UnknownSigningKeyError extends Error {
  constructor() {
    super('No signing key is known for this token');
    this.name = 'UnknownSigningKeyError';
  }
}

export const extractBearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt strategy. It is not registered in passport's process-wide strategy table (as
 * @nestjs/passport's PassportStrategy would do): JwtAuthGuard runs the instance it is injected
 * with, so two apps in one process (tests, or identity verifying with its own keys) cannot
 * silently swap each other's configuration.
 */
@Injectable()
export class JwtStrategy extends Strategy {
  constructor(@Inject(AUTH_OPTIONS) options: ResolvedAuthOptions, keyResolver: KeyResolver) {
    super(
      {
        jwtFromRequest: extractBearerToken,
        secretOrKeyProvider: (
          _request: unknown,
          rawJwtToken: unknown,
          done: (err: unknown, key?: string) => void,
        ) => {
          if (typeof rawJwtToken !== 'string') return done(new UnknownSigningKeyError());
          keyResolver.resolveKey(rawJwtToken).then(
            (key) => (key === null ? done(new UnknownSigningKeyError()) : done(null, key)),
            (err: unknown) => done(err),
          );
        },
        // The allow-list is what stops an HS256 token "signed" with our public key as the secret.
        algorithms: [ACCEPTED_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        ignoreExpiration: false,
        jsonWebTokenOptions: { clockTolerance: options.clockToleranceSeconds },
      },
      (payload: unknown, done: VerifiedCallback) => {
        try {
          done(null, new Principal(parseClaims(payload)));
        } catch (err) {
          done(err);
        }
      },
    );
  }
}
