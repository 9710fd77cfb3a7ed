import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches } from 'class-validator';
import { FeesDto } from '../fees/fees.controller';

/**
 * PUT /v1/admin/organizations/{organizationId}/fee-overrides/{currency} (CAT-2). The DTO checks
 * shapes only (whole numbers, a reason); the ranges are libs/fees `withOverride`'s, answered as
 * 422 `invalid_fee_override`, so catalog and orders can never disagree on what an agreement may be.
 */
export class SetFeeOverrideDto {
  @ApiProperty({
    description: 'Agreed service fee, basis points of the face value (0..10000; 10 000 bp = 100 %).',
    minimum: 0,
    maximum: 10_000,
    example: 250,
  })
  @IsInt()
  percentBp!: number;

  @ApiProperty({
    description: 'Agreed fixed part per paid ticket, minor units of the currency (0 or more).',
    minimum: 0,
    example: 300,
  })
  @IsInt()
  fixedMinor!: number;

  @ApiProperty({ description: 'Why: the agreement it comes from. Kept with who set it and when.' })
  @IsString()
  @Length(1, 1000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class FeeOverrideDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'SEK' }) currency!: string;
  @ApiProperty() percentBp!: number;
  @ApiProperty() fixedMinor!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) setAt!: string;
}

/** GET /v1/organizations/{organizationId}/fees: the schedule that applies to this organization. */
export class OrganizationFeesDto extends FeesDto {
  @ApiProperty({
    description:
      'True when an agreement (CAT-2) replaces percentBp and fixedMinor for this organization and currency.',
  })
  overridden!: boolean;
}
