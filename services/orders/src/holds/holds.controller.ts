import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, TicketryAuthGuard } from '@ticketry/auth';
import { HoldJobDto } from '../orders/orders.dto';
import { HoldJobResponse } from '../orders/orders.responses';
import { HoldsService } from './holds.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/orders')
@UseGuards(TicketryAuthGuard)
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post('expire-holds')
  @HttpCode(200)
  @Roles('platform_admin')
  @ApiOperation({
    summary:
      'Run the hold job as of `asOf`: re-ask billing about pending payments, expire unpaid holds and release their seats.',
  })
  @ApiOkResponse({ type: HoldJobResponse })
  run(@Body() body: HoldJobDto) {
    return this.holds.run(new Date(body.asOf), body.eventId);
  }
}
