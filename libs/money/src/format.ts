import { currencyOf } from './currency';
import { assertMoney, Money } from './money';

/**
 * The amount in major units as an exact decimal string, with the currency's number of decimals and
 * no grouping: SEK 23000 → "230.00", SEK −5 → "-0.05", JPY 1200 → "1200". Pure string arithmetic.
 */
export function toDecimalString(m: Money): string {
  assertMoney(m);
  const { exponent } = currencyOf(m.currency);
  const digits = String(Math.abs(m.amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const sign = m.amountMinor < 0 ? '-' : '';
  return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/**
 * Formats money for people.
 * - Without a locale: `"SEK 230.00"`, `"SEK -5.00"`, `"JPY 1200"`: deterministic, locale- and
 *   ICU-independent, for logs, ledger descriptions, error details and tests.
 * - With a BCP-47 locale: Intl.NumberFormat in that locale (`'sv-SE'` → "230,00 kr"), fed the exact
 *   decimal string (never a float) and forced to the currency's decimals. Output depends on the ICU
 *   data of the Node build, so tests should use the locale-free form.
 */
export function formatMoney(m: Money, locale?: string): string {
  const decimal = toDecimalString(m);
  if (locale === undefined) return `${m.currency} ${decimal}`;
  const { exponent } = currencyOf(m.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(decimal as Intl.StringNumericLiteral);
}
