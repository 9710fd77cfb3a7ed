import {
  CURRENCIES,
  CURRENCY_CODES,
  currencyOf,
  isCurrency,
  minorUnitExponent,
  UnknownCurrencyError,
} from './index';

// The currencies of the markets in libs/platform/src/markets/markets.ts (copied: no Nest in these tests).
const MARKET_CURRENCIES = [
  'SEK',
  'NOK',
  'GBP',
  'DKK',
  'EUR',
  'CZK',
  'PLN',
  'CHF',
  'NZD',
  'AUD',
  'ZAR',
  'MXN',
  'CAD',
  'USD',
];

describe('currency table', () => {
  it.each(['SEK', 'NOK', 'DKK', 'EUR', 'GBP', 'CHF', 'CZK', 'PLN', 'USD', 'CAD', 'AUD', 'NZD', 'ZAR', 'MXN'])(
    'knows %s with two decimals',
    (code) => {
      expect(minorUnitExponent(code)).toBe(2);
    },
  );

  it('knows JPY with no decimals', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
  });

  it('covers the currency of every market', () => {
    for (const code of MARKET_CURRENCIES) expect(isCurrency(code)).toBe(true);
  });

  it('holds the SUB-3 first-charge minimums: GBP 0.30, EUR 0.50, SEK 3.00, DKK 2.50, NOK 3.00 (SUB-3)', () => {
    const minimums = Object.fromEntries(
      CURRENCY_CODES.filter((c) => CURRENCIES[c].subscriptionFirstChargeMinimumMinor !== undefined).map(
        (c) => [c, CURRENCIES[c].subscriptionFirstChargeMinimumMinor],
      ),
    );
    expect(minimums).toEqual({ GBP: 30, EUR: 50, SEK: 300, DKK: 250, NOK: 300 });
  });

  it('is case-sensitive and refuses unknown codes with a typed error', () => {
    expect(isCurrency('sek')).toBe(false);
    expect(isCurrency(42)).toBe(false);
    expect(isCurrency('toString')).toBe(false);
    expect(() => currencyOf('XTS')).toThrow(UnknownCurrencyError);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CURRENCIES)).toBe(true);
    expect(Object.isFrozen(CURRENCIES.SEK)).toBe(true);
  });
});
