import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { assertOrganizationRole, Principal } from '@ticketry/auth';
import { catalogEvents, create, timestampFromDate } from '@ticketry/contracts';
import { Outbox } from '@ticketry/messaging';
import { isCurrency, money } from '@ticketry/money';
import {
  FeeExceedsPriceError,
  feeInclusionSplit,
  type FeeOverride,
  feeScheduleFor,
  feesAvailable,
} from '@ticketry/fees';
import {
  CLOCK,
  Clock,
  ConflictError,
  DomainError,
  isMarket,
  marketOf,
  NotFoundError,
  ValidationFailedError,
} from '@ticketry/platform';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { feeOverrideFor } from '../fee-overrides/fee-override.entity';
import { assertNotProhibited, isKnownCategory, isProhibitedCategory } from './categories';
import { EventEntity, RefundPolicyEntity, TicketTypeEntity } from './event.entity';
import {
  CreateEventDto,
  CreateTicketTypeDto,
  SearchEventsQuery,
  UpdateEventDto,
  UpdateTicketTypeDto,
} from './events.dto';
import { refundPolicyProblems, RefundPolicy } from './refund-policy';

export interface EventView {
  eventId: string;
  organizationId: string;
  title: string;
  description: string;
  category: string;
  country: string;
  currency: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  feeMode: string;
  transfersAllowed: boolean;
  advertisingEnabled: boolean;
  eInvoiceEnabled: boolean;
  status: string;
  legalEntity: string;
  refundPolicy: RefundPolicy & { version: number };
  ticketTypes: {
    ticketTypeId: string;
    name: string;
    kind: string;
    priceMinor: number;
    currency: string;
    available: number;
    salesStartAt: string;
    salesEndAt: string;
    bindingMonths: number | null;
  }[];
}

/** SUB-7: five months unless the organizer set another. */
const DEFAULT_BINDING_MONTHS = 5;

@Injectable()
export class EventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(principal: Principal, input: CreateEventDto): Promise<{ eventId: string; status: 'draft' }> {
    assertOrganizationRole(principal, input.organizationId, ['owner', 'manager']);
    const country = input.country.toLowerCase();
    const errors = [];
    if (!isMarket(country))
      errors.push({ field: 'country', message: 'country must be one of the platform markets' });
    if (!isCurrency(input.currency)) errors.push({ field: 'currency', message: 'currency is not supported' });
    // CAT-4: a prohibited category is refused as such, before anything is stored.
    if (isProhibitedCategory(input.category)) assertNotProhibited({ category: input.category });
    if (isMarket(country) && isCurrency(input.currency) && !feesAvailable(country, input.currency)) {
      errors.push({
        field: 'currency',
        message: `tickets in ${input.currency} cannot be sold in ${country.toUpperCase()}`,
      });
    }
    if (!isKnownCategory(input.category))
      errors.push({ field: 'category', message: 'category is not a known event category' });
    if (new Date(input.endsAt) < new Date(input.startsAt))
      errors.push({ field: 'endsAt', message: 'endsAt must not be before startsAt' });
    if (errors.length > 0) throw new ValidationFailedError(errors);
    const now = this.clock.now();
    const eventId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(EventEntity).insert({
        id: eventId,
        organizationId: input.organizationId,
        title: input.title,
        description: input.description,
        category: input.category,
        country: country.toUpperCase(),
        currency: input.currency,
        venue: input.venue,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        feeMode: input.feeMode,
        transfersAllowed: input.transfersAllowed,
        advertisingEnabled: input.advertisingEnabled,
        eInvoiceEnabled: input.eInvoiceEnabled,
        status: 'draft',
        refundPolicyVersion: 1,
        legalEntity: marketOf(country).entity, // ENT-1
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager
        .getRepository(RefundPolicyEntity)
        .insert({ eventId, version: 1, policy: { ...input.refundPolicy }, createdAt: now });
    });
    return { eventId, status: 'draft' };
  }

  async addTicketType(
    principal: Principal,
    eventId: string,
    input: CreateTicketTypeDto,
  ): Promise<{ ticketTypeId: string }> {
    if (new Date(input.salesEndAt) <= new Date(input.salesStartAt)) {
      throw new ValidationFailedError([
        { field: 'salesEndAt', message: 'salesEndAt must be after salesStartAt' },
      ]);
    }
    const ticketTypeId = randomUUID();
    await this.change(principal, eventId, ['owner', 'manager'], async (manager, event) => {
      if (event.status === 'cancelled') throw new ConflictError('event_cancelled', 'The event is cancelled.');
      await this.assertFeeCovered(manager, event, [input.priceMinor]);
      await manager.getRepository(TicketTypeEntity).insert({
        id: ticketTypeId,
        eventId,
        name: input.name,
        kind: input.kind,
        priceMinor: input.priceMinor,
        capacity: input.capacity,
        salesStartAt: new Date(input.salesStartAt),
        salesEndAt: new Date(input.salesEndAt),
        bindingMonths: input.kind === 'subscription' ? (input.bindingMonths ?? DEFAULT_BINDING_MONTHS) : null,
        createdAt: this.clock.now(),
      });
    });
    return { ticketTypeId };
  }

  async updateTicketType(
    principal: Principal,
    eventId: string,
    ticketTypeId: string,
    input: UpdateTicketTypeDto,
  ): Promise<void> {
    await this.change(principal, eventId, ['owner', 'manager'], async (manager, event) => {
      if (event.status === 'cancelled') throw new ConflictError('event_cancelled', 'The event is cancelled.');
      const repo = manager.getRepository(TicketTypeEntity);
      const ticketType = await repo.findOneBy({ id: ticketTypeId, eventId });
      if (!ticketType) throw new NotFoundError('The ticket type', 'ticket_type_not_found');
      if (input.priceMinor !== undefined) await this.assertFeeCovered(manager, event, [input.priceMinor]);
      const salesEndAt = input.salesEndAt ? new Date(input.salesEndAt) : ticketType.salesEndAt;
      if (salesEndAt <= ticketType.salesStartAt) {
        throw new ValidationFailedError([
          { field: 'salesEndAt', message: 'salesEndAt must be after salesStartAt' },
        ]);
      }
      await repo.update(
        { id: ticketTypeId },
        {
          priceMinor: input.priceMinor ?? ticketType.priceMinor,
          capacity: input.capacity ?? ticketType.capacity,
          salesEndAt,
        },
      );
    });
  }

  /** CAT-3 and CAT-4 are checked here: a draft may be incomplete, a published event may not. */
  async publish(principal: Principal, eventId: string): Promise<{ status: 'published' }> {
    await this.change(
      principal,
      eventId,
      ['owner', 'manager'],
      async (manager, event) => {
        if (event.status === 'cancelled')
          throw new ConflictError('event_cancelled', 'The event is cancelled.');
        const ticketTypes = await manager.getRepository(TicketTypeEntity).findBy({ eventId });
        assertNotProhibited({ category: event.category, ticketTypeNames: ticketTypes.map((t) => t.name) }); // CAT-4, CAT-5
        await this.assertFeeCovered(
          manager,
          event,
          ticketTypes.map((t) => t.priceMinor),
        );
        if (ticketTypes.length === 0)
          throw new DomainError(
            'no_ticket_types',
            'An event needs at least one ticket type to be published.',
          );
        const policy = await this.policy(manager, event);
        const problems = refundPolicyProblems(policy, { paid: ticketTypes.some((t) => t.priceMinor > 0) });
        if (problems.length > 0) {
          throw new DomainError(
            'refund_policy_noncompliant',
            'The refund policy does not meet the minimum requirements (CAT-3).',
            422,
            {
              problems,
            },
          );
        }
        event.status = 'published';
      },
      'published',
    );
    return { status: 'published' };
  }

  async update(principal: Principal, eventId: string, input: UpdateEventDto): Promise<void> {
    await this.change(principal, eventId, ['owner', 'manager'], async (manager, event) => {
      if (input.title !== undefined) event.title = input.title;
      if (input.description !== undefined) event.description = input.description;
      if (input.advertisingEnabled !== undefined) event.advertisingEnabled = input.advertisingEnabled; // CAT-6
      if (input.refundPolicy) {
        if (event.status === 'published') {
          const ticketTypes = await manager.getRepository(TicketTypeEntity).findBy({ eventId });
          const problems = refundPolicyProblems(
            { ...input.refundPolicy },
            { paid: ticketTypes.some((t) => t.priceMinor > 0) },
          );
          if (problems.length > 0) {
            throw new DomainError(
              'refund_policy_noncompliant',
              'The refund policy does not meet the minimum requirements (CAT-3).',
              422,
              {
                problems,
              },
            );
          }
        }
        // CAT-3: a change is a new version; orders keep the one they were sold under.
        event.refundPolicyVersion += 1;
        await manager.getRepository(RefundPolicyEntity).insert({
          eventId,
          version: event.refundPolicyVersion,
          policy: { ...input.refundPolicy },
          createdAt: this.clock.now(),
        });
      }
    });
  }

  /** CAT-8: a cancellation must be announced no later than the start; refunds follow (REF-7). */
  async cancel(principal: Principal, eventId: string, reason: string): Promise<{ status: 'cancelled' }> {
    await this.change(
      principal,
      eventId,
      ['owner'],
      async (_manager, event) => {
        if (event.status === 'cancelled') return;
        if (this.clock.now() >= event.startsAt) {
          throw new DomainError(
            'event_already_started',
            'An event can only be cancelled before it starts (CAT-8).',
          );
        }
        event.status = 'cancelled';
        event.cancelReason = reason;
      },
      'cancelled',
      { allowPlatformAdmin: true, reason },
    );
    return { status: 'cancelled' };
  }

  async get(eventId: string, principal?: Principal): Promise<EventView> {
    const event = await this.dataSource.getRepository(EventEntity).findOneBy({ id: eventId });
    // A draft is the organizer's business only; to anyone else it does not exist.
    const visible =
      event && (event.status !== 'draft' || principal?.roleIn(event.organizationId) !== undefined);
    if (!event || !visible) throw new NotFoundError('The event', 'event_not_found');
    return this.view(this.dataSource.manager, event);
  }

  async search(query: SearchEventsQuery): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const qb = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where(`e.status = 'published'`)
      .orderBy('e.starts_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit + 1);
    if (query.country) qb.andWhere('e.country = :country', { country: query.country.toUpperCase() });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w.where('e.title ILIKE :like', { like }).orWhere('e.description ILIKE :like', { like }),
        ),
      );
    }
    if (query.from) qb.andWhere('e.starts_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.starts_at <= :to', { to: new Date(query.to) });
    if (query.cursor) {
      const [startsAt, id] = Buffer.from(query.cursor, 'base64url').toString().split('|');
      if (!startsAt || !id || Number.isNaN(Date.parse(startsAt))) {
        throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not valid' }]);
      }
      qb.andWhere('(e.starts_at, e.id) > (:startsAt, :id)', { startsAt: new Date(startsAt), id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await Promise.all(page.map((event) => this.view(this.dataSource.manager, event))),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(`${last.startsAt.toISOString()}|${last.id}`).toString('base64url')
          : null,
    };
  }

  /**
   * CAT-2: an organization's fee agreement in `currency` was set, changed or removed (`override` is
   * the agreement now in force, or null). Runs in the caller's transaction, after the agreement is
   * written. Every event of the organization still on sale in that currency (published, not
   * cancelled, not yet started) is republished as EventUpdated, so orders prices the next order with
   * the agreement the moment it commits and never before. Returns the ids republished.
   *
   * The included-fee check runs first against the new figures: an agreement must not leave a ticket
   * on sale whose price cannot carry its fee and VAT, or checkout would refuse every sale of it
   * (422 `fee_exceeds_price`, listing each such ticket type so the organizer can reprice).
   */
  async republishForFeeOverride(
    manager: EntityManager,
    organizationId: string,
    currency: string,
    override: FeeOverride | null,
  ): Promise<string[]> {
    // Every event of the organization in the currency is locked, drafts too and in a fixed order: a
    // draft being published at this moment is then waited for and seen published (a filter on status
    // would skip it and it would go out with the old figures), and two changes cannot deadlock.
    const events = await manager.getRepository(EventEntity).find({
      where: { organizationId, currency },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const now = this.clock.now();
    const onSale = events.filter((e) => e.status === 'published' && e.startsAt > now);
    const uncovered: { eventId: string; ticketTypeId: string; priceMinor: number; totalFeeMinor: number }[] =
      [];
    for (const event of onSale) {
      if (event.feeMode !== 'included') continue;
      const schedule = feeScheduleFor(event.country, event.currency);
      for (const t of await manager.getRepository(TicketTypeEntity).findBy({ eventId: event.id })) {
        try {
          feeInclusionSplit(money(t.priceMinor, event.currency), 'included', schedule, override);
        } catch (error) {
          if (!(error instanceof FeeExceedsPriceError)) throw error;
          uncovered.push({
            eventId: event.id,
            ticketTypeId: t.id,
            priceMinor: t.priceMinor,
            totalFeeMinor: error.extra.totalFeeMinor as number,
          });
        }
      }
    }
    if (uncovered.length > 0) {
      throw new DomainError(
        'fee_exceeds_price',
        `With these fees, ${uncovered.length} ticket type(s) on sale with the fee included would cost ` +
          'the organizer more than their price (CAT-2); they must be repriced first.',
        422,
        { currency, ticketTypes: uncovered },
      );
    }
    const updatedAt = timestampFromDate(now);
    for (const event of onSale) {
      await this.outbox.publish(manager, {
        topic: 'catalog.event.v1',
        key: event.id,
        schema: catalogEvents.EventUpdatedSchema,
        message: create(catalogEvents.EventUpdatedSchema, {
          event: await this.snapshot(manager, event, override),
          updatedAt,
        }),
      });
    }
    return onSale.map((e) => e.id);
  }

  /**
   * CAT-2: in fee mode `included` the fee and its VAT come out of the price, so a price below them
   * would leave the organizer owing on every sale (422 `fee_exceeds_price`). The organization's
   * agreement for the currency, when it has one, decides the fee: a lower agreed fee lets a lower
   * price through, a higher one refuses prices the published schedule would accept.
   */
  private async assertFeeCovered(
    manager: EntityManager,
    event: EventEntity,
    pricesMinor: number[],
  ): Promise<void> {
    if (event.feeMode !== 'included') return;
    const schedule = feeScheduleFor(event.country, event.currency);
    const override = await feeOverrideFor(manager, event.organizationId, event.currency);
    for (const price of pricesMinor)
      feeInclusionSplit(money(price, event.currency), 'included', schedule, override);
  }

  private async policy(manager: EntityManager, event: EventEntity): Promise<RefundPolicy> {
    const row = await manager
      .getRepository(RefundPolicyEntity)
      .findOneByOrFail({ eventId: event.id, version: event.refundPolicyVersion });
    return row.policy;
  }

  private async view(manager: EntityManager, event: EventEntity): Promise<EventView> {
    const ticketTypes = await manager
      .getRepository(TicketTypeEntity)
      .find({ where: { eventId: event.id }, order: { createdAt: 'ASC' } });
    return {
      eventId: event.id,
      organizationId: event.organizationId,
      title: event.title,
      description: event.description,
      category: event.category,
      country: event.country,
      currency: event.currency,
      venue: event.venue,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      feeMode: event.feeMode,
      transfersAllowed: event.transfersAllowed,
      advertisingEnabled: event.advertisingEnabled,
      eInvoiceEnabled: event.eInvoiceEnabled,
      status: event.status,
      legalEntity: event.legalEntity,
      refundPolicy: { ...(await this.policy(manager, event)), version: event.refundPolicyVersion },
      ticketTypes: ticketTypes.map((t) => ({
        ticketTypeId: t.id,
        name: t.name,
        kind: t.kind,
        priceMinor: t.priceMinor,
        currency: event.currency,
        // Orders' last reported count against our own capacity, so a raised capacity shows at once.
        available: Math.max(0, t.capacity - t.sold),
        salesStartAt: t.salesStartAt.toISOString(),
        salesEndAt: t.salesEndAt.toISOString(),
        bindingMonths: t.bindingMonths,
      })),
    };
  }

  /**
   * Loads the event under a row lock, checks the caller's organization role, applies the change and,
   * once the event is public, publishes its new state in the same transaction.
   */
  private async change(
    principal: Principal,
    eventId: string,
    roles: ('owner' | 'manager')[],
    apply: (manager: EntityManager, event: EventEntity) => Promise<void>,
    transition?: 'published' | 'cancelled',
    options: { allowPlatformAdmin?: boolean; reason?: string } = {},
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(EventEntity);
      const event = await repo.findOne({ where: { id: eventId }, lock: { mode: 'pessimistic_write' } });
      if (!event) throw new NotFoundError('The event', 'event_not_found');
      // Another organization's event answers like a missing one: its existence is not theirs to learn.
      if (
        principal.roleIn(event.organizationId) === undefined &&
        !(options.allowPlatformAdmin && principal.hasRole('platform_admin'))
      ) {
        throw new NotFoundError('The event', 'event_not_found');
      }
      assertOrganizationRole(principal, event.organizationId, roles, {
        allowPlatformAdmin: options.allowPlatformAdmin,
      });
      const before = event.status;
      await apply(manager, event);
      event.updatedAt = this.clock.now();
      await repo.save(event);
      if (event.status === 'draft') return;
      const snapshot = await this.snapshot(manager, event);
      const now = timestampFromDate(this.clock.now());
      if (transition === 'published' && before !== 'published') {
        await this.outbox.publish(manager, {
          topic: 'catalog.event.v1',
          key: eventId,
          schema: catalogEvents.EventPublishedSchema,
          message: create(catalogEvents.EventPublishedSchema, { event: snapshot, publishedAt: now }),
        });
      } else if (transition === 'cancelled') {
        if (before === 'cancelled') return;
        await this.outbox.publish(manager, {
          topic: 'catalog.event.v1',
          key: eventId,
          schema: catalogEvents.EventCancelledSchema,
          message: create(catalogEvents.EventCancelledSchema, {
            event: snapshot,
            reason: options.reason ?? '',
            cancelledBy: principal.identityId,
            cancelledAt: now,
          }),
        });
      } else {
        await this.outbox.publish(manager, {
          topic: 'catalog.event.v1',
          key: eventId,
          schema: catalogEvents.EventUpdatedSchema,
          message: create(catalogEvents.EventUpdatedSchema, { event: snapshot, updatedAt: now }),
        });
      }
    });
  }

  /**
   * The whole event as orders needs it. CAT-2: it carries the organization's fee agreement for the
   * event currency (absent when there is none), read in the same transaction as the change, so each
   * snapshot states the fee in force when it was published; `override` is passed when the caller
   * has just written it.
   */
  private async snapshot(manager: EntityManager, event: EventEntity, override?: FeeOverride | null) {
    const ticketTypes = await manager.getRepository(TicketTypeEntity).findBy({ eventId: event.id });
    const agreed =
      override === undefined ? await feeOverrideFor(manager, event.organizationId, event.currency) : override;
    return create(catalogEvents.EventSnapshotSchema, {
      eventId: event.id,
      organizationId: event.organizationId,
      title: event.title,
      category: event.category,
      country: event.country,
      currency: event.currency,
      startsAt: timestampFromDate(event.startsAt),
      endsAt: timestampFromDate(event.endsAt),
      feeMode: event.feeMode,
      transfersAllowed: event.transfersAllowed,
      advertisingEnabled: event.advertisingEnabled,
      eInvoiceEnabled: event.eInvoiceEnabled,
      refundPolicyVersion: event.refundPolicyVersion,
      status: event.status,
      legalEntity: event.legalEntity,
      ticketTypes: ticketTypes.map((t) => ({
        ticketTypeId: t.id,
        name: t.name,
        kind: t.kind,
        priceMinor: BigInt(t.priceMinor),
        capacity: t.capacity,
        salesStartAt: timestampFromDate(t.salesStartAt),
        salesEndAt: timestampFromDate(t.salesEndAt),
        bindingMonths: t.bindingMonths ?? 0,
      })),
      ...(agreed
        ? { feeOverridePercentBp: agreed.percentBp, feeOverrideFixedMinor: BigInt(agreed.fixedMinor) }
        : {}),
    });
  }
}
