import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, OptionalPrincipal, Principal, Public, TicketryAuthGuard } from '@ticketry/auth';
import { NotFoundError } from '@ticketry/platform';
import {
  CancelEventDto,
  CreateEventDto,
  CreateTicketTypeDto,
  SearchEventsQuery,
  UpdateEventDto,
  UpdateTicketTypeDto,
} from './events.dto';
import {
  EventCreatedResponse,
  EventResponse,
  EventsPageResponse,
  EventStatusResponse,
  TicketTypeCreatedResponse,
} from './events.responses';
import { EventsService } from './events.service';

/** A malformed id is a missing event, not a 500 or a validation lecture. */
const eventId = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundError('The event', 'event_not_found'),
});
const ticketTypeId = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundError('The ticket type', 'ticket_type_not_found'),
});

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
@UseGuards(TicketryAuthGuard)
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a draft event for an organization (owner or manager, CAT-1).' })
  @ApiCreatedResponse({ type: EventCreatedResponse })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateEventDto,
  ): Promise<EventCreatedResponse> {
    return this.events.create(principal, body);
  }

  @Post(':id/ticket-types')
  @ApiOperation({ summary: 'Add a one-off or subscription ticket type (CAT-1).' })
  @ApiCreatedResponse({ type: TicketTypeCreatedResponse })
  addTicketType(
    @CurrentPrincipal() principal: Principal,
    @Param('id', eventId) id: string,
    @Body() body: CreateTicketTypeDto,
  ): Promise<TicketTypeCreatedResponse> {
    return this.events.addTicketType(principal, id, body);
  }

  @Patch(':id/ticket-types/:tid')
  @ApiOperation({
    summary: 'Change price, capacity or sales end (a subscription price change notifies subscribers, SUB-5).',
  })
  @ApiOkResponse({ type: EventResponse, description: 'The event as it now is.' })
  async updateTicketType(
    @CurrentPrincipal() principal: Principal,
    @Param('id', eventId) id: string,
    @Param('tid', ticketTypeId) tid: string,
    @Body() body: UpdateTicketTypeDto,
  ): Promise<EventResponse> {
    await this.events.updateTicketType(principal, id, tid, body);
    return this.events.get(id, principal);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish: 422 refund_policy_noncompliant (CAT-3), 422 prohibited_category (CAT-4).',
  })
  @ApiOkResponse({ type: EventStatusResponse })
  publish(
    @CurrentPrincipal() principal: Principal,
    @Param('id', eventId) id: string,
  ): Promise<EventStatusResponse> {
    return this.events.publish(principal, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change advertising (CAT-6), title, description, or the refund policy (a new version, CAT-3).',
  })
  @ApiOkResponse({ type: EventResponse, description: 'The event as it now is.' })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', eventId) id: string,
    @Body() body: UpdateEventDto,
  ): Promise<EventResponse> {
    await this.events.update(principal, id, body);
    return this.events.get(id, principal);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel before the start (CAT-8): organization owner or platform_admin; refunds follow (REF-7).',
  })
  @ApiOkResponse({ type: EventStatusResponse })
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', eventId) id: string,
    @Body() body: CancelEventDto,
  ): Promise<EventStatusResponse> {
    return this.events.cancel(principal, id, body.reason);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Search published events by country, text and dates.' })
  @ApiOkResponse({ type: EventsPageResponse })
  search(@Query() query: SearchEventsQuery): Promise<EventsPageResponse> {
    return this.events.search(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'An event with its ticket types and refund policy.' })
  @ApiOkResponse({ type: EventResponse, description: 'Drafts are visible to their organization only.' })
  get(@Param('id', eventId) id: string, @OptionalPrincipal() principal?: Principal): Promise<EventResponse> {
    return this.events.get(id, principal);
  }
}
