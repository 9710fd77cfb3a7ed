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
