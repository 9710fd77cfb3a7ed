import { allocate, InvalidMoneyArgumentError, money, Money, sum } from './index';

const SEK = (minor: number) => money(minor, 'SEK');
const amounts = (parts: Money[]) => parts.map((p) => p.amountMinor);

describe('allocate()', () => {
  it('splits 100 into [1, 1, 1] as [34, 33, 33]', () => {
    expect(amounts(allocate(SEK(100), [1, 1, 1]))).toEqual([34, 33, 33]);
  });

  it('gives leftover units to the largest remainders, not simply the first parts', () => {
    // exact shares 14.2857…, 28.5714…, 57.1428… → floors 14, 28, 57 (99); remainders .29, .57, .14
    expect(amounts(allocate(SEK(100), [1, 2, 4]))).toEqual([14, 29, 57]);
    // 5 into [3, 7]: 1.5, 3.5 → tie goes to the earlier part
    expect(amounts(allocate(SEK(5), [3, 7]))).toEqual([2, 3]);
  });

  it('always sums exactly to the total', () => {
    const cases: [number, number[]][] = [
      [1, [1, 1, 1]],
      [2, [1, 1, 1]],
      [99999, [7, 13, 17, 19, 23]],
      [1001, [1, 0, 2]],
      [Number.MAX_SAFE_INTEGER, [1, 1, 1]],
      [-100, [1, 1, 1]],
    ];
    for (const [total, weights] of cases) {
      const parts = allocate(SEK(total), weights);
      expect(parts).toHaveLength(weights.length);
      expect(sum(parts, 'SEK')).toEqual(SEK(total));
    }
  });

  it('gives nothing to a zero weight', () => {
    expect(amounts(allocate(SEK(100), [0, 1, 0, 1]))).toEqual([0, 50, 0, 50]);
    expect(amounts(allocate(SEK(1), [0, 1, 1]))).toEqual([0, 1, 0]);
  });

  it('splits a negative amount as its absolute value, negated (a refund mirrors its charge)', () => {
    expect(amounts(allocate(SEK(-100), [1, 1, 1]))).toEqual([-34, -33, -33]);
  });

  it('splits zero into zeros and keeps the currency', () => {
    expect(allocate(money(0, 'EUR'), [1, 2])).toEqual([money(0, 'EUR'), money(0, 'EUR')]);
  });

  it('handles weights whose products exceed the safe range (bigint)', () => {
    const w = Number.MAX_SAFE_INTEGER;
    expect(amounts(allocate(SEK(Number.MAX_SAFE_INTEGER), [w, w]))).toEqual([
      4503599627370496, 4503599627370495,
    ]);
  });

  it('refuses no weights, only zero weights, negative or fractional weights', () => {
    expect(() => allocate(SEK(100), [])).toThrow(InvalidMoneyArgumentError);
    expect(() => allocate(SEK(100), [0, 0])).toThrow(InvalidMoneyArgumentError);
    expect(() => allocate(SEK(100), [1, -1])).toThrow(InvalidMoneyArgumentError);
    expect(() => allocate(SEK(100), [0.5, 0.5])).toThrow(InvalidMoneyArgumentError);
  });
});
