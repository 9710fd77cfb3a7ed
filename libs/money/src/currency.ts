import { UnknownCurrencyError } from './errors';

/**
 * The currencies Ticketry handles: ISO-4217 code → minor-unit exponent (how many decimals the minor
 * unit has: SEK 2 → öre, JPY 0 → yen), and the smallest first subscription charge (SUB-3).
 */
export interface Currency {
  readonly code: string;
  /** Number of decimal digits of the minor unit: amountMinor / 10^exponent = amount in major units. */
  readonly exponent: number;
  /**
   * SUB-3: a first (pro-rated) subscription charge below this is rounded up to it, in minor units.
   * Undefined for currencies the rule does not name: no minimum.
   */
  readonly subscriptionFirstChargeMinimumMinor?: number;
}

function currency(code: string, exponent: number, subscriptionFirstChargeMinimumMinor?: number): Currency {
  return Object.freeze(
    subscriptionFirstChargeMinimumMinor === undefined
      ? { code, exponent }
      : { code, exponent, subscriptionFirstChargeMinimumMinor },
  );
}

export const CURRENCIES: Readonly<Record<string, Currency>> = Object.freeze({
  // SUB-3 minimums: GBP 0.30, EUR 0.50, SEK 3.00, DKK 2.50, NOK 3.00.
  SEK: currency('SEK', 2, 300),
  NOK: currency('NOK', 2, 300),
  DKK: currency('DKK', 2, 250),
  EUR: currency('EUR', 2, 50),
  GBP: currency('GBP', 2, 30),
  CHF: currency('CHF', 2),
  CZK: currency('CZK', 2),
  PLN: currency('PLN', 2),
  USD: currency('USD', 2),
  CAD: currency('CAD', 2),
  AUD: currency('AUD', 2),
  NZD: currency('NZD', 2),
  ZAR: currency('ZAR', 2),
  MXN: currency('MXN', 2),
  // No market sells in yen; it is here so code never assumes two decimals.
  JPY: currency('JPY', 0),
});

export const CURRENCY_CODES: readonly string[] = Object.freeze(Object.keys(CURRENCIES));

/** Exact, case-sensitive: `sek` is not a currency code (ISO-4217 codes are upper case). */
export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(CURRENCIES, code);
}

export function currencyOf(code: unknown): Currency {
  if (!isCurrency(code)) throw new UnknownCurrencyError(code);
  return CURRENCIES[code];
}

export function minorUnitExponent(code: string): number {
  return currencyOf(code).exponent;
}
