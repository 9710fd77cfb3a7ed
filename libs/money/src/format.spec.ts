import { formatMoney, money, toDecimalString } from './index';

describe('formatMoney()', () => {
  it('formats as code and exact decimal without a locale', () => {
    expect(formatMoney(money(23000, 'SEK'))).toBe('SEK 230.00');
    expect(formatMoney(money(5, 'EUR'))).toBe('EUR 0.05');
    expect(formatMoney(money(0, 'GBP'))).toBe('GBP 0.00');
    expect(formatMoney(money(-150, 'SEK'))).toBe('SEK -1.50');
    expect(formatMoney(money(1200, 'JPY'))).toBe('JPY 1200');
    expect(formatMoney(money(123456789, 'NOK'))).toBe('NOK 1234567.89');
  });

  it('formats the largest safe amounts exactly', () => {
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'SEK'))).toBe('SEK 90071992547409.91');
    expect(formatMoney(money(-Number.MAX_SAFE_INTEGER, 'JPY'))).toBe('JPY -9007199254740991');
  });

  it('formats with a locale through Intl without passing a float', () => {
    const normalise = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(normalise(formatMoney(money(123456705, 'SEK'), 'en-GB'))).toBe('SEK 1,234,567.05');
    expect(normalise(formatMoney(money(Number.MAX_SAFE_INTEGER, 'SEK'), 'en-GB'))).toBe(
      'SEK 90,071,992,547,409.91',
    );
  });
});

describe('toDecimalString()', () => {
  it('gives the exact decimal in major units', () => {
    expect(toDecimalString(money(1, 'SEK'))).toBe('0.01');
    expect(toDecimalString(money(-1, 'SEK'))).toBe('-0.01');
    expect(toDecimalString(money(100, 'SEK'))).toBe('1.00');
    expect(toDecimalString(money(0, 'JPY'))).toBe('0');
  });
});
