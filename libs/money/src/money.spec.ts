import {
  abs,
  add,
  compare,
  CurrencyMismatchError,
  equals,
  InvalidMoneyArgumentError,
  InvalidMoneyError,
  isNegative,
  isPositive,
  isZero,
  max,
  min,
  money,
  moneyFromDecimal,
  MoneyOverflowError,
  multiply,
  negate,
  subtract,
  sum,
  UnknownCurrencyError,
  zero,
} from './index';

const SEK = (minor: number) => money(minor, 'SEK');
const MAX = Number.MAX_SAFE_INTEGER;

describe('money()', () => {
  it('builds an integer amount of minor units in a known currency, frozen', () => {
    const m = money(23000, 'SEK');
    expect(m).toEqual({ amountMinor: 23000, currency: 'SEK' });
    expect(Object.isFrozen(m)).toBe(true);
  });

  it.each([1.5, 0.1, NaN, Infinity, -Infinity])('rejects the non-integer amount %p', (amount) => {
    expect(() => money(amount, 'SEK')).toThrow(InvalidMoneyError);
  });

  it('rejects integers beyond Number.MAX_SAFE_INTEGER, as numbers and as bigints', () => {
    expect(money(MAX, 'SEK').amountMinor).toBe(MAX);
    expect(money(-MAX, 'SEK').amountMinor).toBe(-MAX);
    expect(() => money(MAX + 1, 'SEK')).toThrow(InvalidMoneyError);
    expect(() => money(2 ** 60, 'SEK')).toThrow(InvalidMoneyError);
    expect(() => money(BigInt(MAX) + 1n, 'SEK')).toThrow(InvalidMoneyError);
  });

  it('accepts a bigint in the safe range (a Postgres bigint column)', () => {
    expect(money(123n, 'EUR')).toEqual({ amountMinor: 123, currency: 'EUR' });
  });

  it('rejects a non-number amount passed around the types', () => {
    expect(() => money('100' as unknown as number, 'SEK')).toThrow(InvalidMoneyError);
  });

  it.each(['XXX', 'sek', '', 'SEKK'])('rejects the unknown currency %p', (currency) => {
    expect(() => money(100, currency)).toThrow(UnknownCurrencyError);
  });

  it('normalises -0 to 0', () => {
    expect(Object.is(money(-0, 'SEK').amountMinor, 0)).toBe(true);
    expect(Object.is(negate(zero('SEK')).amountMinor, 0)).toBe(true);
  });

  it('has a typed error with a stable code', () => {
    try {
      money(1.5, 'SEK');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMoneyError);
      expect((error as InvalidMoneyError).code).toBe('invalid_money');
      expect((error as InvalidMoneyError).status).toBe(400);
      expect((error as InvalidMoneyError).field).toBe('amountMinor');
    }
  });
});

describe('moneyFromDecimal()', () => {
  it('reads an exact decimal in major units', () => {
    expect(moneyFromDecimal('230.00', 'SEK')).toEqual(SEK(23000));
    expect(moneyFromDecimal('0.3', 'GBP')).toEqual(money(30, 'GBP'));
    expect(moneyFromDecimal('-1.05', 'EUR')).toEqual(money(-105, 'EUR'));
    expect(moneyFromDecimal('1200', 'JPY')).toEqual(money(1200, 'JPY'));
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => moneyFromDecimal('1.234', 'SEK')).toThrow(InvalidMoneyError);
    expect(() => moneyFromDecimal('1.5', 'JPY')).toThrow(InvalidMoneyError);
  });

  it.each(['', '1,00', '1e3', ' 1.00', '+1', '.5', 'abc'])('refuses the malformed decimal %p', (text) => {
    expect(() => moneyFromDecimal(text, 'SEK')).toThrow(InvalidMoneyError);
  });

  it('refuses a decimal beyond the safe integer range', () => {
    expect(() => moneyFromDecimal('90071992547409.92', 'SEK')).toThrow(InvalidMoneyError);
    expect(moneyFromDecimal('90071992547409.91', 'SEK').amountMinor).toBe(MAX);
  });
});

describe('arithmetic', () => {
  it('adds and subtracts in one currency', () => {
    expect(add(SEK(100), SEK(250))).toEqual(SEK(350));
    expect(subtract(SEK(100), SEK(250))).toEqual(SEK(-150));
    expect(add(SEK(-100), SEK(100))).toEqual(SEK(0));
  });

  it('refuses to add, subtract, compare or test equality across currencies (PAY-4)', () => {
    const eur = money(100, 'EUR');
    expect(() => add(SEK(100), eur)).toThrow(CurrencyMismatchError);
    expect(() => subtract(SEK(100), eur)).toThrow(CurrencyMismatchError);
    expect(() => compare(SEK(100), eur)).toThrow(CurrencyMismatchError);
    expect(() => equals(SEK(100), eur)).toThrow(CurrencyMismatchError);
    expect(() => max(SEK(100), eur)).toThrow(CurrencyMismatchError);
    expect(() => sum([SEK(1), eur], 'SEK')).toThrow(CurrencyMismatchError);
  });

  it('names both currencies and a stable code in the mismatch error', () => {
    const error = (() => {
      try {
        add(SEK(1), money(1, 'NOK'));
      } catch (e) {
        return e as CurrencyMismatchError;
      }
      throw new Error('expected a throw');
    })();
    expect(error.code).toBe('currency_mismatch');
    expect([error.left, error.right]).toEqual(['SEK', 'NOK']);
    expect(error.message).toContain('SEK');
    expect(error.message).toContain('NOK');
  });

  it('multiplies face value by quantity (ORD-3)', () => {
    expect(multiply(SEK(34950), 3)).toEqual(SEK(104850));
    expect(multiply(SEK(34950), 0)).toEqual(SEK(0));
    expect(multiply(SEK(100), -2)).toEqual(SEK(-200));
    expect(multiply(SEK(100), 2n)).toEqual(SEK(200));
  });

  it('refuses to multiply by a fraction (fractions go through ratio)', () => {
    expect(() => multiply(SEK(100), 1.5)).toThrow(InvalidMoneyArgumentError);
    expect(() => multiply(SEK(100), NaN)).toThrow(InvalidMoneyArgumentError);
  });

  it('throws MoneyOverflowError instead of losing precision near Number.MAX_SAFE_INTEGER', () => {
    expect(add(SEK(MAX - 1), SEK(1))).toEqual(SEK(MAX));
    expect(() => add(SEK(MAX), SEK(1))).toThrow(MoneyOverflowError);
    expect(() => subtract(SEK(-MAX), SEK(1))).toThrow(MoneyOverflowError);
    expect(() => multiply(SEK(MAX), 2)).toThrow(MoneyOverflowError);
    expect(() => multiply(SEK(2 ** 30), 2 ** 30)).toThrow(MoneyOverflowError);
    expect(negate(SEK(MAX))).toEqual(SEK(-MAX));
  });

  it('sums a list, an empty list to zero in the given currency', () => {
    expect(sum([SEK(100), SEK(200), SEK(-50)], 'SEK')).toEqual(SEK(250));
    expect(sum([], 'EUR')).toEqual(money(0, 'EUR'));
  });

  it('negates, takes the absolute value and classifies the sign', () => {
    expect(negate(SEK(100))).toEqual(SEK(-100));
    expect(abs(SEK(-100))).toEqual(SEK(100));
    expect(isZero(SEK(0))).toBe(true);
    expect(isZero(SEK(1))).toBe(false);
    expect(isNegative(SEK(-1))).toBe(true);
    expect(isPositive(SEK(1))).toBe(true);
    expect(isPositive(SEK(0))).toBe(false);
  });

  it('compares, sorts and finds min and max', () => {
    expect(compare(SEK(1), SEK(2))).toBe(-1);
    expect(compare(SEK(2), SEK(2))).toBe(0);
    expect(compare(SEK(3), SEK(2))).toBe(1);
    expect(equals(SEK(2), SEK(2))).toBe(true);
    expect(equals(SEK(2), SEK(3))).toBe(false);
    expect([SEK(3), SEK(-1), SEK(2)].sort(compare)).toEqual([SEK(-1), SEK(2), SEK(3)]);
    expect(max(SEK(1), SEK(2))).toEqual(SEK(2));
    expect(min(SEK(1), SEK(2))).toEqual(SEK(1));
  });

  it('validates Money-shaped literals that did not come through money()', () => {
    const bad = { amountMinor: 0.1, currency: 'SEK' };
    expect(() => add(bad, SEK(1))).toThrow(InvalidMoneyError);
    expect(() => negate({ amountMinor: 1, currency: 'XYZ' })).toThrow(UnknownCurrencyError);
    expect(add({ amountMinor: 1, currency: 'SEK' }, SEK(1))).toEqual(SEK(2));
  });
});
