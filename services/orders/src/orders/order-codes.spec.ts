import { newConfirmationNumber, newTicketCode, normalizeEmail, normalizeTicketCode } from './order-codes';

describe('order codes', () => {
  it('ORD-1: confirmation numbers have the TK-XXXX-XXXX-XX shape and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const number = newConfirmationNumber();
      expect(number).toMatch(/^TK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
      seen.add(number);
    }
    expect(seen.size).toBe(5000);
  });

  it('ORD-2: ticket codes are 26 unambiguous characters and every character position varies', () => {
    const codes = Array.from({ length: 2000 }, () => newTicketCode());
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(codes).size).toBe(codes.length);
    for (let position = 0; position < 26; position++) {
      // 2000 draws from 32 symbols: a position stuck on a few values would mean a broken generator.
      expect(new Set(codes.map((c) => c[position])).size).toBeGreaterThan(24);
    }
  });

  it('a typed code with dashes, spaces, lower case and look-alike letters matches the issued one', () => {
    expect(normalizeTicketCode('ab1o-il 9z')).toBe('AB1011' + '9Z');
    const code = newTicketCode();
    expect(normalizeTicketCode(code.toLowerCase().replace(/(.{4})/g, '$1-'))).toBe(code);
  });

  it('ID-14: e-mails compare trimmed and case-insensitively', () => {
    expect(normalizeEmail('  Anna.Svensson@Example.SE ')).toBe('anna.svensson@example.se');
  });
});
