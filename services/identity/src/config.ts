import { PlatformConfig } from '@ticketry/platform';
import { IsOptional, IsString, Matches } from 'class-validator';

export class IdentityConfig extends PlatformConfig {
  /**
   * RS256 signing key (PEM). Required in production, from a Kubernetes secret. Outside production,
   * when unset, a key is generated once and kept in the identity schema so restarts and replicas
   * keep accepting each other's tokens.
   */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PRIVATE KEY-----/, { message: 'must be a PEM private key' })
  JWT_PRIVATE_KEY?: string;

  /** The key before the last rotation: still published in the JWKS so its tokens stay valid until they expire. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PRIVATE KEY-----/, { message: 'must be a PEM private key' })
  JWT_PREVIOUS_PRIVATE_KEY?: string;

  @IsString()
  JWT_ISSUER = 'ticketry-identity';

  @IsString()
  JWT_AUDIENCE = 'ticketry';
}
