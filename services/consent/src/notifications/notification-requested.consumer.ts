import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { consentEvents, create, timestampFromDate } from '@ticketry/contracts';
import { ConsumedEvent, InboxConsumer, Outbox, PermanentMessageError } from '@ticketry/messaging';
import { NotificationSender, PermanentDeliveryError } from '@ticketry/notifications';
import { CLOCK, Clock } from '@ticketry/platform';
import type { EntityManager } from 'typeorm';
import { Channel, decideDelivery, NotificationKind } from './notification';
import { NotificationEntity } from './notification.entity';

const { Channel: ProtoChannel, NotificationKind: ProtoKind } = consentEvents;

const CHANNELS: Record<number, Channel | undefined> = {
  [ProtoChannel.EMAIL]: 'email',
  [ProtoChannel.SMS]: 'sms',
  [ProtoChannel.VOICE]: 'voice',
};
const KINDS: Record<number, NotificationKind | undefined> = {
  [ProtoKind.TRANSACTIONAL]: 'transactional',
  [ProtoKind.MARKETING]: 'marketing',
};

/**
 * The hub's intake: every service asks for messages with NotificationRequested (through its own
 * outbox); this handler decides under the consent rules, delivers, records the outcome and
 * announces it (NotificationDispatched), all in the inbox transaction, so a redelivered request
 * is neither sent nor recorded twice.
 */
@Injectable()
export class NotificationRequestedConsumer implements OnModuleInit {
  constructor(
    private readonly inbox: InboxConsumer,
    private readonly outbox: Outbox,
    private readonly sender: NotificationSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.inbox.on('consent.notification.v1', consentEvents.NotificationRequestedSchema, (event, manager) =>
      this.handle(event, manager),
    );
  }

  /**
   * CON-1 consent records are not kept yet (they come with the consent capability); until then
   * nobody has opted in, so marketing is never sent — the safe reading of an opt-in rule.
   */
  private async hasMarketingConsent(): Promise<boolean> {
    return false;
  }

  async handle(
    event: ConsumedEvent<typeof consentEvents.NotificationRequestedSchema>,
    manager: EntityManager,
  ): Promise<void> {
    const request = event.message;
    const channel = CHANNELS[request.channel];
    const kind = KINDS[request.kind];
    if (!channel || !kind || !request.recipient || !request.template || !request.notificationId) {
      throw new PermanentMessageError('NotificationRequested lacks channel, kind, recipient, template or id');
    }
    const decision = decideDelivery(
      {
        notificationId: request.notificationId,
        channel,
        kind,
        recipient: request.recipient,
        template: request.template,
        market: request.market,
        organizationId: request.organizationId,
      },
      kind === 'marketing' ? await this.hasMarketingConsent() : false,
    );
    let transport: string | null = null;
    let providerMessageId: string | null = null;
    if (decision.send) {
      try {
        const result = await this.sender.deliver(
          {
            channel,
            to: request.recipient,
            template: request.template,
            data: { ...request.data },
            language: request.language || undefined,
            idempotencyKey: request.notificationId,
          },
          { manager },
        );
        transport = result.transport;
        providerMessageId = result.providerMessageId;
      } catch (error) {
        // A bad recipient or template will not get better by retrying: park it for a person to see.
        if (error instanceof PermanentDeliveryError)
          throw new PermanentMessageError(error.message, { cause: error });
        throw error;
      }
    }
    await manager.getRepository(NotificationEntity).insert({
      id: request.notificationId,
      channel,
      recipient: request.recipient,
      template: request.template,
      kind,
      market: request.market,
      outcome: decision.send ? 'sent' : 'suppressed',
      reason: decision.send ? null : decision.reason,
      transport,
      providerMessageId,
      requestedBy: request.requestedBy || 'unknown',
      sourceEventId: event.eventId,
    });
    await this.outbox.publish(manager, {
      topic: 'consent.notification-status.v1',
      key: request.notificationId,
      schema: consentEvents.NotificationDispatchedSchema,
      message: create(consentEvents.NotificationDispatchedSchema, {
        notificationId: request.notificationId,
        channel: request.channel,
        recipient: request.recipient,
        template: request.template,
        outcome: decision.send ? 'sent' : 'suppressed',
        reason: decision.send ? '' : decision.reason,
        transport: transport ?? '',
        providerMessageId: providerMessageId ?? '',
        dispatchedAt: timestampFromDate(this.clock.now()),
      }),
    });
  }
}
