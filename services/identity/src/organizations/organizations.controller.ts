import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, OrgScoped, Principal, Roles, TicketryAuthGuard } from '@ticketry/auth';
import {
  AddMemberDto,
  CreateApiClientDto,
  CreatedApiClientDto,
  CreatedOrganizationDto,
  CreateOrganizationDto,
  ListMembersQueryDto,
  MemberAddedDto,
  MemberPageDto,
} from './organizations.dto';
import {
  ROLES_THAT_ADD_MEMBERS,
  ROLES_THAT_CREATE_API_CLIENTS,
  ROLES_THAT_LIST_MEMBERS,
} from './organizations';
import { OrganizationsService } from './organizations.service';

const ORGANIZATION_FORBIDDEN =
  '`organization_forbidden`: the caller is not a member of this organization with a role that may do this (ID-16).';

/**
 * Organizations and their members are administered by people: @Roles('consumer') keeps API-client
 * and service tokens (which have no `consumer` role) out, whatever memberships they carry.
 */
@ApiTags('organizations')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: '`unauthorized` or `invalid_token`.' })
@Controller('v1/organizations')
@UseGuards(TicketryAuthGuard)
@Roles('consumer')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization; the caller becomes its owner (ID-16).' })
  @ApiCreatedResponse({ type: CreatedOrganizationDto })
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  @ApiForbiddenResponse({ description: '`forbidden`: not a person’s token (API client or service).' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateOrganizationDto,
  ): Promise<CreatedOrganizationDto> {
    return this.organizations.create(principal.identityId, body);
  }

  @Post(':id/members')
  @OrgScoped(...ROLES_THAT_ADD_MEMBERS)
  @ApiOperation({
    summary: 'Add an existing identity as a sub-user with a role (owner only, ID-16).',
    description: 'The new member’s next login or token refresh carries the membership in `orgs`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: MemberAddedDto })
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  @ApiForbiddenResponse({ description: ORGANIZATION_FORBIDDEN })
  @ApiNotFoundResponse({ description: '`identity_not_found`: no identity has this e-mail.' })
  @ApiConflictResponse({ description: '`already_member`.' })
  addMember(
    @Param('id') organizationId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: AddMemberDto,
  ): Promise<MemberAddedDto> {
    return this.organizations.addMember(organizationId, principal.identityId, body);
  }

  @Get(':id/members')
  @HttpCode(200)
  @OrgScoped(...ROLES_THAT_LIST_MEMBERS)
  @ApiOperation({ summary: 'The organization’s members, in the order they joined (owner, manager).' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MemberPageDto })
  @ApiBadRequestResponse({ description: '`validation_failed` (also for a cursor this API did not return).' })
  @ApiForbiddenResponse({ description: ORGANIZATION_FORBIDDEN })
  listMembers(
    @Param('id') organizationId: string,
    @Query() query: ListMembersQueryDto,
  ): Promise<MemberPageDto> {
    return this.organizations.listMembers(organizationId, query.limit, query.cursor);
  }

  @Post(':id/api-clients')
  @OrgScoped(...ROLES_THAT_CREATE_API_CLIENTS)
  @ApiOperation({
    summary: 'Create an API client for a partner integration (owner only).',
    description:
      'The secret is in this answer only; Ticketry keeps an argon2id hash of it. Exchange both at ' +
      'POST /v1/oauth/token (client_credentials) for access tokens acting for this organization.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: CreatedApiClientDto })
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  @ApiForbiddenResponse({ description: ORGANIZATION_FORBIDDEN })
  createApiClient(
    @Param('id') organizationId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiClientDto,
  ): Promise<CreatedApiClientDto> {
    return this.organizations.createApiClient(organizationId, principal.identityId, body);
  }
}
