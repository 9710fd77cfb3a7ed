import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Roles, TicketryAuthGuard } from '@ticketry/auth';
import { MARKET_CODES } from '@ticketry/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { LegacyImportService } from './legacy.service';

export class LegacyAccountDto {
  @ApiProperty({ enum: MARKET_CODES })
  @IsIn(MARKET_CODES, { message: 'market must be a known market code' })
  market!: string;
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) email!: string;
  @ApiProperty() @IsString() @Length(0, 100) firstName!: string;
  @ApiProperty() @IsString() @Length(0, 100) lastName!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 32) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 16) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2) country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 10) language?: string;
  @ApiProperty({ description: 'When the legacy account was last updated (ID-6 merge order).' })
  @IsISO8601({ strict: true })
  updatedAt!: string;
}

export class LegacyImportDto {
  @ApiProperty({ type: [LegacyAccountDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LegacyAccountDto)
  accounts!: LegacyAccountDto[];
}

class ImportedIdentityDto {
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'uuid' }) identityId!: string;
  @ApiProperty({ type: [String] }) marketAccountIds!: string[];
}

export class LegacyImportResultDto {
  @ApiProperty({ type: [ImportedIdentityDto] }) identities!: ImportedIdentityDto[];
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/legacy-accounts')
@UseGuards(TicketryAuthGuard)
@Roles('platform_admin')
export class LegacyImportController {
  constructor(private readonly legacy: LegacyImportService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import per-market accounts; same e-mail → one identity with linked accounts (ID-1, ID-2, ID-6).',
  })
  @ApiOkResponse({ type: LegacyImportResultDto })
  import(@Body() body: LegacyImportDto): Promise<LegacyImportResultDto> {
    return this.legacy.import(
      body.accounts.map((account) => ({ ...account, updatedAt: new Date(account.updatedAt) })),
    );
  }
}
