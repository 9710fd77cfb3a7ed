import { currencyOf } from './currency';
import { InvalidMoneyArgumentError } from './errors';
import { assertMoney, money, Money } from './money';

/**
 * Rule SUB-3: the smallest first subscription charge in a currency (GBP 0.30, EUR 0.50, SEK 3.00,
 * DKK 2.50, NOK 3.00), or undefined where the rule names none.
 */
export function subscriptionFirstChargeMinimum(currency: string): Money | undefined {
  const minimum = currencyOf(currency).subscriptionFirstChargeMinimumMinor;
  return minimum === undefined ? undefined : money(minimum, currency);
}

/**
 * Rule SUB-3: a first (pro-rated, SUB-2) subscription charge below the currency minimum is rounded up
 * to it; at or above it, or in a currency without a minimum, it is unchanged. Apply it after the
 * pro-rata rounding: `applyMinimum(ratio(price, daysLeft, daysInMonth))`.
 * A charge of zero (a free subscription) stays zero: there is no payment to round up. A negative
 * charge is refused, since a charge never is one.
 */
export function applyMinimum(firstCharge: Money): Money {
  assertMoney(firstCharge);
  if (firstCharge.amountMinor < 0) {
    throw new InvalidMoneyArgumentError(
      `A first charge cannot be negative (${firstCharge.currency} ${firstCharge.amountMinor} minor units).`,
    );
  }
  const minimum = currencyOf(firstCharge.currency).subscriptionFirstChargeMinimumMinor;
  if (minimum === undefined || firstCharge.amountMinor === 0 || firstCharge.amountMinor >= minimum) {
    return firstCharge;
  }
  return money(minimum, firstCharge.currency);
}
