import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@ticketry/auth';
import { Matches } from 'class-validator';
import { publishedFees } from '@ticketry/fees';

export class FeesQuery {
  @ApiProperty({ example: 'SE' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code' })
  country!: string;
  @ApiProperty({ example: 'SEK' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be an ISO-4217 code' })
  currency!: string;
}

export class FeesDto {
  @ApiProperty({ description: 'Service fee, basis points of the face value (CAT-2).' }) percentBp!: number;
  @ApiProperty({ description: 'Service fee per paid ticket, minor units.' }) fixedMinor!: number;
  @ApiProperty({ description: "VAT on the platform's fees at the country's standard rate (PAY-10)." })
  vatBp!: number;
  @ApiProperty({ description: 'Extra fee to the organizer for Swish, MobilePay, PayPal, Klarna (ORD-4).' })
  altPaymentFeeBp!: number;
  @ApiProperty({ description: 'Fee to the organizer for orders from platform advertising (ORD-5).' })
  advertisingFeeBp!: number;
}

@ApiTags('fees')
@Controller('v1/fees')
export class FeesController {
  @Get()
  @Public()
  @ApiOperation({
    summary: 'The fee schedule for a country and currency (CAT-2, PAY-10); 422 fees_not_available.',
  })
  @ApiOkResponse({ type: FeesDto })
  fees(@Query() query: FeesQuery): FeesDto {
    return publishedFees(query.country, query.currency.toUpperCase());
  }
}
