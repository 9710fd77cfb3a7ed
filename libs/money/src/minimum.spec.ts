import {
  applyMinimum,
  InvalidMoneyArgumentError,
  money,
  moneyFromDecimal,
  ratio,
  subscriptionFirstChargeMinimum,
} from './index';

describe('applyMinimum()', () => {
  it('rounds a first charge below the minimum up to SEK 3.00 (SUB-3)', () => {
    expect(applyMinimum(moneyFromDecimal('1.50', 'SEK'))).toEqual(moneyFromDecimal('3.00', 'SEK'));
  });

  it.each([
    ['GBP', '0.29', '0.30'],
    ['EUR', '0.01', '0.50'],
    ['DKK', '2.49', '2.50'],
    ['NOK', '2.99', '3.00'],
  ])('rounds a first charge of %s %s up to %s (SUB-3)', (currency, charge, minimum) => {
    expect(applyMinimum(moneyFromDecimal(charge, currency))).toEqual(moneyFromDecimal(minimum, currency));
  });

  it('leaves a first charge at or above the minimum unchanged (SUB-3)', () => {
    expect(applyMinimum(money(300, 'SEK'))).toEqual(money(300, 'SEK'));
    expect(applyMinimum(money(301, 'SEK'))).toEqual(money(301, 'SEK'));
    expect(applyMinimum(money(50, 'EUR'))).toEqual(money(50, 'EUR'));
  });

  it('leaves a first charge in a currency without a minimum unchanged (SUB-3)', () => {
    expect(applyMinimum(money(1, 'USD'))).toEqual(money(1, 'USD'));
    expect(applyMinimum(money(1, 'JPY'))).toEqual(money(1, 'JPY'));
    expect(subscriptionFirstChargeMinimum('USD')).toBeUndefined();
  });

  it('rounds up a pro-rated first charge for the last day of the month (SUB-2, SUB-3)', () => {
    // SEK 60.00 a month, subscribing on 30 April: 60.00 × 1 ÷ 30 = 2.00 → 3.00
    const proRated = ratio(money(6000, 'SEK'), 1, 30);
    expect(proRated).toEqual(money(200, 'SEK'));
    expect(applyMinimum(proRated)).toEqual(money(300, 'SEK'));
  });

  it('leaves a zero first charge (a free subscription) at zero: there is no payment to round up (SUB-3)', () => {
    expect(applyMinimum(money(0, 'SEK'))).toEqual(money(0, 'SEK'));
  });

  it('refuses a negative first charge (SUB-3)', () => {
    expect(() => applyMinimum(money(-100, 'SEK'))).toThrow(InvalidMoneyArgumentError);
  });

  it('exposes the minimum per currency as Money (SUB-3)', () => {
    expect(subscriptionFirstChargeMinimum('GBP')).toEqual(money(30, 'GBP'));
  });
});
