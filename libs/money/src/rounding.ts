import { InvalidMoneyArgumentError } from './errors';
import { assertMoney, checkedInteger, money, Money, toSafeMinor } from './money';

/**
 * How a result between two minor units is rounded:
 * - `half_up`: to the nearest; a tie (exactly .5) goes away from zero, so 2.5 → 3 and −2.5 → −3 (the
 *   commercial rounding SUB-2 means by "rounded half up", and symmetric so a refund mirrors its charge);
 * - `half_even`: to the nearest; a tie goes to the even neighbour (banker's rounding), 2.5 → 2, 3.5 → 4;
 * - `floor`: towards −∞; `ceil`: towards +∞.
 */
export type RoundingMode = 'half_up' | 'half_even' | 'floor' | 'ceil';

export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  'half_up',
  'half_even',
  'floor',
  'ceil',
]);

/** numerator ÷ denominator rounded to an integer, exactly, in bigint. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new InvalidMoneyArgumentError('Cannot divide money by zero.');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  // BigInt division truncates towards zero; the remainder has the numerator's sign.
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const awayFromZero = negative ? quotient - 1n : quotient + 1n;
  const twiceRemainder = 2n * (negative ? -remainder : remainder);
  switch (mode) {
    case 'floor':
      return negative ? awayFromZero : quotient;
    case 'ceil':
      return negative ? quotient : awayFromZero;
    case 'half_up':
      return twiceRemainder >= denominator ? awayFromZero : quotient;
    case 'half_even':
      if (twiceRemainder > denominator) return awayFromZero;
      if (twiceRemainder < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
    default:
      throw new InvalidMoneyArgumentError(`Unknown rounding mode ${JSON.stringify(mode as unknown)}.`);
  }
}

/**
 * money × numerator ÷ denominator, rounded once at the end (default half up). The pro-rata of SUB-2:
 * `ratio(money(30000, 'SEK'), 23, 30)` is SEK 230.00 (8–30 April of a SEK 300.00 month); SUB-9 refunds
 * for days without access likewise. Numerator and denominator are integers; the denominator not zero.
 */
export function ratio(
  m: Money,
  numerator: number | bigint,
  denominator: number | bigint,
  mode: RoundingMode = 'half_up',
): Money {
  assertMoney(m);
  const result = divideRounded(
    BigInt(m.amountMinor) * checkedInteger(numerator, 'numerator'),
    checkedInteger(denominator, 'denominator'),
    mode,
  );
  return money(toSafeMinor(result, 'ratio', m.currency), m.currency);
}

/** Basis points in one whole: 10 000 bp = 100 %. */
export const BASIS_POINTS_PER_WHOLE = 10_000;

/**
 * `basisPoints` / 10 000 of an amount, rounded once (default half up): a service fee of 2.5 % is
 * `percentOf(price, 250)`, a PAY-7 reserve `percentOf(proceeds, reserveBp)`. Basis points are integers;
 * a rate finer than 0.01 % goes through `ratio`.
 */
export function percentOf(m: Money, basisPoints: number | bigint, mode: RoundingMode = 'half_up'): Money {
  return ratio(m, basisPoints, BASIS_POINTS_PER_WHOLE, mode);
}
