import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_METHODS, PaymentMethod } from './payment-provider';

export class PaymentBuyerDto {
  @ApiProperty({ example: 'buyer@example.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 320)
  email!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Set when the buyer was logged in; lets them read the payment.',
  })
  @IsOptional()
  @IsUUID('all')
  identityId?: string;
}

export class CreatePaymentDto {
  @ApiProperty({ format: 'uuid', description: 'One payment per order.' })
  @IsUUID('all')
  orderId!: string;

  @ApiProperty({ description: 'Integer minor units (öre, cents), more than zero.', example: 23000 })
  @IsInt({ message: 'amountMinor must be an integer number of minor units' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ example: 'SEK' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code' })
  currency!: string;

  @ApiProperty({ enum: PAYMENT_METHODS })
  @IsIn(PAYMENT_METHODS)
  method!: PaymentMethod;

  @ApiProperty({ description: 'The client-side payment token (sandbox: tok_visa, tok_declined, …).' })
  @IsString()
  @Length(1, 500)
  paymentToken!: string;

  @ApiProperty({ type: PaymentBuyerDto })
  @ValidateNested()
  @Type(() => PaymentBuyerDto)
  buyer!: PaymentBuyerDto;
}

export class PaymentAnswerDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({
    enum: ['authorized', 'failed', 'pending', 'captured', 'partially_refunded', 'refunded', 'voided'],
    description: 'authorized or failed for a new payment; a repeat shows the payment as it is now.',
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'card_declined' }) declineCode!: string | null;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: string;
  @ApiProperty({ nullable: true, type: String }) providerRef!: string | null;
}

export class PaymentAttemptDto {
  @ApiProperty({ enum: ['authorize', 'capture', 'void', 'refund'] }) kind!: string;
  @ApiProperty({ enum: ['succeeded', 'declined', 'unavailable'] }) outcome!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({ nullable: true, type: String }) providerRef!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Refunds only: the provider’s reference of the refund.',
  })
  refundRef!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PaymentViewDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({
    enum: ['pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'],
  })
  status!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: string;
  @ApiProperty({ nullable: true, type: String }) providerRef!: string | null;
  @ApiProperty({ nullable: true, type: String }) declineCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [PaymentAttemptDto] }) attempts!: PaymentAttemptDto[];
}

export class RefundPaymentDto {
  @ApiProperty({
    description:
      'Integer minor units in the payment’s currency, more than zero. The caller decides it (the refunds ' +
      'service leaves out the fees that are never refunded, PAY-13); together with earlier refunds at most ' +
      'the captured amount.',
    example: 20000,
  })
  @IsInt({ message: 'amountMinor must be an integer number of minor units' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ minLength: 1, maxLength: 500, example: 'REF-7 event cancelled' })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class RefundAnswerDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ description: 'The provider’s reference of this refund.' }) refundRef!: string;
  @ApiProperty({ description: 'This refund, in minor units.' }) amountMinor!: number;
  @ApiProperty({ example: 'SEK' }) currency!: string;
  @ApiProperty({ enum: ['partially_refunded', 'refunded'] }) status!: string;
  @ApiProperty({ description: 'Every refund of the payment up to and including this one.' })
  refundedMinor!: number;
  @ApiProperty({ description: 'Captured and not yet refunded after this refund.' })
  refundableMinor!: number;
}

export class RunPaymentJobsDto {
  @ApiProperty({
    format: 'date-time',
    description: 'The moment to run as: pending authorisations older than a minute before it are retried.',
  })
  @IsISO8601({ strict: true })
  asOf!: string;
}

export class RunPaymentJobsAnswerDto {
  @ApiProperty() captured!: number;
  @ApiProperty() voided!: number;
  @ApiProperty() authorized!: number;
  @ApiProperty() failed!: number;
}
