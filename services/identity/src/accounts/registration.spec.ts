import {
  ageOn,
  guardianConsentMissing,
  normalizeEmail,
  normalizePhone,
  requiredActionsAfterRegistration,
} from './registration';

describe('registration rules', () => {
  it('normalises e-mail by trimming and lower-casing, so one e-mail is one identity (ID-1)', () => {
    expect(normalizeEmail('  Anna.Svensson@Example.SE ')).toBe('anna.svensson@example.se');
  });

  it('reads a national number in the market country and stores E.164 (ID-9)', () => {
    expect(normalizePhone('070-123 45 67', 'se')).toEqual({ ok: true, e164: '+46701234567' });
  });

  it('accepts a landline as well as a mobile (ID-9)', () => {
    expect(normalizePhone('08-123 456 78', 'se')).toEqual({ ok: true, e164: '+46812345678' });
  });

  it('keeps an explicit international prefix over the market', () => {
    expect(normalizePhone('+47 412 34 567', 'se')).toEqual({ ok: true, e164: '+4741234567' });
  });

  it('rejects a number that cannot exist', () => {
    expect(normalizePhone('12', 'se')).toEqual({ ok: false });
    expect(normalizePhone('not a phone', 'se')).toEqual({ ok: false });
  });

  it('asks a new registration to verify its phone (ID-9)', () => {
    expect(requiredActionsAfterRegistration(false)).toEqual(['verify_phone']);
    expect(requiredActionsAfterRegistration(true)).toEqual([]);
  });
});

describe('guardian consent (CON-9)', () => {
  const today = new Date('2026-11-21T12:00:00Z');

  it('needs a guardian flag for someone who turns 17 tomorrow', () => {
    expect(ageOn('2009-11-22', today)).toBe(16);
    expect(guardianConsentMissing('2009-11-22', undefined, today)).toBe(true);
    expect(guardianConsentMissing('2009-11-22', true, today)).toBe(false);
  });

  it('does not need it from the 17th birthday on, nor without a birth date', () => {
    expect(ageOn('2009-11-21', today)).toBe(17);
    expect(guardianConsentMissing('2009-11-21', undefined, today)).toBe(false);
    expect(guardianConsentMissing(undefined, undefined, today)).toBe(false);
  });
});
