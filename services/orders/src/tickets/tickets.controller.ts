import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { ticketNotFound } from '../orders/order-errors';
import { CheckInDto, TransferTicketDto, VoidTicketDto } from '../orders/orders.dto';
import { CheckInResponse, TransferResponse } from '../orders/orders.responses';
import { TicketsService } from './tickets.service';

const ticketId = new ParseUUIDPipe({ exceptionFactory: () => ticketNotFound() });

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(TicketryAuthGuard)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post('tickets/:ticketId/transfer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ORD-7: the ticket\u2019s holder gives it to someone else; the old code stops working.',
  })
  @ApiOkResponse({ type: TransferResponse })
  @ApiForbiddenResponse({ description: '`transfers_not_allowed`' })
  @ApiConflictResponse({ description: '`ticket_not_transferable`' })
  transfer(
    @CurrentPrincipal() principal: Principal,
    @Param('ticketId', ticketId) id: string,
    @Body() body: TransferTicketDto,
  ): Promise<TransferResponse> {
    return this.tickets.transfer(principal, id, body);
  }

  @Post('check-ins')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ORD-9/ORD-10: admit a ticket code at the door (the event\u2019s organization, scanner and up).',
  })
  @ApiOkResponse({ type: CheckInResponse })
  @ApiConflictResponse({ description: '`already_checked_in`' })
  @ApiResponse({
    status: 410,
    description: '`ticket_void` (refunded or voided), `ticket_transferred` (an old code)',
  })
  checkIn(@CurrentPrincipal() principal: Principal, @Body() body: CheckInDto): Promise<CheckInResponse> {
    return this.tickets.checkIn(principal, body.eventId.toLowerCase(), body.code);
  }

  @Post('tickets/:ticketId/void')
  @HttpCode(200)
  @Roles('support', 'platform_admin')
  @ApiOperation({ summary: 'ORD-9: support voids a ticket; check-in refuses it from then on.' })
  @ApiOkResponse({ description: '`{ ticketId, status: "void" }`' })
  void(@Param('ticketId', ticketId) id: string, @Body() body: VoidTicketDto) {
    return this.tickets.void(id, body.reason);
  }
}
