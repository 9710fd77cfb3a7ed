import { passwordProblem } from './password-policy';

describe('password policy', () => {
  it('refuses a password shorter than 10 characters', () => {
    expect(passwordProblem('short-pw')).toBe('too_short');
  });

  it('refuses a common password even when it is long enough, in any case', () => {
    expect(passwordProblem('Password123')).toBe('too_common');
    expect(passwordProblem('qwertyuiop')).toBe('too_common');
  });

  it('accepts a long uncommon passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
  });
});
