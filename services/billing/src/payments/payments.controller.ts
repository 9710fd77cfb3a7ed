import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { IDEMPOTENCY_HEADER, ValidationFailedError } from '@ticketry/platform';
import { CreatePaymentDto, PaymentAnswerDto, PaymentViewDto } from './payments.dto';
import { PaymentAnswer, PaymentsService, PaymentView } from './payments.service';

/** A malformed id is the caller's mistake: 400, not a lookup. */
const paymentId = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a UUID' }]),
});

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
@UseGuards(TicketryAuthGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(201)
  @Roles('service')
  @ApiOperation({
    summary:
      'Authorise an order’s payment (ORD-1; orders only, with its service token). One payment per order: a repeat ' +
      'with the same body returns it (retrying a pending authorisation first), another body is 409.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'orders sends `order-<orderId>`' })
  @ApiBody({ type: CreatePaymentDto })
  @ApiCreatedResponse({
    type: PaymentAnswerDto,
    description: 'status `authorized` or `failed` (with declineCode)',
  })
  @ApiConflictResponse({
    description: '`idempotency_key_reused`: this order has a payment from another request',
  })
  @ApiServiceUnavailableResponse({
    description: '`payment_provider_unavailable`: the payment stays pending; retry the same request',
  })
  create(
    @Headers(IDEMPOTENCY_HEADER) idempotencyKey: string | undefined,
    @Body() body: CreatePaymentDto,
  ): Promise<PaymentAnswer> {
    if (idempotencyKey === undefined || idempotencyKey.trim() === '') {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'the Idempotency-Key header is required' },
      ]);
    }
    return this.payments.authorize(idempotencyKey, {
      orderId: body.orderId,
      amountMinor: body.amountMinor,
      currency: body.currency,
      method: body.method,
      paymentToken: body.paymentToken,
      buyer: { email: body.buyer.email, identityId: body.buyer.identityId },
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A payment with every provider attempt: its buyer, support and platform_admin.' })
  @ApiOkResponse({ type: PaymentViewDto })
  @ApiNotFoundResponse({ description: '`payment_not_found`, also when the caller may not see it' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', paymentId) id: string): Promise<PaymentView> {
    return this.payments.get(principal, id);
  }
}
