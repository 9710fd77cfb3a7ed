import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { ValidationFailedError } from '@ticketry/platform';
import { FeesQuery } from '../fees/fees.controller';
import { FeeOverrideDto, OrganizationFeesDto, SetFeeOverrideDto } from './fee-overrides.dto';
import { FeeOverridesService } from './fee-overrides.service';

/** A malformed organization id is a client error with a field, not a 500 from Postgres. */
const organizationId = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ValidationFailedError([{ field: 'organizationId', message: 'organizationId must be a UUID' }]),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/organizations/:organizationId/fee-overrides')
@UseGuards(TicketryAuthGuard)
@Roles('platform_admin')
export class AdminFeeOverridesController {
  constructor(private readonly overrides: FeeOverridesService) {}

  @Put(':currency')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Set an organizer's agreed service fee in a currency (CAT-2, platform_admin); its events on sale are " +
      'republished with it. 422 invalid_fee_override (percentBp outside 0..10000, fixedMinor < 0), ' +
      '422 fee_exceeds_price (a ticket on sale with the fee included could not carry it), 400 validation_failed.',
  })
  @ApiParam({ name: 'organizationId', format: 'uuid' })
  @ApiParam({ name: 'currency', example: 'SEK', description: 'ISO-4217; one the platform sells in.' })
  @ApiOkResponse({ type: FeeOverrideDto })
  set(
    @CurrentPrincipal() principal: Principal,
    @Param('organizationId', organizationId) organization: string,
    @Param('currency') currency: string,
    @Body() body: SetFeeOverrideDto,
  ): Promise<FeeOverrideDto> {
    return this.overrides.set(principal, organization, currency, body);
  }

  @Delete(':currency')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'End the agreement (CAT-2, platform_admin): the published schedule applies again and the events on sale ' +
      'are republished; 422 fee_exceeds_price if a ticket on sale with the fee included could not carry it. ' +
      'Idempotent.',
  })
  @ApiParam({ name: 'organizationId', format: 'uuid' })
  @ApiParam({ name: 'currency', example: 'SEK' })
  @ApiNoContentResponse()
  async remove(
    @Param('organizationId', organizationId) organization: string,
    @Param('currency') currency: string,
  ): Promise<void> {
    await this.overrides.remove(organization, currency);
  }
}

@ApiTags('fees')
@ApiBearerAuth()
@Controller('v1/organizations/:organizationId/fees')
@UseGuards(TicketryAuthGuard)
export class OrganizationFeesController {
  constructor(private readonly overrides: FeeOverridesService) {}

  @Get()
  @ApiOperation({
    summary:
      'The fee schedule that applies to the organization (CAT-2, PAY-10): the published one with its agreement, if ' +
      'any; owner, finance, manager, support or platform_admin; 403 organization_forbidden, 422 fees_not_available.',
  })
  @ApiParam({ name: 'organizationId', format: 'uuid' })
  @ApiOkResponse({ type: OrganizationFeesDto })
  fees(
    @CurrentPrincipal() principal: Principal,
    @Param('organizationId', organizationId) organization: string,
    @Query() query: FeesQuery,
  ): Promise<OrganizationFeesDto> {
    return this.overrides.effective(principal, organization, query.country, query.currency);
  }
}
