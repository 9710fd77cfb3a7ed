import { PlatformConfig } from '@ticketry/platform';
import { IsOptional, IsString, IsUrl } from 'class-validator';

export class CatalogConfig extends PlatformConfig {
  /** Identity's JWKS: catalog verifies organizers' tokens against it. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  JWKS_URL?: string;

  @IsString()
  JWT_ISSUER = 'ticketry-identity';

  @IsString()
  JWT_AUDIENCE = 'ticketry';
}
