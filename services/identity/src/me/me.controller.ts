import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
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
    const identity = await this.dataSource
      .getRepository(IdentityEntity)
      .findOneBy({ id: principal.identityId });
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
