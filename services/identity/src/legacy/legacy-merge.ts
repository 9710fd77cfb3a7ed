import { normalizeEmail } from '../accounts/registration';

/** One existing per-market account as the legacy systems export it. */
export interface LegacyAccount {
  market: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  postalCode?: string;
  country?: string;
  language?: string;
  updatedAt: Date;
}

export const PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'country',
  'postalCode',
  'phone',
  'language',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type Profile = Partial<Record<ProfileField, string>>;

export interface MergedIdentity {
  email: string;
  profile: Profile;
  /** One account per market (the most recently updated if a market appears twice). */
  markets: string[];
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * ID-2 / ID-4: accounts with the same e-mail (trimmed, case-insensitive) become one identity;
 * different e-mails never merge. ID-6: the merged profile keeps, per field, the most recently
 * updated non-empty value. `existing` is the identity already on file, if any, with its own
 * last update time, so an import never overwrites newer data with older.
 */
export function mergeLegacyAccounts(
  accounts: LegacyAccount[],
  existing: Map<string, { profile: Profile; updatedAt: Date }> = new Map(),
): MergedIdentity[] {
  const byEmail = new Map<string, LegacyAccount[]>();
  for (const account of accounts) {
    const email = normalizeEmail(account.email);
    byEmail.set(email, [...(byEmail.get(email) ?? []), account]);
  }
  return [...byEmail].map(([email, group]) => {
    const sources: { profile: Profile; updatedAt: Date }[] = group.map((account) => ({
      profile: Object.fromEntries(PROFILE_FIELDS.map((field) => [field, account[field]])) as Profile,
      updatedAt: account.updatedAt,
    }));
    const onFile = existing.get(email);
    if (onFile) sources.push(onFile);
    sources.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    const profile: Profile = {};
    for (const field of PROFILE_FIELDS) {
      const value = sources.map((source) => source.profile[field]).find(present);
      if (value !== undefined) profile[field] = value.trim();
    }
    const markets = [...new Set(group.map((account) => account.market))];
    return { email, profile, markets };
  });
}
