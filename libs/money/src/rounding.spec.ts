import {
  divideRounded,
  InvalidMoneyArgumentError,
  money,
  moneyFromDecimal,
  MoneyOverflowError,
  percentOf,
  ratio,
  RoundingMode,
} from './index';

const SEK = (minor: number) => money(minor, 'SEK');

describe('ratio()', () => {
  it('charges 300.00 SEK × 23 ÷ 30 = SEK 230.00 for 8–30 April (SUB-2)', () => {
    expect(ratio(moneyFromDecimal('300.00', 'SEK'), 23, 30)).toEqual(moneyFromDecimal('230.00', 'SEK'));
  });

  it('rounds the pro-rata half up to the minor unit by default (SUB-2)', () => {
    // 99.99 × 1 ÷ 2 = 49.995 → 50.00
    expect(ratio(SEK(9999), 1, 2)).toEqual(SEK(5000));
    // 100.00 × 1 ÷ 3 = 33.333… → 33.33; × 2 ÷ 3 = 66.666… → 66.67
    expect(ratio(SEK(10000), 1, 3)).toEqual(SEK(3333));
    expect(ratio(SEK(10000), 2, 3)).toEqual(SEK(6667));
  });

  it('rounds a whole month exactly: price × 31 ÷ 31 = price (SUB-2)', () => {
    expect(ratio(SEK(29900), 31, 31)).toEqual(SEK(29900));
  });

  it('rounds a tie away from zero for negative amounts, so a refund mirrors its charge', () => {
    expect(ratio(SEK(-9999), 1, 2)).toEqual(SEK(-5000));
    expect(ratio(SEK(5), 1, 2)).toEqual(SEK(3));
    expect(ratio(SEK(-5), 1, 2)).toEqual(SEK(-3));
  });

  it('accepts a negative denominator and bigint arguments', () => {
    expect(ratio(SEK(300), 1, -2)).toEqual(SEK(-150));
    expect(ratio(SEK(300), 2n, 3n)).toEqual(SEK(200));
  });

  it('multiplies before dividing without overflowing in between (bigint)', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(ratio(SEK(max), 1000, 1000)).toEqual(SEK(max));
    expect(ratio(SEK(max), max, max)).toEqual(SEK(max));
    expect(ratio(SEK(max), 1, 3).amountMinor).toBe(3002399751580330);
  });

  it('throws MoneyOverflowError when the result leaves the safe range', () => {
    expect(() => ratio(SEK(Number.MAX_SAFE_INTEGER), 3, 2)).toThrow(MoneyOverflowError);
  });

  it('refuses a zero denominator and non-integer arguments', () => {
    expect(() => ratio(SEK(100), 1, 0)).toThrow(InvalidMoneyArgumentError);
    expect(() => ratio(SEK(100), 0.5, 1)).toThrow(InvalidMoneyArgumentError);
    expect(() => ratio(SEK(100), 1, 2.5)).toThrow(InvalidMoneyArgumentError);
    expect(() => ratio(SEK(100), 1, NaN)).toThrow(InvalidMoneyArgumentError);
  });

  it('refuses an unknown rounding mode', () => {
    expect(() => ratio(SEK(5), 1, 2, 'half_down' as RoundingMode)).toThrow(InvalidMoneyArgumentError);
  });

  it('works in a currency without decimals', () => {
    expect(ratio(money(1000, 'JPY'), 1, 3)).toEqual(money(333, 'JPY'));
  });
});

describe('divideRounded()', () => {
  // value ÷ 10 for each mode: the classic table of rounding modes.
  const cases: [bigint, Record<RoundingMode, bigint>][] = [
    [25n, { half_up: 3n, half_even: 2n, floor: 2n, ceil: 3n }],
    [35n, { half_up: 4n, half_even: 4n, floor: 3n, ceil: 4n }],
    [24n, { half_up: 2n, half_even: 2n, floor: 2n, ceil: 3n }],
    [26n, { half_up: 3n, half_even: 3n, floor: 2n, ceil: 3n }],
    [20n, { half_up: 2n, half_even: 2n, floor: 2n, ceil: 2n }],
    [-25n, { half_up: -3n, half_even: -2n, floor: -3n, ceil: -2n }],
    [-35n, { half_up: -4n, half_even: -4n, floor: -4n, ceil: -3n }],
    [-24n, { half_up: -2n, half_even: -2n, floor: -3n, ceil: -2n }],
    [-26n, { half_up: -3n, half_even: -3n, floor: -3n, ceil: -2n }],
    [5n, { half_up: 1n, half_even: 0n, floor: 0n, ceil: 1n }],
    [-5n, { half_up: -1n, half_even: 0n, floor: -1n, ceil: 0n }],
  ];

  it.each(cases)('rounds %p ÷ 10 in every mode', (value, expected) => {
    for (const mode of Object.keys(expected) as RoundingMode[]) {
      expect([mode, divideRounded(value, 10n, mode)]).toEqual([mode, expected[mode]]);
    }
  });
});

describe('percentOf()', () => {
  it('takes basis points of an amount, rounding half up by default', () => {
    expect(percentOf(SEK(10000), 250)).toEqual(SEK(250)); // 2.5 % of 100.00
    expect(percentOf(SEK(10000), 10000)).toEqual(SEK(10000));
    expect(percentOf(SEK(10000), 0)).toEqual(SEK(0));
    // 2.5 % of 1.10 = 0.0275 → 0.03
    expect(percentOf(SEK(110), 250)).toEqual(SEK(3));
    // 5 % of 0.50 = 0.025: a tie
    expect(percentOf(SEK(50), 500)).toEqual(SEK(3));
  });

  it('honours an explicit rounding mode', () => {
    expect(percentOf(SEK(50), 500, 'half_even')).toEqual(SEK(2));
    expect(percentOf(SEK(110), 250, 'floor')).toEqual(SEK(2));
    expect(percentOf(SEK(101), 250, 'ceil')).toEqual(SEK(3));
    expect(percentOf(SEK(-110), 250, 'floor')).toEqual(SEK(-3));
    expect(percentOf(SEK(-110), 250, 'ceil')).toEqual(SEK(-2));
  });

  it('refuses fractional basis points', () => {
    expect(() => percentOf(SEK(100), 12.5)).toThrow(InvalidMoneyArgumentError);
  });
});
