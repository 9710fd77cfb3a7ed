import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_TRANSPORT,
  type Channel,
  type MessageTransport,
  type SendOptions,
  type SendResult,
} from './message';
import { renderTemplate } from './templates';

export interface DeliveryRequest {
  channel: Channel;
  to: string;
  template: string;
  data: Record<string, string>;
  /** The recipient's language ("sv", "sv-SE"); English when absent or without texts. */
  language?: string;
  idempotencyKey: string;
}

/** What services call: render a template, then hand the message to whichever transport is configured. */
@Injectable()
export class NotificationSender {
  constructor(@Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport) {}

  /**
   * Throws PermanentDeliveryError (unknown template, missing data, invalid or refused recipient)
   * or TransientDeliveryError (throttled, provider down); see the README for retry guidance.
   */
  async deliver(request: DeliveryRequest, options: SendOptions = {}): Promise<SendResult> {
    const rendered = renderTemplate(request.template, request.data, request.language, request.channel);
    return this.transport.send(
      {
        channel: request.channel,
        to: request.to,
        // Only e-mail has a subject line; leaving it off SMS/voice keeps the dev sink honest about what was "sent".
        subject: request.channel === 'email' ? rendered.subject : undefined,
        body: rendered.body,
        template: request.template,
        data: request.data,
        idempotencyKey: request.idempotencyKey,
        language: rendered.language,
      },
      options,
    );
  }
}
