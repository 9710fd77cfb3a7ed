import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class RefundPolicyDto {
  @ApiProperty({ enum: ['no_refunds', 'until_days_before', 'custom'] })
  @IsIn(['no_refunds', 'until_days_before', 'custom'])
  kind!: 'no_refunds' | 'until_days_before' | 'custom';

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) daysBefore?: number;
  @ApiProperty() @IsString() @Length(1, 5000) text!: string;
  @ApiProperty({ description: 'CAT-3: at most 7.' }) @IsInt() @Min(0) @Max(365) responseBusinessDays!: number;
  @ApiProperty({ description: 'How and where to ask (e-mail, URL or phone).' })
  @IsString()
  @Length(0, 300)
  contact!: string;
}

export class CreateEventDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') organizationId!: string;
  @ApiProperty() @IsString() @Length(1, 200) title!: string;
  @ApiProperty() @IsString() @Length(0, 10000) description!: string;
  @ApiProperty() @IsString() @Length(1, 50) category!: string;
  @ApiProperty({ example: 'SE' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code' })
  country!: string;
  @ApiProperty({ example: 'SEK' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code' })
  currency!: string;
  @ApiProperty() @IsString() @Length(1, 300) venue!: string;
  @ApiProperty() @IsISO8601({ strict: true }) startsAt!: string;
  @ApiProperty() @IsISO8601({ strict: true }) endsAt!: string;
  @ApiProperty({ enum: ['included', 'passed_on'] }) @IsIn(['included', 'passed_on']) feeMode!:
    'included' | 'passed_on';
  @ApiProperty({ type: RefundPolicyDto })
  @ValidateNested()
  @Type(() => RefundPolicyDto)
  refundPolicy!: RefundPolicyDto;
  @ApiProperty() @IsBoolean() transfersAllowed!: boolean;
  @ApiProperty() @IsBoolean() advertisingEnabled!: boolean;
  @ApiProperty() @IsBoolean() eInvoiceEnabled!: boolean;
}

export class UpdateEventDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() advertisingEnabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 10000) description?: string;
  @ApiPropertyOptional({
    type: RefundPolicyDto,
    description: 'A new version; earlier orders keep theirs (CAT-3).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RefundPolicyDto)
  refundPolicy?: RefundPolicyDto;
}

export class CreateTicketTypeDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ enum: ['single', 'subscription'] }) @IsIn(['single', 'subscription']) kind!:
    'single' | 'subscription';
  @ApiProperty({ description: 'Face value in minor units of the event currency.' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceMinor!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(1_000_000) capacity!: number;
  @ApiProperty() @IsISO8601({ strict: true }) salesStartAt!: string;
  @ApiProperty() @IsISO8601({ strict: true }) salesEndAt!: string;
  @ApiPropertyOptional({ description: 'SUB-7 binding period; default 5 for subscriptions.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36)
  bindingMonths?: number;
}

export class UpdateTicketTypeDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000_000) priceMinor?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) capacity?: number;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) salesEndAt?: string;
}

export class CancelEventDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class SearchEventsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z]{2}$/) country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) cursor?: string;
}
