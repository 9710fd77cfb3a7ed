/** E-mail change as plain data (ID-12): who may change it and what each address is told. */

export type EmailChangedBy = 'consumer' | 'support';

export interface Notice {
  subject: string;
  body: string;
}

/**
 * ID-12: the old address hears of the change (a security notice: if it was not the owner, the
 * account was taken over and support must be told); the new one gets a confirmation.
 */
export function emailChangeNotices(
  oldEmail: string,
  newEmail: string,
  changedBy: EmailChangedBy,
): { toOld: Notice; toNew: Notice } {
  const by = changedBy === 'support' ? 'by Ticketry support at your request' : 'from your account';
  return {
    toOld: {
      subject: 'Your Ticketry e-mail address was changed',
      body:
        `The e-mail address of your Ticketry account was changed ${by} from ${oldEmail} to ${newEmail}.\n\n` +
        'If you did not ask for this, contact Ticketry support at once: someone else may have access to your account.\n\n' +
        'All your other sessions have been signed out.\n\n/Ticketry',
    },
    toNew: {
      subject: 'Your Ticketry account now uses this e-mail address',
      body:
        `This address (${newEmail}) is now the e-mail address of your Ticketry account; log in with it from now on.\n\n` +
        '/Ticketry',
    },
  };
}
