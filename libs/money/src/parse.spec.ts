import { InvalidMoneyError, money, parseMoney, toMoneyJson, UnknownCurrencyError } from './index';

function errorOf(fn: () => unknown): InvalidMoneyError | UnknownCurrencyError {
  try {
    fn();
  } catch (error) {
    return error as InvalidMoneyError;
  }
  throw new Error('expected a throw');
}

describe('parseMoney()', () => {
  it('reads the API shape { amountMinor, currency }', () => {
    expect(parseMoney(JSON.parse('{ "amountMinor": 12345, "currency": "SEK" }'))).toEqual(
      money(12345, 'SEK'),
    );
    expect(parseMoney({ amountMinor: -5, currency: 'EUR' })).toEqual(money(-5, 'EUR'));
  });

  it('round-trips through JSON', () => {
    const m = money(23000, 'SEK');
    expect(parseMoney(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(JSON.stringify(toMoneyJson(m))).toBe('{"amountMinor":23000,"currency":"SEK"}');
  });

  it.each([null, undefined, 42, 'SEK 1.00', [12345, 'SEK']])('refuses the non-object %p', (json) => {
    expect(() => parseMoney(json)).toThrow(InvalidMoneyError);
  });

  it('names the missing field', () => {
    expect(errorOf(() => parseMoney({ currency: 'SEK' }))).toMatchObject({ field: 'amountMinor' });
    expect(errorOf(() => parseMoney({ amountMinor: 1 }))).toMatchObject({ field: 'currency' });
  });

  it('refuses an amount that is a string, a fraction, or beyond the safe range', () => {
    for (const amountMinor of ['12345', 123.45, 1e20, null, true]) {
      const error = errorOf(() => parseMoney({ amountMinor, currency: 'SEK' }));
      expect(error).toBeInstanceOf(InvalidMoneyError);
      expect(error).toMatchObject({ code: 'invalid_money', field: 'amountMinor', status: 400 });
    }
  });

  it('refuses a currency that is not a string or not supported', () => {
    expect(errorOf(() => parseMoney({ amountMinor: 1, currency: 752 }))).toMatchObject({ field: 'currency' });
    const unknown = errorOf(() => parseMoney({ amountMinor: 1, currency: 'sek' }));
    expect(unknown).toBeInstanceOf(UnknownCurrencyError);
    expect(unknown).toMatchObject({ code: 'unknown_currency', status: 400 });
  });

  it('refuses unknown fields, as the API does', () => {
    const error = errorOf(() => parseMoney({ amountMinor: 1, currency: 'SEK', amount: 0.01 }));
    expect(error).toMatchObject({ code: 'invalid_money', field: 'amount' });
  });
});
