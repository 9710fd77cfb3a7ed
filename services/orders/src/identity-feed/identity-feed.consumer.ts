import { Injectable, OnModuleInit } from '@nestjs/common';
import { identityEvents } from '@ticketry/contracts';
import { InboxConsumer } from '@ticketry/messaging';
import type { EntityManager } from 'typeorm';
import { schemaName } from '../db';
import { normalizeEmail } from '../orders/order-codes';

/**
 * ID-13/ID-14: every purchase belongs to the account of the buyer's e-mail. Identity announces
 * which identity an e-mail belongs to (registration, the guest account it creates after a guest
 * purchase, a claim, an e-mail change); orders remembers it and gives the e-mail's earlier orders
 * and tickets to that identity, so a buyer who claims the guest account sees them (ID-14).
 * Orders already owned are never moved: a later change of e-mail does not hand them to someone else.
 */
@Injectable()
export class IdentityFeedConsumer implements OnModuleInit {
  constructor(private readonly inbox: InboxConsumer) {}

  onModuleInit(): void {
    this.inbox.on('identity.identity.v1', identityEvents.IdentityRegisteredSchema, (event, manager) =>
      this.link(manager, event.message.identityId, event.message.email, event.occurredAt),
    );
    this.inbox.on('identity.identity.v1', identityEvents.GuestAccountCreatedSchema, (event, manager) =>
      this.link(manager, event.message.identityId, event.message.email, event.occurredAt),
    );
    this.inbox.on('identity.identity.v1', identityEvents.GuestAccountClaimedSchema, (event, manager) =>
      this.link(manager, event.message.identityId, event.message.email, event.occurredAt),
    );
    this.inbox.on('identity.identity.v1', identityEvents.EmailChangedSchema, (event, manager) =>
      this.link(manager, event.message.identityId, event.message.newEmail, event.occurredAt),
    );
  }

  private async link(manager: EntityManager, identityId: string, email: string, at: Date): Promise<void> {
    if (!identityId || !email.includes('@')) return;
    const s = schemaName(manager);
    const normalized = normalizeEmail(email);
    await manager.query(
      `INSERT INTO ${s}.identity_emails (email_normalized, identity_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (email_normalized) DO UPDATE SET identity_id = EXCLUDED.identity_id, updated_at = EXCLUDED.updated_at
       WHERE ${s}.identity_emails.updated_at <= EXCLUDED.updated_at`,
      [normalized, identityId, at],
    );
    await manager.query(
      `UPDATE ${s}.orders SET owner_identity_id = $2 WHERE buyer_email_normalized = $1 AND owner_identity_id IS NULL`,
      [normalized, identityId],
    );
    await manager.query(
      `UPDATE ${s}.tickets SET holder_identity_id = $2 WHERE holder_email_normalized = $1 AND holder_identity_id IS NULL`,
      [normalized, identityId],
    );
  }
}
