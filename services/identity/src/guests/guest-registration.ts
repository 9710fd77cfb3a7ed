import type { EntityManager } from 'typeorm';
import type { IdentityEntity } from '../accounts/identity.entity';

/**
 * A guest account (ID-13): an identity without a password, created for a buyer's e-mail. Legacy
 * imports also have no password yet, but must reset it (ID-2); they are not guests.
 */
export function isGuest(identity: Pick<IdentityEntity, 'passwordHash' | 'mustResetPassword'>): boolean {
  return identity.passwordHash === null && !identity.mustResetPassword;
}

/**
 * What registration does with a guest's e-mail (ID-14): no second identity, a claim link to the
 * e-mail instead. A token of its own (implemented by GuestAccountsService) so that accounts need
 * not import the guest module, which imports the password module, which imports accounts.
 */
export abstract class GuestRegistration {
  abstract registeredWithGuestEmail(
    manager: EntityManager,
    guest: IdentityEntity,
    market: string,
  ): Promise<void>;
}
