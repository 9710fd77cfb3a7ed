/**
 * The storefronts (domain.md vocabulary) and what every service needs to know about them: the
 * country, default currency and language, the time zone that calendar-date rules use (SUB-2),
 * and the contracting platform entity (ENT-1).
 */
export type LegalEntity = 'ticketry_se' | 'ticketry_no' | 'ticketry_uk' | 'ticketry_dk';

export interface Market {
  code: string;
  country: string;
  currency: string;
  language: string;
  timeZone: string;
  entity: LegalEntity;
}

function market(
  code: string,
  currency: string,
  language: string,
  timeZone: string,
  entity: LegalEntity = 'ticketry_dk',
): Market {
  return { code, country: code.toUpperCase(), currency, language, timeZone, entity };
}

// ENT-1: se → the Swedish company, no → the Norwegian, co.uk (gb) → the UK company, all others → the Danish.
export const MARKETS: Readonly<Record<string, Market>> = Object.freeze({
  se: market('se', 'SEK', 'sv', 'Europe/Stockholm', 'ticketry_se'),
  no: market('no', 'NOK', 'nb', 'Europe/Oslo', 'ticketry_no'),
  gb: market('gb', 'GBP', 'en', 'Europe/London', 'ticketry_uk'),
  dk: market('dk', 'DKK', 'da', 'Europe/Copenhagen'),
  fi: market('fi', 'EUR', 'fi', 'Europe/Helsinki'),
  de: market('de', 'EUR', 'de', 'Europe/Berlin'),
  ie: market('ie', 'EUR', 'en', 'Europe/Dublin'),
  be: market('be', 'EUR', 'nl', 'Europe/Brussels'),
  cz: market('cz', 'CZK', 'cs', 'Europe/Prague'),
  nl: market('nl', 'EUR', 'nl', 'Europe/Amsterdam'),
  at: market('at', 'EUR', 'de', 'Europe/Vienna'),
  pl: market('pl', 'PLN', 'pl', 'Europe/Warsaw'),
  es: market('es', 'EUR', 'es', 'Europe/Madrid'),
  ch: market('ch', 'CHF', 'de', 'Europe/Zurich'),
  fr: market('fr', 'EUR', 'fr', 'Europe/Paris'),
  it: market('it', 'EUR', 'it', 'Europe/Rome'),
  pt: market('pt', 'EUR', 'pt', 'Europe/Lisbon'),
  nz: market('nz', 'NZD', 'en', 'Pacific/Auckland'),
  au: market('au', 'AUD', 'en', 'Australia/Sydney'),
  za: market('za', 'ZAR', 'en', 'Africa/Johannesburg'),
  mx: market('mx', 'MXN', 'es', 'America/Mexico_City'),
  ca: market('ca', 'CAD', 'en', 'America/Toronto'),
  us: market('us', 'USD', 'en', 'America/New_York'),
});

export const MARKET_CODES = Object.keys(MARKETS);

export function isMarket(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(MARKETS, code);
}

export function marketOf(code: string): Market {
  const found = MARKETS[code];
  if (!found) throw new Error(`unknown market ${code}`);
  return found;
}
