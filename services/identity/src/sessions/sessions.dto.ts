import { ApiProperty } from '@nestjs/swagger';
import { MARKET_CODES } from '@ticketry/platform';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import type { RequiredAction } from '../accounts/registration';

export class LoginDto {
  @ApiProperty()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiProperty({ enum: MARKET_CODES })
  @IsIn(MARKET_CODES, { message: 'market must be a known market code' })
  market!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty({
    nullable: true,
    description: 'RS256 JWT, 15 minutes; null while `reset_password` is required (ID-2).',
  })
  accessToken!: string | null;

  @ApiProperty({ nullable: true, description: 'Opaque, single use: each refresh returns the next one.' })
  refreshToken!: string | null;

  @ApiProperty({ description: 'Seconds until the access token expires.' })
  expiresIn!: number;

  @ApiProperty({ enum: ['verify_phone', 'reset_password', 'link_market'], isArray: true })
  requiredActions!: RequiredAction[];
}
