import { InvalidMoneyArgumentError } from './errors';
import { assertMoney, checkedInteger, money, Money } from './money';

/**
 * Splits an amount into parts proportional to integer `weights` that add up to exactly the amount
 * (largest-remainder method): each part gets the floor of its exact share, and the minor units left
 * over go one each to the parts with the largest remainders, the earlier part first on a tie.
 * `allocate(SEK 1.00, [1, 1, 1])` → [0.34, 0.33, 0.33]. A part with weight 0 gets 0. A negative amount
 * is split like its absolute value and negated, so a refund splits as its charge did.
 */
export function allocate(m: Money, weights: readonly (number | bigint)[]): Money[] {
  assertMoney(m);
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new InvalidMoneyArgumentError('allocate needs at least one weight.');
  }
  const ws = weights.map((w, i) => {
    const weight = checkedInteger(w, `weights[${i}]`);
    if (weight < 0n) throw new InvalidMoneyArgumentError(`weights[${i}] is negative.`);
    return weight;
  });
  const total = ws.reduce((a, b) => a + b, 0n);
  if (total === 0n) throw new InvalidMoneyArgumentError('allocate needs at least one positive weight.');

  const sign = m.amountMinor < 0 ? -1n : 1n;
  const amount = BigInt(Math.abs(m.amountMinor));
  const shares = ws.map((weight, index) => ({
    index,
    part: (amount * weight) / total,
    remainder: (amount * weight) % total,
  }));
  let leftover = amount - shares.reduce((a, s) => a + s.part, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.part += 1n;
    leftover -= 1n;
  }
  // Every part is at most |amount|, a safe integer, so these conversions cannot overflow.
  return shares.map((s) => money(s.part * sign, m.currency));
}
