import { Body, Controller, HttpCode, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, TicketryAuthGuard } from '@ticketry/auth';
import { MARKET_CODES, ValidationFailedError } from '@ticketry/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { MarketsService } from './markets.service';

export class LinkMarketDto {
  @ApiProperty({
    description: 'ID-3: the consumer agrees to an account in this market, linked to their credentials.',
  })
  @IsBoolean()
  consent!: boolean;
}

export class LinkRefusalDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'marketAccountId must be a UUID' })
  marketAccountId!: string;
}

export class AddressDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsString() @Length(1, 200) line1!: string;
  @ApiProperty({ required: false }) @IsOptional() @IsString() @Length(0, 200) line2?: string;
  @ApiProperty() @IsString() @Length(1, 16) postalCode!: string;
  @ApiProperty() @IsString() @Length(1, 100) city!: string;
  @ApiProperty() @IsString() @Length(2, 2) country!: string;
}

export class AddressesDto {
  @ApiProperty({ type: AddressDto }) @ValidateNested() @Type(() => AddressDto) billing!: AddressDto;
  @ApiProperty({ type: AddressDto }) @ValidateNested() @Type(() => AddressDto) delivery!: AddressDto;
}

function marketParam(market: string): string {
  if (!MARKET_CODES.includes(market))
    throw new ValidationFailedError([{ field: 'market', message: 'market must be a known market code' }]);
  return market;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(TicketryAuthGuard)
export class MarketsController {
  constructor(private readonly markets: MarketsService) {}

  @Post('markets/:market/link')
  @ApiOperation({
    summary:
      'With consent, create and link an account in a new market (ID-3): 201; without, 200 and nothing.',
  })
  async link(
    @CurrentPrincipal() principal: Principal,
    @Param('market') market: string,
    @Body() body: LinkMarketDto,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.markets.link(principal.identityId, marketParam(market), body.consent);
    // api.md: 201 when an account was created or linked, 200 when consent was declined. Nest would
    // overwrite a status set on a passthrough response with the route's default, so it is sent here.
    res.status('marketAccountId' in result ? 201 : 200).json(result);
  }

  @Post('link-refusal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keep an existing market account unlinked (ID-5).' })
  async refuse(
    @CurrentPrincipal() principal: Principal,
    @Body() body: LinkRefusalDto,
  ): Promise<{ linkStatus: 'refused' }> {
    await this.markets.refuseLink(principal.identityId, body.marketAccountId);
    return { linkStatus: 'refused' };
  }

  @Put('markets/:market/addresses')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billing and delivery addresses of one market account (ID-7).' })
  async addresses(
    @CurrentPrincipal() principal: Principal,
    @Param('market') market: string,
    @Body() body: AddressesDto,
  ): Promise<AddressesDto> {
    await this.markets.setAddresses(
      principal.identityId,
      marketParam(market),
      { ...body.billing },
      { ...body.delivery },
    );
    return body;
  }
}
