import type { OnApplicationShutdown } from '@nestjs/common';
import { PermanentDeliveryError, PERMANENT_DELIVERY_CODES } from './delivery-errors';
import type { Channel, MessageTransport, OutgoingMessage, SendOptions, SendResult } from './message';

interface Closable {
  close(): void;
}

function isClosable(value: object): value is Closable {
  return typeof (value as Partial<Closable>).close === 'function';
}

/** Picks the transport per channel: SES for e-mail, Twilio for SMS and voice. */
export class RoutingTransport implements MessageTransport, OnApplicationShutdown {
  constructor(private readonly routes: Partial<Record<Channel, MessageTransport>>) {}

  send(message: OutgoingMessage, options?: SendOptions): Promise<SendResult> {
    const transport = this.routes[message.channel];
    if (!transport) {
      return Promise.reject(
        new PermanentDeliveryError(
          PERMANENT_DELIVERY_CODES.channelNotSupported,
          `No transport is configured for ${message.channel}.`,
          { transport: 'routing' },
        ),
      );
    }
    return transport.send(message, options);
  }

  onApplicationShutdown(): void {
    for (const transport of new Set(Object.values(this.routes))) {
      if (isClosable(transport)) transport.close();
    }
  }
}
