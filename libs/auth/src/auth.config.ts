import { PlatformConfig } from '@ticketry/platform';
import { IsOptional, IsString, IsUrl } from 'class-validator';

/**
 * Settings of a service that verifies identity's tokens (every service but identity): where the
 * keys are and what the tokens must say. Services extend this instead of PlatformConfig.
 */
export class TokenVerifyingConfig extends PlatformConfig {
  /** Identity's JWKS; outside production it defaults to identity on localhost (auth.options.ts). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  JWKS_URL?: string;

  @IsString()
  JWT_ISSUER = 'ticketry-identity';

  @IsString()
  JWT_AUDIENCE = 'ticketry';
}
