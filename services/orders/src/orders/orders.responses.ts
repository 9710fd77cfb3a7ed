import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADD_ONS, ORDER_PAYMENT_METHODS } from '@ticketry/fees';

/*
 * Response shapes for the OpenAPI document (frontends generate clients from /docs-json). The
 * service returns plain objects of the same shape; these classes only describe them.
 */

const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'payment_failed',
  'awaiting_invoice_payment',
  'refunded',
  'partially_refunded',
  'cancelled',
] as const;

export class OrderTotalsResponse {
  @ApiProperty({ description: 'Face value × quantity, minor units.' }) faceValueMinor!: number;
  @ApiProperty({ description: 'The service fee with its VAT the buyer pays; 0 when the fee is included.' })
  serviceFeeMinor!: number;
  @ApiProperty() addOnsMinor!: number;
  @ApiProperty({ description: 'What the buyer pays (ORD-3).' }) totalMinor!: number;
  @ApiProperty({ example: 'SEK' }) currency!: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ description: 'The check-in code (ORD-2).' }) code!: string;
  @ApiProperty({ enum: ['valid', 'used', 'void', 'transferred'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) ticketTypeId!: string;
}

export class BuyerResponse {
  @ApiProperty() email!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
}

export class AddOnResponse {
  @ApiProperty({ enum: ADD_ONS }) addOn!: string;
  @ApiProperty() amountMinor!: number;
}

export class OrganizerChargesResponse {
  @ApiProperty({ description: 'ORD-5: the order came from the platform\u2019s advertising while it was on.' })
  advertising!: boolean;
  @ApiProperty({ description: 'ORD-4, charged to the organizer.' }) altPaymentFeeMinor!: number;
  @ApiProperty({ description: 'ORD-5, charged to the organizer.' }) advertisingFeeMinor!: number;
  @ApiProperty() organizerShareMinor!: number;
  @ApiPropertyOptional({ description: 'ORD-8 invoice details.', type: Object, nullable: true })
  invoice!: Record<string, string> | null;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Set once confirmed (ORD-1).',
    example: 'TK-7QX3-M9P2-K4',
  })
  confirmationNumber!: string | null;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'se' }) market!: string;
  @ApiProperty({ description: 'ENT-1: the contracting platform entity.', example: 'ticketry_se' })
  legalEntity!: string;
  @ApiProperty({ enum: ORDER_PAYMENT_METHODS }) paymentMethod!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) paymentId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'card_declined' }) declineCode!: string | null;
  @ApiProperty({ type: BuyerResponse }) buyer!: BuyerResponse;
  @ApiProperty({ type: OrderTotalsResponse }) totals!: OrderTotalsResponse;
  @ApiProperty({ type: [AddOnResponse] }) addOns!: AddOnResponse[];
  @ApiProperty({ description: 'CAT-3: the refund policy version the order was sold under.' })
  refundPolicyVersion!: number;
  @ApiProperty({ type: Object, description: 'ORD-5: the UTM tags given at checkout.' }) source!: Record<
    string,
    string
  >;
  @ApiProperty() organizerMarketingOptIn!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) holdExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) confirmedAt!: string | null;
  @ApiProperty({ type: [TicketResponse] }) tickets!: TicketResponse[];
  @ApiPropertyOptional({
    type: OrganizerChargesResponse,
    description: 'Organization members and support only.',
  })
  organizer?: OrganizerChargesResponse;
}

export class OrdersPageResponse {
  @ApiProperty({ type: [OrderResponse] }) items!: OrderResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class StatusResponse {
  @ApiProperty({ example: 'confirmed' }) status!: string;
}

export class TransferResponse {
  @ApiProperty({ format: 'uuid', description: 'The new ticket.' }) ticketId!: string;
  @ApiProperty({ description: 'Its new code; the old one no longer works (ORD-7).' }) code!: string;
}

export class CheckInResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ enum: ['used'] }) status!: string;
}

export class TicketTypeAvailabilityResponse {
  @ApiProperty({ format: 'uuid' }) ticketTypeId!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Sold or held by an unpaid order.' }) sold!: number;
  @ApiProperty() available!: number;
}

export class AvailabilityResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: [TicketTypeAvailabilityResponse] }) ticketTypes!: TicketTypeAvailabilityResponse[];
}

export class HoldJobResponse {
  @ApiProperty() retried!: number;
  @ApiProperty() confirmed!: number;
  @ApiProperty() expired!: number;
}
