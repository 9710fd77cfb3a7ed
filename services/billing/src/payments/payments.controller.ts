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
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { IDEMPOTENCY_HEADER, NotFoundError, ValidationFailedError } from '@ticketry/platform';
import {
  CreatePaymentDto,
  PaymentAnswerDto,
  PaymentViewDto,
  RefundAnswerDto,
  RefundPaymentDto,
} from './payments.dto';
import { PaymentAnswer, PaymentsService, PaymentView, RefundAnswer } from './payments.service';

/** A malformed id is the caller's mistake: 400, not a lookup. */
const paymentId = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a UUID' }]),
});

/** For a refund the id names the payment to move money on: one that cannot exist is not found. */
const refundedPaymentId = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundError('The payment', 'payment_not_found'),
});

function requireIdempotencyKey(idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined || idempotencyKey.trim() === '') {
    throw new ValidationFailedError([
      { field: 'Idempotency-Key', message: 'the Idempotency-Key header is required' },
    ]);
  }
  return idempotencyKey;
}

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
    return this.payments.authorize(requireIdempotencyKey(idempotencyKey), {
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

  @Post(':id/refunds')
  @HttpCode(201)
  @Roles('service', 'support', 'platform_admin')
  @ApiOperation({
    summary:
      'Refund captured money (the refunds service with its service token; support, platform_admin). The amount ' +
      'is the caller’s decision (PAY-13: service, alternative-payment and advertising fees are not refunded); ' +
      'billing refuses refunds that together exceed the captured amount. A repeat with the same ' +
      'Idempotency-Key and body answers as the first time without refunding again.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'One refund per key and payment; the provider is called under a key derived from it.',
  })
  @ApiBody({ type: RefundPaymentDto })
  @ApiCreatedResponse({ type: RefundAnswerDto })
  @ApiForbiddenResponse({ description: '`forbidden`: not the service, support or platform_admin' })
  @ApiNotFoundResponse({ description: '`payment_not_found`: no such payment (also a malformed id)' })
  @ApiConflictResponse({
    description:
      '`payment_not_refundable`: not captured (pending, authorised, voided, failed) or already refunded in ' +
      'full; `idempotency_key_reused`: the key was used with another body',
  })
  @ApiUnprocessableEntityResponse({
    description:
      '`refund_exceeds_captured`: with the earlier refunds more than was captured; nothing refunded',
  })
  @ApiServiceUnavailableResponse({
    description: '`payment_provider_unavailable`: nothing refunded; retry the same request with the same key',
  })
  refund(
    @Headers(IDEMPOTENCY_HEADER) idempotencyKey: string | undefined,
    @Param('id', refundedPaymentId) id: string,
    @Body() body: RefundPaymentDto,
  ): Promise<RefundAnswer> {
    return this.payments.refund(id, requireIdempotencyKey(idempotencyKey), {
      amountMinor: body.amountMinor,
      reason: body.reason,
    });
  }
}
