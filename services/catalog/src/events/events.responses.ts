import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * Response shapes for the OpenAPI document (frontends generate clients from /docs-json). The service
 * returns plain objects of the same shape; the controller's return types tie the two together.
 */

export class RefundPolicyResponse {
  @ApiProperty({ enum: ['no_refunds', 'until_days_before', 'custom'] }) kind!:
    'no_refunds' | 'until_days_before' | 'custom';
  @ApiPropertyOptional() daysBefore?: number;
  @ApiProperty({ description: 'Shown on the event page (CAT-3).' }) text!: string;
  @ApiProperty() responseBusinessDays!: number;
  @ApiProperty() contact!: string;
  @ApiProperty({ description: 'Orders keep the version they were sold under (CAT-3).' }) version!: number;
}

export class TicketTypeResponse {
  @ApiProperty({ format: 'uuid' }) ticketTypeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['single', 'subscription'] }) kind!: string;
  @ApiProperty() priceMinor!: number;
  @ApiProperty({ example: 'SEK' }) currency!: string;
  @ApiProperty({ description: 'Capacity less what orders reports sold or held.' }) available!: number;
  @ApiProperty({ format: 'date-time' }) salesStartAt!: string;
  @ApiProperty({ format: 'date-time' }) salesEndAt!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Subscriptions: binding months (SUB-7).' })
  bindingMonths!: number | null;
}

export class EventResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ example: 'SE' }) country!: string;
  @ApiProperty({ example: 'SEK' }) currency!: string;
  @ApiProperty() venue!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ enum: ['included', 'passed_on'] }) feeMode!: string;
  @ApiProperty() transfersAllowed!: boolean;
  @ApiProperty() advertisingEnabled!: boolean;
  @ApiProperty() eInvoiceEnabled!: boolean;
  @ApiProperty({ enum: ['draft', 'published', 'cancelled'] }) status!: string;
  @ApiProperty({ description: 'ENT-1', example: 'ticketry_se' }) legalEntity!: string;
  @ApiProperty({ type: RefundPolicyResponse }) refundPolicy!: RefundPolicyResponse;
  @ApiProperty({ type: [TicketTypeResponse] }) ticketTypes!: TicketTypeResponse[];
}

export class EventsPageResponse {
  @ApiProperty({ type: [EventResponse] }) items!: EventResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class EventCreatedResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: ['draft'] }) status!: 'draft';
}

export class TicketTypeCreatedResponse {
  @ApiProperty({ format: 'uuid' }) ticketTypeId!: string;
}

export class EventStatusResponse {
  @ApiProperty({ enum: ['published', 'cancelled'] }) status!: 'published' | 'cancelled';
}
