import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, MARKETS, TooManyRequestsError } from '@ticketry/platform';
import type { RateLimitPolicy } from '@ticketry/platform';
import { CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * One-time codes for phone verification (ID-9) and step-up (ID-11), as plain data and functions.
 * The service stores an OtpChallenge (never the code itself), sends the code by SMS or voice, and
 * decides each check with `checkCode`, saving `challengeAfterCheck` in the same transaction.
 *
 * ID-10 (the same phone may verify several identities) is a rule of the service, not of this
 * file: nothing here makes a phone unique; challenges are looked up per identity and phone.
 */

export type OtpPurpose = 'verify_phone' | 'step_up';

export const OTP_DIGITS = 6;
/** api.md: a code is valid 10 minutes. */
export const OTP_TTL_SECONDS = 10 * 60;
/** api.md: 429 after 5 wrong codes. */
export const OTP_MAX_WRONG_ATTEMPTS = 5;

export interface OtpChallenge {
  /** E.164, e.g. +46701234567. */
  phone: string;
  purpose: OtpPurpose;
  /** `hashCode(code, pepper, phone)`; the code itself is never stored. */
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  /** Wrong codes entered so far. */
  attempts: number;
  consumedAt: Date | null;
}

export type OtpCheckOutcome =
  'verified' | 'invalid_code' | 'code_expired' | 'too_many_attempts' | 'already_used';

const CODE_SPACE = 10 ** OTP_DIGITS;
// The largest multiple of 10^6 that fits in 32 bits: values at or above it are drawn again, so
// every code is exactly equally likely (no modulo bias).
const ACCEPT_BELOW = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;
const MAX_DRAWS = 100;

/** A uniformly random 6-digit code (leading zeros kept), by rejection sampling over random bytes. */
export function generateCode(random: (bytes: number) => Buffer = randomBytes): string {
  for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
    const value = random(4).readUInt32BE(0);
    if (value < ACCEPT_BELOW) return String(value % CODE_SPACE).padStart(OTP_DIGITS, '0');
  }
  // With a real source the chance of 100 rejections in a row is about 10^-380.
  throw new Error('The random source keeps returning values outside the accepted range.');
}

/**
 * HMAC-SHA256 of the phone and code under a server-side pepper (a secret from the environment):
 * a leaked table does not reveal codes, and a hash for one phone does not fit another.
 */
export function hashCode(code: string, pepper: string, phone: string): string {
  return createHmac('sha256', pepper).update(`${phone}\n${code}`).digest('hex');
}

/** Compares in constant time, so response timing says nothing about how close a guess was. */
export function verifyCodeHash(code: string, pepper: string, phone: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashCode(code, pepper, phone), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function createChallenge(
  phone: string,
  purpose: OtpPurpose,
  code: string,
  now: Date,
  pepper: string,
): OtpChallenge {
  return {
    phone,
    purpose,
    codeHash: hashCode(code, pepper, phone),
    createdAt: now,
    expiresAt: new Date(now.getTime() + OTP_TTL_SECONDS * 1000),
    attempts: 0,
    consumedAt: null,
  };
}

/**
 * Decides one entered code (ID-9, ID-11), checking in this order:
 * 1. a code that was already accepted is single use → `already_used`;
 * 2. from `expiresAt` on (10 minutes after sending) → `code_expired`;
 * 3. after 5 wrong codes the challenge is spent: the 6th attempt is refused with
 *    `too_many_attempts` even when it is the right code, so guessing gets at most 5 tries per code;
 * 4. otherwise the code is compared in constant time → `verified` or `invalid_code`.
 */
export function checkCode(challenge: OtpChallenge, code: string, now: Date, pepper: string): OtpCheckOutcome {
  if (challenge.consumedAt !== null) return 'already_used';
  if (now.getTime() >= challenge.expiresAt.getTime()) return 'code_expired';
  if (challenge.attempts >= OTP_MAX_WRONG_ATTEMPTS) return 'too_many_attempts';
  return verifyCodeHash(code, pepper, challenge.phone, challenge.codeHash) ? 'verified' : 'invalid_code';
}

/** The challenge to save after a check: a wrong code counts an attempt, the right one uses it up. */
export function challengeAfterCheck(
  challenge: OtpChallenge,
  outcome: OtpCheckOutcome,
  now: Date,
): OtpChallenge {
  if (outcome === 'invalid_code') return { ...challenge, attempts: challenge.attempts + 1 };
  if (outcome === 'verified') return { ...challenge, consumedAt: now };
  return challenge;
}

/**
 * The api.md answer for a refused check: 400 invalid_code, 410 code_expired, 429 after 5 wrong
 * codes. A code used once is gone like an expired one: 410 with its own code, `code_already_used`.
 */
export function otpCheckError(outcome: Exclude<OtpCheckOutcome, 'verified'>): AppError {
  switch (outcome) {
    case 'invalid_code':
      return new AppError(400, 'invalid_code', 'The code is not correct.');
    case 'code_expired':
      return new AppError(410, 'code_expired', 'The code has expired; ask for a new one.');
    case 'already_used':
      return new AppError(410, 'code_already_used', 'The code has been used; ask for a new one.');
    case 'too_many_attempts':
      return new TooManyRequestsError('too_many_attempts', 'Too many wrong codes; ask for a new one.');
  }
}

/**
 * How many codes may be sent, as RateLimiter policies (libs/platform). A send must pass all
 * budgets that apply; `sendBudgetKeys` lists them most specific first, so a caller stopping at the
 * first refusal does not spend the wider budgets on a request that is refused anyway.
 *
 * - perPhone: one number cannot be flooded (harassment, cost): 3 codes per 15 minutes, then
 *   blocked 15 minutes, 1 hour, 24 hours.
 * - perIdentity: one account cannot cycle through numbers: 5 codes per hour, then blocked 1 hour,
 *   6 hours, 24 hours.
 * - perCountryCallingCode: SMS pumping (fraudsters making us send to premium numbers they are paid
 *   for) shows as a sudden surge towards one country prefix. Prefixes of our markets carry real
 *   traffic and get a wide budget; any other prefix gets a narrow one (perOtherCallingCode), so a
 *   surge there is throttled within minutes while a traveller's foreign number still works.
 */
export const OTP_SEND_POLICIES = {
  perPhone: { limit: 3, windowSeconds: 15 * 60, coolDownSeconds: [15 * 60, 60 * 60, 24 * 60 * 60] },
  perIdentity: { limit: 5, windowSeconds: 60 * 60, coolDownSeconds: [60 * 60, 6 * 60 * 60, 24 * 60 * 60] },
  perCountryCallingCode: { limit: 2000, windowSeconds: 10 * 60, coolDownSeconds: [5 * 60, 15 * 60, 60 * 60] },
  perOtherCallingCode: {
    limit: 20,
    windowSeconds: 60 * 60,
    coolDownSeconds: [60 * 60, 6 * 60 * 60, 24 * 60 * 60],
  },
} as const satisfies Record<string, RateLimitPolicy>;

/** Country calling codes of the markets (46 for se, 44 for gb, …). */
export const MARKET_CALLING_CODES: ReadonlySet<string> = new Set(
  Object.values(MARKETS).map((market) => getCountryCallingCode(market.country as CountryCode)),
);

export type SendBudgetName = 'phone' | 'identity' | 'country_calling_code';

export interface SendBudget {
  budget: SendBudgetName;
  key: string;
  policy: RateLimitPolicy;
}

/** The rate-limit keys and policies a code sent to `phone` (E.164) for `identityId` must pass. */
export function sendBudgetKeys(phone: string, identityId: string): SendBudget[] {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) throw new Error(`Not an E.164 phone number: ${phone}`);
  const callingCode = parsed.countryCallingCode;
  return [
    { budget: 'phone', key: `otp-send:phone:${parsed.number}`, policy: OTP_SEND_POLICIES.perPhone },
    { budget: 'identity', key: `otp-send:identity:${identityId}`, policy: OTP_SEND_POLICIES.perIdentity },
    {
      budget: 'country_calling_code',
      key: `otp-send:cc:${callingCode}`,
      policy: MARKET_CALLING_CODES.has(callingCode)
        ? OTP_SEND_POLICIES.perCountryCallingCode
        : OTP_SEND_POLICIES.perOtherCallingCode,
    },
  ];
}
