import { randomBytes } from 'node:crypto';

/**
 * Crockford base32 without I, L, O, U: codes are read aloud at a door and typed from a screen, so
 * letters that look like digits are left out.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomBase32(length: number): string {
  // Each byte gives 5 bits; 256 is a multiple of 32, so `byte % 32` is unbiased.
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

/**
 * ORD-1: a unique confirmation number per order, e.g. `TK-7QX3-M9P2-K4`. 50 random bits: unique by
 * a database constraint, and not a sequence a stranger could walk.
 */
export function newConfirmationNumber(): string {
  const raw = randomBase32(10);
  return `TK-${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/**
 * ORD-2: a unique, unguessable check-in code per ticket: 26 characters, 130 random bits, so guessing
 * a valid code is hopeless even with every ticket of every event in play.
 */
export function newTicketCode(): string {
  return randomBase32(26);
}

/** How a scanned or typed code is compared: upper case, no spaces or dashes, O→0 and I/L→1. */
export function normalizeTicketCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** E-mail comparison for ownership (ID-13/ID-14): trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
