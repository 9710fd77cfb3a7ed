import { Body, Controller, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireStepUp, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { NotFoundError } from '@ticketry/platform';
import { Transform } from 'class-transformer';
import { IsEmail, isUUID, MaxLength } from 'class-validator';
import { EmailChangeService } from './email-change.service';

export class ChangeEmailDto {
  @ApiProperty({ example: 'anna@example.se', description: 'Trimmed and compared case-insensitively (ID-1).' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;
}

export class EmailDto {
  @ApiProperty() email!: string;
}

/**
 * ID-12: only the consumer, after step-up, changes their own e-mail. Organizers have no route to
 * anyone's e-mail; an organization member changing their own is a consumer like any other and needs
 * the step-up too. `consumer` keeps API-client and service tokens out (they have no person).
 */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(TicketryAuthGuard)
export class MeEmailController {
  constructor(private readonly emails: EmailChangeService) {}

  @Put('email')
  @HttpCode(200)
  @Roles('consumer')
  @RequireStepUp()
  @ApiOperation({
    summary:
      'Change the caller’s e-mail after step-up (ID-12); 403 step_up_required otherwise. Other sessions end.',
  })
  @ApiOkResponse({ type: EmailDto })
  async change(@CurrentPrincipal() principal: Principal, @Body() body: ChangeEmailDto): Promise<EmailDto> {
    return this.emails.change(principal.identityId, body.email, 'consumer');
  }
}

/** ID-12: the platform's consumer support changes a consumer's e-mail (only `support`, see README). */
@ApiTags('support')
@ApiBearerAuth()
@Controller('v1/support/identities')
@UseGuards(TicketryAuthGuard)
export class SupportIdentitiesController {
  constructor(private readonly emails: EmailChangeService) {}

  @Put(':id/email')
  @HttpCode(200)
  @Roles('support')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Consumer support changes a consumer’s e-mail (ID-12); 404 identity_not_found.' })
  @ApiOkResponse({ type: EmailDto })
  async change(@Param('id') identityId: string, @Body() body: ChangeEmailDto): Promise<EmailDto> {
    if (!isUUID(identityId)) throw new NotFoundError('The identity', 'identity_not_found');
    return this.emails.change(identityId, body.email, 'support');
  }
}
