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

  /** Secret mixed into one-time code hashes (HMAC), so a leaked table cannot be brute-forced offline. */
  @IsOptional()
  @IsString()
  @Matches(/^.{16,}$/, { message: 'must be at least 16 characters' })
  OTP_PEPPER?: string;

  /** api.md "bootstrap admin": a platform_admin created at start when both are set. */
  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /**
   * Other Ticketry services' client credentials, JSON `[{"clientId":"orders","secret":"…"}]`, from a
   * Kubernetes secret; their tokens carry the `service` role. None unless set (also outside production).
   */
  @IsOptional()
  @IsString()
  SERVICE_CLIENTS?: string;
}
