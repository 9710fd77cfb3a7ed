import { currencyOf } from './currency';
import {
  CurrencyMismatchError,
  InvalidMoneyArgumentError,
  InvalidMoneyError,
  MoneyOverflowError,
} from './errors';

/**
 * An amount of money: an integer number of minor units (öre, cents, pence; yen for JPY) and an
 * ISO-4217 currency code. The same shape as money in the HTTP API (api.md: `{ amountMinor, currency }`),
 * so a Money serialises as itself. Values built here are frozen.
 *
 * Representation: `amountMinor` is a JS number restricted to safe integers (|x| ≤ 2^53 − 1, about
 * 90 trillion SEK), because that is the API shape and fits JSON; every computation converts to bigint,
 * computes exactly, and converts back only after checking the result is still a safe integer
 * (MoneyOverflowError otherwise). No float ever touches an amount.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/** Narrows an integer amount to a safe-integer number, or throws MoneyOverflowError. */
export function toSafeMinor(amount: bigint, operation: string, currency: string): number {
  if (amount > MAX || amount < MIN) throw new MoneyOverflowError(operation, currency);
  return Number(amount);
}

function checkedAmount(amountMinor: unknown): number {
  if (typeof amountMinor === 'bigint') {
    if (amountMinor > MAX || amountMinor < MIN) {
      throw new InvalidMoneyError(
        `amountMinor ${amountMinor} is outside the safe integer range.`,
        'amountMinor',
      );
    }
    return Number(amountMinor);
  }
  if (typeof amountMinor !== 'number' || !Number.isInteger(amountMinor)) {
    throw new InvalidMoneyError(
      `amountMinor must be an integer number of minor units, got ${describe(amountMinor)}.`,
      'amountMinor',
    );
  }
  if (!Number.isSafeInteger(amountMinor)) {
    throw new InvalidMoneyError(
      `amountMinor ${amountMinor} is outside the safe integer range (±${Number.MAX_SAFE_INTEGER}).`,
      'amountMinor',
    );
  }
  // -0 is an integer but would serialise as 0 and compare oddly with Object.is; normalise it.
  return amountMinor === 0 ? 0 : amountMinor;
}

/** @internal */
export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}

/**
 * Money from an integer number of minor units: `money(23000, 'SEK')` is SEK 230.00. Rejects
 * non-integers, NaN, ±Infinity, integers beyond ±Number.MAX_SAFE_INTEGER and unknown currencies.
 * A bigint is accepted (e.g. a Postgres bigint column read as BigInt) if it is in the safe range.
 */
export function money(amountMinor: number | bigint, currency: string): Money {
  currencyOf(currency);
  return Object.freeze({ amountMinor: checkedAmount(amountMinor), currency });
}

export function zero(currency: string): Money {
  return money(0, currency);
}

/**
 * Money from a decimal string in major units, exactly: `moneyFromDecimal('230.00', 'SEK')`. At most as
 * many decimals as the currency has (`'1.234'` SEK is refused, never rounded). Meant for fixtures,
 * configuration and tests; the HTTP API carries minor units.
 */
export function moneyFromDecimal(decimal: string, currency: string): Money {
  const { exponent } = currencyOf(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(typeof decimal === 'string' ? decimal : '');
  if (!match) throw new InvalidMoneyError(`${describe(decimal)} is not a decimal amount like "230.00".`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new InvalidMoneyError(`${currency} has ${exponent} decimals; ${JSON.stringify(decimal)} has more.`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (sign ? -1n : 1n);
  return money(minor, currency);
}

/** Validates a Money-shaped value received from elsewhere (a literal, a row, another lib). */
export function assertMoney(value: Money): Money {
  if (value === null || typeof value !== 'object') {
    throw new InvalidMoneyError(`Expected { amountMinor, currency }, got ${describe(value)}.`);
  }
  currencyOf(value.currency);
  checkedAmount(value.amountMinor);
  return value;
}

/** @internal Both valid and in one currency; returns it. */
export function sameCurrency(a: Money, b: Money): string {
  assertMoney(a);
  assertMoney(b);
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return a.currency;
}

/** @internal */
export function checkedInteger(value: number | bigint, name: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    throw new InvalidMoneyArgumentError(`${name} must be a safe integer, got ${describe(value)}.`);
  }
  return BigInt(value);
}

export function add(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return money(toSafeMinor(BigInt(a.amountMinor) + BigInt(b.amountMinor), 'add', currency), currency);
}

export function subtract(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return money(toSafeMinor(BigInt(a.amountMinor) - BigInt(b.amountMinor), 'subtract', currency), currency);
}

/** Sum of a list, all in `currency` (given so that an empty list has one: ORD-3 totals may be empty). */
export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce<Money>((total, item) => add(total, item), zero(currency));
}

/** Multiplies by an integer (a quantity, ORD-3: face value × quantity). Fractions go through `ratio`. */
export function multiply(m: Money, factor: number | bigint): Money {
  assertMoney(m);
  const by = checkedInteger(factor, 'factor');
  return money(toSafeMinor(BigInt(m.amountMinor) * by, 'multiply', m.currency), m.currency);
}

export function negate(m: Money): Money {
  assertMoney(m);
  return money(-m.amountMinor, m.currency);
}

export function abs(m: Money): Money {
  assertMoney(m);
  return money(Math.abs(m.amountMinor), m.currency);
}

export function isZero(m: Money): boolean {
  return assertMoney(m).amountMinor === 0;
}

export function isNegative(m: Money): boolean {
  return assertMoney(m).amountMinor < 0;
}

export function isPositive(m: Money): boolean {
  return assertMoney(m).amountMinor > 0;
}

/** -1, 0 or 1; usable as a sort comparator. Throws CurrencyMismatchError across currencies. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

/**
 * Same amount in the same currency. Comparing different currencies throws rather than answering
 * `false`: asking the question at all means two currencies were mixed, which is a bug (PAY-4).
 */
export function equals(a: Money, b: Money): boolean {
  return compare(a, b) === 0;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}
