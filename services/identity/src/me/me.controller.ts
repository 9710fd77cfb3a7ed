import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { CurrentPrincipal, Principal, TicketryAuthGuard } from '@ticketry/auth';
import { NotFoundError } from '@ticketry/platform';
import { DataSource } from 'typeorm';
import { IdentityEntity, MarketAccountEntity } from '../accounts/identity.entity';

class MarketAccountDto {
  @ApiProperty({ format: 'uuid' }) marketAccountId!: string;
  @ApiProperty() market!: string;
  @ApiProperty({ enum: ['linked', 'refused'] }) linkStatus!: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) identityId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ nullable: true }) country!: string | null;
  @ApiProperty({ nullable: true }) postalCode!: string | null;
  @ApiProperty({ nullable: true }) phone!: string | null;
  @ApiProperty() phoneVerified!: boolean;
  @ApiProperty({ nullable: true }) language!: string | null;
  @ApiProperty() hasPassword!: boolean;
  @ApiProperty() publicProfile!: boolean;
  @ApiProperty({ type: [MarketAccountDto] }) marketAccounts!: MarketAccountDto[];
}

/** Profile fields a consumer changes without step-up; e-mail and phone have their own flows (ID-11, ID-12). */
export class UpdateMeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 10) language?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 2) country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 16) postalCode?: string;
  @ApiPropertyOptional({ description: 'ID-15: opt out of the public profile.' })
  @IsOptional()
  @IsBoolean()
  publicProfile?: boolean;
  @ApiPropertyOptional({ description: 'CON-9: a guardian allows an under-17 account.' })
  @IsOptional()
  @IsBoolean()
  guardianConsent?: boolean;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(TicketryAuthGuard)
export class MeController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s global profile and market accounts (ID-1, ID-6).' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.load(principal.identityId);
  }

  @Patch()
  @ApiOperation({
    summary:
      'Change profile fields (not e-mail, not phone); publicProfile opts out of the public profile (ID-15).',
  })
  @ApiOkResponse({ type: MeDto })
  async update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<MeDto> {
    const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    if (typeof changes.country === 'string') changes.country = changes.country.toUpperCase();
    if (Object.keys(changes).length > 0) {
      await this.dataSource.getRepository(IdentityEntity).update({ id: principal.identityId }, changes);
    }
    return this.load(principal.identityId);
  }

  private async load(identityId: string): Promise<MeDto> {
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ id: identityId });
    if (!identity) throw new NotFoundError('The identity', 'identity_not_found');
    const accounts = await this.dataSource
      .getRepository(MarketAccountEntity)
      .find({ where: { identityId: identity.id }, order: { createdAt: 'ASC' } });
    return {
      identityId: identity.id,
      email: identity.email,
      firstName: identity.firstName,
      lastName: identity.lastName,
      country: identity.country,
      postalCode: identity.postalCode,
      phone: identity.phone,
      phoneVerified: identity.phoneVerifiedAt !== null,
      language: identity.language,
      hasPassword: identity.passwordHash !== null,
      publicProfile: identity.publicProfile,
      marketAccounts: accounts.map((a) => ({
        marketAccountId: a.id,
        market: a.market,
        linkStatus: a.linkStatus,
      })),
    };
  }
}
