import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORG_ROLES, type OrgRole } from '@ticketry/auth';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_PAGE_SIZE, SCOPE_MAX_LENGTH, SCOPE_PATTERN } from './organizations';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Stockholm Jazz Club' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country of the organizer.', example: 'SE' })
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @ApiPropertyOptional({ example: 'Stockholm Jazz Club AB' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  legalName?: string;
}

export class CreatedOrganizationDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
}

export class AddMemberDto {
  @ApiProperty({ description: 'E-mail of an existing identity.' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ORG_ROLES })
  @IsIn(ORG_ROLES, { message: `role must be one of ${ORG_ROLES.join(', ')}` })
  role!: OrgRole;
}

export class MemberAddedDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) identityId!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
}

export class ListMembersQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) identityId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) items!: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class CreateApiClientDto {
  @ApiProperty({ example: 'Box office integration' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: [String],
    example: ['orders:read', 'check-ins:write'],
    description: 'What the client may do; its tokens carry them in `scope`.',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(SCOPE_MAX_LENGTH, { each: true })
  @Matches(SCOPE_PATTERN, { each: true, message: 'each scope must look like `orders:read`' })
  scopes!: string[];
}

export class CreatedApiClientDto {
  @ApiProperty({ format: 'uuid', description: '`client_id` at POST /v1/oauth/token.' })
  clientId!: string;

  @ApiProperty({ description: '`client_secret`; shown only in this answer and never stored in clear.' })
  clientSecret!: string;
}
