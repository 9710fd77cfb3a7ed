import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, OptionalPrincipal, Principal, Public, TicketryAuthGuard } from '@ticketry/auth';
import { OwnIdempotency, ValidationFailedError } from '@ticketry/platform';
import type { Response } from 'express';
import { eventNotFound, orderNotFound } from './order-errors';
import { CreateOrderDto, ListOrdersQuery } from './orders.dto';
import { AvailabilityResponse, OrderResponse, OrdersPageResponse, StatusResponse } from './orders.responses';
import { OrdersService } from './orders.service';

const orderId = new ParseUUIDPipe({ exceptionFactory: () => orderNotFound() });
const eventId = new ParseUUIDPipe({ exceptionFactory: () => eventNotFound() });
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(TicketryAuthGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Public()
  @Post('orders')
  @OwnIdempotency()
  @ApiOperation({
    summary: 'Buy tickets, as a guest or logged in (ORD-1..ORD-6).',
    description:
      'Seats are held atomically per ticket type (never oversold). Card and wallet payments are authorised by billing: ' +
      '201 `confirmed` with tickets, or 202 `pending` when billing has not answered yet (the order settles by itself; poll ' +
      'GET /v1/orders/{id} as the buyer). e_invoice orders answer 201 `awaiting_invoice_payment` (ORD-8). A declined ' +
      'payment answers 402 with the decline code (`card_declined`, `insufficient_funds`, `expired_card`) and releases the ' +
      'seats. A replay with the same Idempotency-Key and body returns the same order, never a second charge.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    type: OrderResponse,
    description: 'Confirmed, or awaiting invoice payment (e_invoice).',
  })
  @ApiAcceptedResponse({
    type: OrderResponse,
    description: 'The payment outcome is not known yet; status `pending`.',
  })
  @ApiResponse({ status: 402, description: 'Payment declined; code is the decline code.' })
  @ApiConflictResponse({ description: '`sold_out`, `idempotency_key_reused`, `order_expired`' })
  @ApiUnprocessableEntityResponse({
    description: '`sales_closed`, `add_on_not_available`, `fees_not_available`',
  })
  async create(
    @OptionalPrincipal() principal: Principal | undefined,
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderResponse> {
    if (key !== undefined && !VALID_KEY.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
      ]);
    }
    const result = await this.orders.checkout(principal, body, key);
    // Set here, not by a decorator: the status depends on the payment outcome (and on a replay, on
    // the first request's outcome).
    response.status(result.httpStatus);
    return result.order;
  }

  @Get('orders/:id')
  @ApiOperation({ summary: 'One order: its buyer (ID-14), its organization\u2019s members, support.' })
  @ApiOkResponse({ type: OrderResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id', orderId) id: string): Promise<OrderResponse> {
    return this.orders.get(principal, id);
  }

  @Get('orders')
  @ApiOperation({
    summary:
      '`?mine=true`: the caller\u2019s orders, with earlier guest orders of the same e-mail (ID-14); `?eventId=`: an event\u2019s orders for its organization.',
  })
  @ApiOkResponse({ type: OrdersPageResponse })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListOrdersQuery,
  ): Promise<OrdersPageResponse> {
    return this.orders.list(principal, query);
  }

  @Post('orders/:id/mark-paid')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ORD-8: the organizer (owner, manager, finance) marks an e-invoice order paid; tickets go out.',
  })
  @ApiOkResponse({ type: StatusResponse, description: '`{ status: "confirmed" }`' })
  @ApiConflictResponse({ description: '`order_not_awaiting_invoice`' })
  markPaid(@CurrentPrincipal() principal: Principal, @Param('id', orderId) id: string) {
    return this.orders.markPaid(principal, id);
  }

  @Post('orders/:id/cancel-unpaid-invoice')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'ORD-8: the organizer (owner, manager, finance) gives up an e-invoice order it was never paid for; the seats go back on sale.',
  })
  @ApiOkResponse({ type: StatusResponse, description: '`{ status: "cancelled" }`' })
  @ApiConflictResponse({ description: '`order_not_awaiting_invoice`' })
  cancelUnpaidInvoice(@CurrentPrincipal() principal: Principal, @Param('id', orderId) id: string) {
    return this.orders.cancelUnpaidInvoice(principal, id);
  }

  @Public()
  @Get('events/:id/availability')
  @ApiOperation({ summary: 'Seats per ticket type: capacity, sold (including unpaid holds), available.' })
  @ApiOkResponse({ type: AvailabilityResponse })
  availability(@Param('id', eventId) id: string): Promise<AvailabilityResponse> {
    return this.orders.availability(id);
  }
}
