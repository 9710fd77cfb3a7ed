import { Controller, Delete, HttpCode, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireStepUp, Roles, TicketryAuthGuard } from '@ticketry/auth';
import { ErasureService } from './erasure.service';

export class ErasureStartedDto {
  @ApiProperty({ format: 'uuid' }) erasureId!: string;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(TicketryAuthGuard)
export class ErasureController {
  constructor(private readonly erasures: ErasureService) {}

  @Delete()
  @HttpCode(202)
  @Roles('consumer')
  @RequireStepUp()
  @ApiOperation({
    summary:
      'Delete the caller’s account after step-up (ID-17, CON-6): anonymised here now, other services follow IdentityErased.',
  })
  @ApiAcceptedResponse({ type: ErasureStartedDto })
  async erase(@CurrentPrincipal() principal: Principal): Promise<ErasureStartedDto> {
    return this.erasures.erase(principal.identityId);
  }
}
