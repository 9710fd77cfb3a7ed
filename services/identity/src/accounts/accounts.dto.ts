import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { MARKET_CODES } from '@ticketry/platform';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, RequiredAction } from './registration';

export class RegisterAccountDto {
  @ApiProperty({ example: 'anna@example.se', description: 'Trimmed and compared case-insensitively (ID-1).' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
  })
  password!: string;

  @ApiProperty({ enum: MARKET_CODES, example: 'se' })
  @IsIn(MARKET_CODES, { message: 'market must be a known market code' })
  market!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiProperty({
    description: 'Landline or mobile; national numbers are read in the market country (ID-9).',
    example: '+46701234567',
  })
  @IsString()
  @Length(3, 32)
  phone!: string;

  @ApiPropertyOptional({ example: 'sv' })
  @IsOptional()
  @IsString()
  @Length(2, 10)
  language?: string;

  @ApiPropertyOptional({ example: 'SE' })
  @IsOptional()
  @IsString()
  @Length(2, 2)
  country?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 16)
  postalCode?: string;

  @ApiPropertyOptional({ example: '1990-04-08' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth?: string;

  @ApiPropertyOptional({ description: 'Under 17: a guardian has given permission (CON-9).' })
  @IsOptional()
  @IsBoolean()
  guardianConsent?: boolean;
}

export class RegisteredAccountDto {
  @ApiProperty({ format: 'uuid' })
  identityId!: string;

  @ApiProperty({ format: 'uuid' })
  marketAccountId!: string;

  @ApiProperty({ enum: ['verify_phone', 'reset_password', 'link_market'], isArray: true })
  requiredActions!: RequiredAction[];
}
