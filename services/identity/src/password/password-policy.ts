import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../accounts/registration';

/**
 * Long enough, not absurdly long (argon2 input cost), and not one of the passwords every
 * credential-stuffing list starts with. The list is small on purpose: it catches the obvious
 * choices that pass the length rule; a breached-password service can replace it later.
 */
const COMMON = new Set(
  [
    '1234567890',
    '12345678910',
    '123456789a',
    'qwertyuiop',
    'qwerty1234',
    'qwerty12345',
    '1q2w3e4r5t',
    '1qaz2wsx3edc',
    'password12',
    'password123',
    'password1234',
    'passw0rd123',
    'iloveyou12',
    'abcdefghij',
    'abc1234567',
    'aaaaaaaaaa',
    '0000000000',
    '1111111111',
    '9876543210',
    'football12',
    'baseball12',
    'sunshine12',
    'princess12',
    'welcome123',
    'letmein123',
    'trustno1234',
    'monkey1234',
    'dragon1234',
    'superman12',
    'asdfghjkl1',
    'asdfghjkl;',
    'zaq12wsxcde',
    'lösenord123',
    'losenord123',
    'sommar2024',
    'sommar2025',
    'sommar2026',
    'vinter2025',
    'hejsan1234',
    'ticketry123',
    'ticketry2026',
    'changeme123',
  ].map((p) => p.toLowerCase()),
);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

export function passwordProblem(password: string): PasswordProblem | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (COMMON.has(password.toLowerCase())) return 'too_common';
  return undefined;
}
