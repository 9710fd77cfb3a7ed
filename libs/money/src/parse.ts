import { isCurrency } from './currency';
import { InvalidMoneyError, UnknownCurrencyError } from './errors';
import { describe, money, Money } from './money';

const FIELDS = new Set(['amountMinor', 'currency']);

/**
 * Money from the API's JSON shape (api.md: `{ "amountMinor": 12345, "currency": "SEK" }`): an object
 * with exactly those two fields, `amountMinor` a safe integer (not a string, not 12.5) and `currency` a
 * supported upper-case ISO-4217 code. Unknown fields are refused, as everywhere in the API. Errors are
 * InvalidMoneyError (with `field`) or UnknownCurrencyError, both `status` 400.
 */
export function parseMoney(json: unknown): Money {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidMoneyError(`Money must be an object { amountMinor, currency }, got ${describe(json)}.`);
  }
  const record = json as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw new InvalidMoneyError(`Money has unknown field(s): ${unknown.join(', ')}.`, unknown[0]);
  }
  if (!('amountMinor' in record)) throw new InvalidMoneyError('amountMinor is required.', 'amountMinor');
  if (!('currency' in record)) throw new InvalidMoneyError('currency is required.', 'currency');
  const { amountMinor, currency } = record;
  if (typeof currency !== 'string') {
    throw new InvalidMoneyError(`currency must be a string, got ${describe(currency)}.`, 'currency');
  }
  if (!isCurrency(currency)) throw new UnknownCurrencyError(currency);
  if (typeof amountMinor !== 'number') {
    throw new InvalidMoneyError(
      `amountMinor must be an integer number of minor units, got ${describe(amountMinor)}.`,
      'amountMinor',
    );
  }
  return money(amountMinor, currency);
}

/** The API's JSON shape of a Money (a fresh plain object, safe to spread into a response). */
export function toMoneyJson(m: Money): { amountMinor: number; currency: string } {
  return { amountMinor: money(m.amountMinor, m.currency).amountMinor, currency: m.currency };
}
