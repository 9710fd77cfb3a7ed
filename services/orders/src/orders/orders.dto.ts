import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADD_ONS, ORDER_PAYMENT_METHODS, type AddOn, type OrderPaymentMethod } from '@ticketry/fees';
import { MARKET_CODES } from '@ticketry/platform';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** A single order may hold at most this many tickets, whatever the ticket types. */
export const MAX_TICKETS_PER_ORDER = 20;

export class OrderItemDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') ticketTypeId!: string;
  @ApiProperty({ minimum: 1, maximum: MAX_TICKETS_PER_ORDER })
  @IsInt()
  @Min(1)
  @Max(MAX_TICKETS_PER_ORDER)
  quantity!: number;
}

export class BuyerDto {
  @ApiProperty({ description: 'ORD-2: the tickets go to this address.' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 254)
  email!: string;
  @ApiProperty() @IsString() @Length(1, 100) firstName!: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName!: string;
}

export class OrderSourceDto {
  @ApiPropertyOptional({ description: 'ORD-5: `ticketry` marks the platform\u2019s own advertising.' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  utmSource?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) utmMedium?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) utmCampaign?: string;
}

/** ORD-8: what the organizer needs to send the e-invoice. */
export class InvoiceDetailsDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsString() @Length(1, 200) addressLine1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) addressLine2?: string;
  @ApiProperty() @IsString() @Length(1, 20) postalCode!: string;
  @ApiProperty() @IsString() @Length(1, 100) city!: string;
  @ApiProperty({ example: 'SE' }) @IsString() @Length(2, 2) country!: string;
  @ApiPropertyOptional({ description: 'Company or personal identity number, when the invoice needs one.' })
  @IsOptional()
  @IsString()
  @Length(0, 40)
  registrationNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100) reference?: string;
}

export class CreateOrderDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') eventId!: string;

  @ApiProperty({ enum: MARKET_CODES, description: 'The storefront; decides the contracting entity (ENT-1).' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(MARKET_CODES, { message: 'market must be one of the platform markets' })
  market!: string;

  @ApiProperty({ type: [OrderItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];

  @ApiProperty({ type: BuyerDto })
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer!: BuyerDto;

  @ApiProperty({ enum: ORDER_PAYMENT_METHODS })
  @IsIn(ORDER_PAYMENT_METHODS)
  paymentMethod!: OrderPaymentMethod;

  @ApiPropertyOptional({
    description: 'Required for every method except e_invoice; sandbox: tok_visa, tok_declined, …',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  paymentToken?: string;

  @ApiPropertyOptional({ enum: ADD_ONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ADD_ONS.length)
  @IsIn(ADD_ONS, { each: true })
  addOns?: AddOn[];

  @ApiPropertyOptional({ type: OrderSourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrderSourceDto)
  source?: OrderSourceDto;

  @ApiPropertyOptional({ description: 'ORD-6 / CON-2: the buyer opts in to the organizer\u2019s marketing.' })
  @IsOptional()
  @IsBoolean()
  organizerMarketingOptIn?: boolean;

  @ApiPropertyOptional({
    type: InvoiceDetailsDto,
    description: 'Required with paymentMethod e_invoice (ORD-8).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvoiceDetailsDto)
  invoice?: InvoiceDetailsDto;

  @ApiPropertyOptional({ description: 'Language of the receipt; default: the market\u2019s.' })
  @IsOptional()
  @IsString()
  @Length(2, 10)
  language?: string;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ['true'] }) @IsOptional() @IsIn(['true', 'false']) mine?: 'true' | 'false';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') eventId?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) cursor?: string;
}

export class TransferTicketDto {
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @Length(3, 254) email!: string;
  @ApiProperty() @IsString() @Length(1, 100) firstName!: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName!: string;
}

export class CheckInDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') eventId!: string;
  @ApiProperty() @IsString() @Length(4, 64) code!: string;
}

export class VoidTicketDto {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
}

export class AsOfDto {
  @ApiProperty({ description: 'Run as if it were this instant (ISO-8601).' })
  @IsISO8601({ strict: true })
  asOf!: string;
}

export class HoldJobDto extends AsOfDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this event\u2019s orders (settling one on-sale by hand).',
  })
  @IsOptional()
  @IsUUID('all')
  eventId?: string;
}
