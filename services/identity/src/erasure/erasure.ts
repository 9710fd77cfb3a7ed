/** Account deletion as plain data (ID-17, CON-6): no framework, no database. */

/**
 * The e-mail an erased identity keeps: unique (the column is), says nothing about the person, and
 * can never be registered or changed to again (`.invalid` is reserved, RFC 2606, and has no TLD dot,
 * so the e-mail validator refuses it).
 */
export function erasedEmail(identityId: string): string {
  return `erased+${identityId}@invalid`;
}

/** Profile values of an erased identity: every personal field emptied, no way to log in. */
export function anonymisedProfile(identityId: string) {
  return {
    email: erasedEmail(identityId),
    firstName: '',
    lastName: '',
    phone: null,
    phoneVerifiedAt: null,
    language: null,
    country: null,
    postalCode: null,
    dateOfBirth: null,
    passwordHash: null,
    publicProfile: false,
    mustResetPassword: false,
    guardianConsent: null,
    platformRoles: [] as string[],
  };
}
