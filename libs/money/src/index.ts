export {
  CurrencyMismatchError,
  InvalidMoneyArgumentError,
  InvalidMoneyError,
  MoneyError,
  MoneyOverflowError,
  UnknownCurrencyError,
} from './errors';
export { CURRENCIES, CURRENCY_CODES, currencyOf, isCurrency, minorUnitExponent } from './currency';
export type { Currency } from './currency';
export {
  abs,
  add,
  assertMoney,
  compare,
  equals,
  isNegative,
  isPositive,
  isZero,
  max,
  min,
  money,
  moneyFromDecimal,
  multiply,
  negate,
  subtract,
  sum,
  zero,
} from './money';
export type { Money } from './money';
export { BASIS_POINTS_PER_WHOLE, divideRounded, percentOf, ratio, ROUNDING_MODES } from './rounding';
export type { RoundingMode } from './rounding';
export { allocate } from './allocate';
export { applyMinimum, subscriptionFirstChargeMinimum } from './minimum';
export { formatMoney, toDecimalString } from './format';
export { parseMoney, toMoneyJson } from './parse';
