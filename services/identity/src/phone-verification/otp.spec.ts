import {
  challengeAfterCheck,
  checkCode,
  createChallenge,
  generateCode,
  hashCode,
  OTP_SEND_POLICIES,
  OtpChallenge,
  otpCheckError,
  sendBudgetKeys,
  verifyCodeHash,
} from './otp';

const pepper = 'test-pepper';
const phone = '+46701234567';
const sent = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(sent.getTime() + seconds * 1000);

function aChallenge(code = '123456', overrides: Partial<OtpChallenge> = {}): OtpChallenge {
  return { ...createChallenge(phone, 'verify_phone', code, sent, pepper), ...overrides };
}

function uint32(...values: number[]) {
  const queue = [...values];
  return (bytes: number) => {
    const buffer = Buffer.alloc(bytes);
    buffer.writeUInt32BE(queue.shift()!, 0);
    return buffer;
  };
}

describe('one-time codes', () => {
  it('generates 6 digits, keeping leading zeros (ID-9)', () => {
    expect(generateCode(uint32(42))).toBe('000042');
    expect(generateCode(uint32(4_293_999_999))).toBe('999999');
    for (let i = 0; i < 200; i += 1) expect(generateCode()).toMatch(/^\d{6}$/);
  });

  it('draws again instead of folding the top of the 32-bit range onto low codes (no modulo bias)', () => {
    // 4 294 000 000 and above would make codes 000000..967295 more likely than the rest.
    expect(generateCode(uint32(4_294_000_000, 0xffffffff, 7))).toBe('000007');
  });

  it('gives up on a random source that never yields a usable value', () => {
    expect(() => generateCode(() => Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/random source/);
  });

  it('stores codes only as an HMAC bound to the phone', () => {
    const hash = hashCode('123456', pepper, phone);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('123456');
    expect(hashCode('123456', pepper, '+46701234568')).not.toBe(hash);
    expect(hashCode('123456', 'another-pepper', phone)).not.toBe(hash);
    expect(verifyCodeHash('123456', pepper, phone, hash)).toBe(true);
    expect(verifyCodeHash('123457', pepper, phone, hash)).toBe(false);
    expect(verifyCodeHash('123456', pepper, phone, 'not-a-hash')).toBe(false);
  });
});

describe('checking a code (ID-9 phone verification, ID-11 step-up)', () => {
  it('verifies the right code within 10 minutes and uses it up (ID-9)', () => {
    const challenge = aChallenge();
    expect(challenge.expiresAt).toEqual(at(600));
    expect(checkCode(challenge, '123456', at(599), pepper)).toBe('verified');
    expect(challengeAfterCheck(challenge, 'verified', at(599))).toMatchObject({ consumedAt: at(599) });
  });

  it('works the same for a step-up code sent to the verified phone (ID-11)', () => {
    const challenge = createChallenge(phone, 'step_up', '654321', sent, pepper);
    expect(challenge.purpose).toBe('step_up');
    expect(checkCode(challenge, '654321', at(10), pepper)).toBe('verified');
  });

  it('refuses a wrong code and counts it (400 invalid_code)', () => {
    const challenge = aChallenge();
    expect(checkCode(challenge, '000000', at(1), pepper)).toBe('invalid_code');
    expect(challengeAfterCheck(challenge, 'invalid_code', at(1)).attempts).toBe(1);
  });

  it('refuses a code from 10 minutes after sending on (410 code_expired)', () => {
    expect(checkCode(aChallenge(), '123456', at(600), pepper)).toBe('code_expired');
  });

  it('accepts a code only once (single use)', () => {
    const used = challengeAfterCheck(aChallenge(), 'verified', at(5));
    expect(checkCode(used, '123456', at(6), pepper)).toBe('already_used');
  });

  it('accepts the right code as the 5th attempt after 4 wrong ones', () => {
    let challenge = aChallenge();
    for (let i = 0; i < 4; i += 1) challenge = challengeAfterCheck(challenge, 'invalid_code', at(i));
    expect(checkCode(challenge, '123456', at(10), pepper)).toBe('verified');
  });

  it('refuses the 6th attempt after 5 wrong codes even when it is the right code (429)', () => {
    let challenge = aChallenge();
    for (let i = 0; i < 5; i += 1) {
      const outcome = checkCode(challenge, `00000${i}`, at(i), pepper);
      expect(outcome).toBe('invalid_code');
      challenge = challengeAfterCheck(challenge, outcome, at(i));
    }
    expect(checkCode(challenge, '123456', at(10), pepper)).toBe('too_many_attempts');
    expect(challengeAfterCheck(challenge, 'too_many_attempts', at(10)).attempts).toBe(5);
  });

  it('maps refusals to the api.md errors: 400 invalid_code, 410 code_expired, 429 after 5 wrong codes', () => {
    expect(otpCheckError('invalid_code')).toMatchObject({ status: 400, code: 'invalid_code' });
    expect(otpCheckError('code_expired')).toMatchObject({ status: 410, code: 'code_expired' });
    expect(otpCheckError('already_used')).toMatchObject({ status: 410, code: 'code_already_used' });
    expect(otpCheckError('too_many_attempts')).toMatchObject({ status: 429, code: 'too_many_attempts' });
  });

  // ID-10 (the same phone may verify several identities) is the service's rule: nothing in a
  // challenge ties a phone to one identity, so there is nothing to test here.
});

describe('send budgets', () => {
  it('limits sends per phone, per identity and per country calling code, most specific first', () => {
    expect(sendBudgetKeys('+46701234567', 'id-1')).toEqual([
      { budget: 'phone', key: 'otp-send:phone:+46701234567', policy: OTP_SEND_POLICIES.perPhone },
      { budget: 'identity', key: 'otp-send:identity:id-1', policy: OTP_SEND_POLICIES.perIdentity },
      {
        budget: 'country_calling_code',
        key: 'otp-send:cc:46',
        policy: OTP_SEND_POLICIES.perCountryCallingCode,
      },
    ]);
  });

  it('gives a prefix outside our markets a narrow budget against SMS pumping', () => {
    const [, , country] = sendBudgetKeys('+2250701234567', 'id-1');
    expect(country).toEqual({
      budget: 'country_calling_code',
      key: 'otp-send:cc:225',
      policy: OTP_SEND_POLICIES.perOtherCallingCode,
    });
    expect(OTP_SEND_POLICIES.perOtherCallingCode.limit).toBeLessThan(
      OTP_SEND_POLICIES.perCountryCallingCode.limit,
    );
  });

  it('uses the market prefixes of every market (44 for gb)', () => {
    expect(sendBudgetKeys('+447700900123', 'id-1')[2].policy).toBe(OTP_SEND_POLICIES.perCountryCallingCode);
  });

  it('has growing cool-downs in every budget', () => {
    for (const policy of Object.values(OTP_SEND_POLICIES)) {
      const coolDowns = [...policy.coolDownSeconds];
      expect(coolDowns).toEqual([...coolDowns].sort((a, b) => a - b));
      expect(new Set(coolDowns).size).toBe(coolDowns.length);
    }
  });

  it('refuses a phone that is not E.164', () => {
    expect(() => sendBudgetKeys('0701234567', 'id-1')).toThrow(/E\.164/);
  });
});
