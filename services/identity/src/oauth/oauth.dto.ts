import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 6749 §4.4.2 request; form-encoded (as the RFC says) or JSON. Unknown parameters are ignored. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  grant_type!: string;

  @ApiPropertyOptional({ description: 'Unless HTTP Basic authentication is used.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'Unless HTTP Basic authentication is used.' })
  client_secret?: string;

  @ApiPropertyOptional({ description: 'Space-separated; default: every scope the client holds.' })
  scope?: string;
}

/** RFC 6749 §5.1. */
export class TokenResponseDto {
  @ApiProperty({ description: 'RS256 JWT with `client_id`, `scope`, `roles` and `orgs` claims.' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires.' })
  expires_in!: number;

  @ApiPropertyOptional({ description: 'The scopes granted, space-separated.' })
  scope?: string;
}

/** RFC 6749 §5.2 inside problem+json: `code` and `error` both name the OAuth error. */
export class OAuthProblemDto {
  @ApiProperty() type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty() detail!: string;

  @ApiProperty({
    enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'],
  })
  code!: string;

  @ApiProperty({
    enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'],
  })
  error!: string;

  @ApiProperty() error_description!: string;
}
