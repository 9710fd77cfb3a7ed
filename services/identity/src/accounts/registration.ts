import { isMarket, marketOf } from '@ticketry/platform';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Registration rules as plain functions: no framework, no database. */

export type RequiredAction = 'verify_phone' | 'reset_password' | 'link_market';

/** ID-1: one identity per e-mail, compared trimmed and case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type PhoneCheck = { ok: true; e164: string } | { ok: false };

/**
 * Phone numbers are kept in E.164. A number without a country prefix is read in the market's
 * country (ID-9 allows landlines and mobiles, so any valid number type passes).
 */
export function normalizePhone(phone: string, market: string): PhoneCheck {
  const country = isMarket(market) ? (marketOf(market).country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(phone.trim(), country);
  if (!parsed || !parsed.isValid()) return { ok: false };
  return { ok: true, e164: parsed.number };
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** ID-9: a new registration still has to verify its phone before it counts as verified. */
export function requiredActionsAfterRegistration(phoneVerified: boolean): RequiredAction[] {
  return phoneVerified ? [] : ['verify_phone'];
}

export const GUARDIAN_CONSENT_AGE = 17;

/** Whole years between a YYYY-MM-DD birth date and today's calendar date (UTC). */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  let age = today.getUTCFullYear() - year;
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/** CON-9: a consumer under 17 needs a guardian's permission, collected as a flag at registration. */
export function guardianConsentMissing(
  dateOfBirth: string | undefined,
  guardianConsent: boolean | undefined,
  today: Date,
): boolean {
  if (!dateOfBirth) return false;
  return ageOn(dateOfBirth, today) < GUARDIAN_CONSENT_AGE && guardianConsent !== true;
}
