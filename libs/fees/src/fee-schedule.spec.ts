import { CurrencyMismatchError, InvalidMoneyArgumentError, money } from '@ticketry/money';
import { MARKETS } from '@ticketry/platform';
import {
  FEE_SCHEDULES,
  FeeExceedsPriceError,
  feeInclusionSplit,
  feesAvailable,
  FeesNotAvailableError,
  feeScheduleFor,
  InvalidFeeOverrideError,
  publishedFees,
  serviceFeeFor,
  withOverride,
} from './fee-schedule';

const se = feeScheduleFor('se', 'SEK');

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('fee schedule by country and currency (CAT-2)', () => {
  it('publishes percent, fixed part, VAT and the organizer fees for se/SEK', () => {
    expect(publishedFees('se', 'SEK')).toEqual({
      percentBp: 400,
      fixedMinor: 500,
      vatBp: 2500,
      altPaymentFeeBp: 150,
      advertisingFeeBp: 1000,
    });
  });

  it.each([
    ['se', 'SEK'],
    ['no', 'NOK'],
    ['dk', 'DKK'],
    ['gb', 'GBP'],
    ['fi', 'EUR'],
    ['de', 'EUR'],
    ['nl', 'EUR'],
  ])('has a schedule for %s/%s, in that market’s currency', (country, currency) => {
    const schedule = feeScheduleFor(country, currency);
    expect(schedule.currency).toBe(MARKETS[country].currency);
    expect(schedule.percentBp).toBeGreaterThanOrEqual(300);
    expect(schedule.percentBp).toBeLessThanOrEqual(600);
  });

  it('has one schedule per pair, each for a known market in its default currency', () => {
    const pairs = FEE_SCHEDULES.map((s) => `${s.country}/${s.currency}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const s of FEE_SCHEDULES) expect(MARKETS[s.country].currency).toBe(s.currency);
  });

  it('reads country and currency case-insensitively (GET /v1/fees query)', () => {
    expect(feeScheduleFor('SE', 'sek')).toBe(se);
  });

  it('answers fees_not_available for an unknown pair, even a known country in another currency', () => {
    for (const [country, currency] of [
      ['us', 'USD'],
      ['se', 'EUR'],
      ['xx', 'SEK'],
      ['', ''],
    ]) {
      const error = thrownBy(() => feeScheduleFor(country, currency));
      expect(error).toBeInstanceOf(FeesNotAvailableError);
      expect((error as FeesNotAvailableError).code).toBe('fees_not_available');
      expect((error as FeesNotAvailableError).status).toBe(422);
      expect(feesAvailable(country, currency)).toBe(false);
    }
    expect(feesAvailable('dk', 'DKK')).toBe(true);
  });
});

describe('VAT on the platform fee at the country’s standard rate (PAY-10)', () => {
  it.each([
    ['se', 'SEK', 2500],
    ['no', 'NOK', 2500],
    ['dk', 'DKK', 2500],
    ['gb', 'GBP', 2000],
    ['fi', 'EUR', 2550],
    ['de', 'EUR', 1900],
    ['nl', 'EUR', 2100],
  ])('charges %s VAT on fees in %s at %i bp', (country, currency, vatBp) => {
    expect(feeScheduleFor(country, currency).vatBp).toBe(vatBp);
  });

  it.each([
    // face value, country, currency → fee, VAT, total (minor units)
    [23000, 'se', 'SEK', 1420, 355, 1775],
    [39900, 'no', 'NOK', 2096, 524, 2620],
    [15000, 'dk', 'DKK', 1000, 250, 1250],
    [2500, 'gb', 'GBP', 149, 30, 179],
    [2500, 'fi', 'EUR', 149, 38, 187],
    [2500, 'de', 'EUR', 149, 28, 177],
    [2500, 'nl', 'EUR', 149, 31, 180],
  ])(
    'charges on a ticket of %i minor units in %s/%s a fee of %i + VAT %i = %i (CAT-2, PAY-10)',
    (face, country, currency, feeMinor, vatMinor, totalMinor) => {
      const schedule = feeScheduleFor(country, currency);
      expect(serviceFeeFor(money(face, currency), schedule)).toEqual({ feeMinor, vatMinor, totalMinor });
    },
  );

  it('rounds a VAT of exactly half a minor unit up: 25 % of SEK 14.10 is 3.53 (PAY-10)', () => {
    // 4 % of SEK 227.50 = 9.10, + 5.00 = 14.10; 25 % = 3.525 → 3.53.
    expect(serviceFeeFor(money(22750, 'SEK'), se)).toEqual({
      feeMinor: 1410,
      vatMinor: 353,
      totalMinor: 1763,
    });
  });

  it('rounds a fee of exactly half a minor unit up: 2.5 % of SEK 100.20 is 2.51 (CAT-2)', () => {
    expect(serviceFeeFor(money(10020, 'SEK'), se, { percentBp: 250, fixedMinor: 0 })).toEqual({
      feeMinor: 251,
      vatMinor: 63,
      totalMinor: 314,
    });
  });

  it('charges no fee, fixed part included, on a free ticket (CAT-2)', () => {
    expect(serviceFeeFor(money(0, 'SEK'), se)).toEqual({ feeMinor: 0, vatMinor: 0, totalMinor: 0 });
  });

  it('refuses a face value in another currency than the schedule', () => {
    expect(() => serviceFeeFor(money(2500, 'EUR'), se)).toThrow(CurrencyMismatchError);
  });

  it('refuses a negative face value', () => {
    expect(() => serviceFeeFor(money(-100, 'SEK'), se)).toThrow(InvalidMoneyArgumentError);
  });
});

describe('organizer fee override by agreement (CAT-2)', () => {
  it('replaces percent and fixed part but keeps VAT (PAY-10)', () => {
    // 3 % of SEK 230.00 = 6.90, no fixed part; 25 % VAT = 1.725 → 1.73.
    expect(serviceFeeFor(money(23000, 'SEK'), se, { percentBp: 300, fixedMinor: 0 })).toEqual({
      feeMinor: 690,
      vatMinor: 173,
      totalMinor: 863,
    });
  });

  it('keeps VAT and the alternative-payment and advertising fees in the effective schedule', () => {
    expect(withOverride(se, { percentBp: 250, fixedMinor: 100 })).toEqual({
      ...se,
      percentBp: 250,
      fixedMinor: 100,
    });
    expect(withOverride(se, undefined)).toBe(se);
    expect(withOverride(se, null)).toBe(se);
  });

  it('allows a zero-fee agreement', () => {
    expect(serviceFeeFor(money(23000, 'SEK'), se, { percentBp: 0, fixedMinor: 0 })).toEqual({
      feeMinor: 0,
      vatMinor: 0,
      totalMinor: 0,
    });
  });

  it.each([
    { percentBp: 10_001, fixedMinor: 0 },
    { percentBp: -1, fixedMinor: 0 },
    { percentBp: 2.5, fixedMinor: 0 },
    { percentBp: 300, fixedMinor: -1 },
    { percentBp: 300, fixedMinor: 0.5 },
  ])('refuses the override %j with invalid_fee_override', (override) => {
    const error = thrownBy(() => withOverride(se, override));
    expect(error).toBeInstanceOf(InvalidFeeOverrideError);
    expect((error as InvalidFeeOverrideError).code).toBe('invalid_fee_override');
  });
});

describe('fee included in or passed on top of the ticket price (CAT-2, ORD-3)', () => {
  it('passed on: the consumer pays face + fee + VAT, the organizer keeps the face value', () => {
    expect(feeInclusionSplit(money(23000, 'SEK'), 'passed_on', se)).toEqual({
      feeMode: 'passed_on',
      faceValueMinor: 23000,
      feeMinor: 1420,
      vatMinor: 355,
      totalMinor: 1775,
      consumerPaysMinor: 24775,
      organizerShareMinor: 23000,
    });
  });

  it('included: the consumer pays the face value, the organizer gets face − fee − VAT', () => {
    expect(feeInclusionSplit(money(23000, 'SEK'), 'included', se)).toEqual({
      feeMode: 'included',
      faceValueMinor: 23000,
      feeMinor: 1420,
      vatMinor: 355,
      totalMinor: 1775,
      consumerPaysMinor: 23000,
      organizerShareMinor: 21225,
    });
  });

  it('included with an override: EUR 25.00 in Finland at 2 % + 0.30 leaves the organizer EUR 24.00', () => {
    // 2 % of 25.00 = 0.50, + 0.30 = 0.80; 25.5 % VAT = 0.204 → 0.20; 25.00 − 1.00 = 24.00.
    const split = feeInclusionSplit(money(2500, 'EUR'), 'included', feeScheduleFor('fi', 'EUR'), {
      percentBp: 200,
      fixedMinor: 30,
    });
    expect(split).toMatchObject({ feeMinor: 80, vatMinor: 20, totalMinor: 100, organizerShareMinor: 2400 });
  });

  it('included: refuses a price that cannot carry the fee and its VAT (fee_exceeds_price)', () => {
    // SEK 6.50: 0.26 + 5.00 = 5.26; VAT 1.315 → 1.32; 6.58 > 6.50.
    const error = thrownBy(() => feeInclusionSplit(money(650, 'SEK'), 'included', se));
    expect(error).toBeInstanceOf(FeeExceedsPriceError);
    expect((error as FeeExceedsPriceError).code).toBe('fee_exceeds_price');
    expect((error as FeeExceedsPriceError).extra).toEqual({
      faceValueMinor: 650,
      totalFeeMinor: 658,
      currency: 'SEK',
    });
    // SEK 7.00: 0.28 + 5.00 = 5.28; VAT 1.32; the organizer keeps 0.40.
    expect(feeInclusionSplit(money(700, 'SEK'), 'included', se).organizerShareMinor).toBe(40);
  });

  it('passed on: the same cheap ticket is fine, the consumer pays the fee', () => {
    expect(feeInclusionSplit(money(650, 'SEK'), 'passed_on', se).consumerPaysMinor).toBe(1308);
  });

  it('a free ticket costs nothing and earns nothing in either mode', () => {
    for (const mode of ['included', 'passed_on'] as const) {
      expect(feeInclusionSplit(money(0, 'SEK'), mode, se)).toMatchObject({
        consumerPaysMinor: 0,
        organizerShareMinor: 0,
        totalMinor: 0,
      });
    }
  });

  it('balances to the minor unit: included face = organizer + fee + VAT; passed on consumer = face + fee + VAT', () => {
    for (const schedule of FEE_SCHEDULES) {
      for (const face of [1999, 2500, 10001, 12345, 99999, 1_000_000]) {
        const price = money(face, schedule.currency);
        const included = feeInclusionSplit(price, 'included', schedule);
        expect(included.organizerShareMinor + included.feeMinor + included.vatMinor).toBe(face);
        const passedOn = feeInclusionSplit(price, 'passed_on', schedule);
        expect(passedOn.consumerPaysMinor).toBe(face + passedOn.feeMinor + passedOn.vatMinor);
        expect(passedOn.totalMinor).toBe(included.totalMinor);
      }
    }
  });

  it('refuses an unknown fee mode', () => {
    expect(() => feeInclusionSplit(money(100, 'SEK'), 'sometimes' as 'included', se)).toThrow(
      InvalidMoneyArgumentError,
    );
  });
});
