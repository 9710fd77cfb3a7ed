import { normalizeEmail, normalizePhone, requiredActionsAfterRegistration } from './registration';

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
