import {
  add,
  assertMoney,
  CurrencyMismatchError,
  InvalidMoneyArgumentError,
  money,
  percentOf,
} from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { DomainError } from '@ticketry/platform';

/**
 * The platform's fees (CAT-2) and the VAT on them (PAY-10), per ticket.
 *
 * CAT-2: the service fee depends on country and currency ("Billettos Servicegebyrer varierer afhængig af
 * land og behandlingsvaluta", organizer terms 3.1.4) and may be overridden per organizer by agreement
 * ("Gebyrer kan variere på baggrund af individuelle aftaler", terms 12.1). The organizer chooses per
 * event whether the fee is *included* in the ticket price or *passed on* on top of the face value.
 *
 * PAY-10: the platform charges VAT at the country's standard rate on its fees. The rate follows the
 * event's country (the country whose rate applies to the fee), not the contracting entity (ENT-1).
 * Standard rates, in basis points, as published by each tax administration: SE 25 % (Skatteverket),
 * NO 25 % (Skatteetaten), DK 25 % (Skattestyrelsen), GB 20 % (HMRC), FI 25.5 % since 1 September 2024
 * (Vero, checked: vero.fi "The general VAT rate is 25.5% as of 1 September 2024"), DE 19 % (§ 12 UStG),
 * NL 21 % (Belastingdienst); IE 23 %, FR 20 %, IT 22 %, ES 21 %, AT 20 %, BE 21 %, PT 23 % (mainland),
 * PL 23 % as in the European Commission's "VAT rates applied in the Member States". A rate change is a
 * change to this table (and a new schedule version if orders must keep the old one).
 *
 * Service fee percentages and fixed parts are ours to choose (no price list is in the sources): 4 % plus
 * a small fixed amount per paid ticket (SEK/NOK 5.00, DKK 4.00, GBP 0.49, EUR 0.49, PLN 2.00).
 * altPaymentFeeBp (ORD-4: charged to the organizer, never passed on) and advertisingFeeBp (ORD-5) are
 * published by GET /v1/fees; orders computes those charges. None of these fees is refunded (PAY-13).
 *
 * Rounding: each amount is rounded once, half up (libs/money `percentOf`), *per ticket*: the fee is
 * percent-of-face-value rounded, plus the fixed part; the VAT is percent-of-that-fee rounded. An order's
 * fee and VAT are the sums over its tickets, so a refund of one ticket mirrors its charge exactly.
 *
 * A free ticket (face value 0) carries no fee at all, not even the fixed part: creating events and free
 * registrations is free, only the sale of paid tickets carries a fee (terms 12.1).
 */

export type FeeMode = 'included' | 'passed_on';

/** api.md GET /v1/fees, plus the pair it is for. Basis points: 10 000 bp = 100 %. */
export interface FeeSchedule {
  /** Lower-case market/country code, as in markets.ts (`se`, `gb`). */
  country: string;
  /** ISO-4217, upper case. */
  currency: string;
  percentBp: number;
  /** Per paid ticket, in minor units of `currency`. */
  fixedMinor: number;
  /** PAY-10: the country's standard VAT rate, charged on the platform's fees. */
  vatBp: number;
  /** ORD-4: extra fee for alternative payment methods, charged to the organizer. */
  altPaymentFeeBp: number;
  /** ORD-5: fee on orders from the platform's advertising, charged to the organizer. */
  advertisingFeeBp: number;
}

/** CAT-2: an organizer's agreed fee. Replaces percent and fixed part; never VAT or the other fees. */
export interface FeeOverride {
  percentBp: number;
  fixedMinor: number;
}

/** One ticket's platform fee: the fee, the VAT on it (PAY-10), and both together. Minor units. */
export interface ServiceFee {
  feeMinor: number;
  vatMinor: number;
  totalMinor: number;
}

/** Who pays what for one ticket, by fee mode. Minor units of the event currency. */
export interface FeeSplit extends ServiceFee {
  feeMode: FeeMode;
  faceValueMinor: number;
  /** What the consumer pays for the ticket (before add-ons, ORD-3). */
  consumerPaysMinor: number;
  /** What the ticket earns the organizer before ORD-4/ORD-5 charges: face value, or face − fee − VAT. */
  organizerShareMinor: number;
}

const ALT_PAYMENT_FEE_BP = 150;
const ADVERTISING_FEE_BP = 1000;
const PERCENT_BP = 400;

function schedule(country: string, currency: string, fixedMinor: number, vatBp: number): FeeSchedule {
  return Object.freeze({
    country,
    currency,
    percentBp: PERCENT_BP,
    fixedMinor,
    vatBp,
    altPaymentFeeBp: ALT_PAYMENT_FEE_BP,
    advertisingFeeBp: ADVERTISING_FEE_BP,
  });
}

/** CAT-2: every country/currency pair the platform sells in. Any other pair → `fees_not_available`. */
export const FEE_SCHEDULES: readonly FeeSchedule[] = Object.freeze([
  schedule('se', 'SEK', 500, 2500),
  schedule('no', 'NOK', 500, 2500),
  schedule('dk', 'DKK', 400, 2500),
  schedule('gb', 'GBP', 49, 2000),
  schedule('fi', 'EUR', 49, 2550),
  schedule('de', 'EUR', 49, 1900),
  schedule('nl', 'EUR', 49, 2100),
  schedule('ie', 'EUR', 49, 2300),
  schedule('fr', 'EUR', 49, 2000),
  schedule('it', 'EUR', 49, 2200),
  schedule('es', 'EUR', 49, 2100),
  schedule('at', 'EUR', 49, 2000),
  schedule('be', 'EUR', 49, 2100),
  schedule('pt', 'EUR', 49, 2300),
  schedule('pl', 'PLN', 200, 2300),
]);

/** 422 `fees_not_available`: the platform does not sell in this country/currency pair (CAT-2). */
export class FeesNotAvailableError extends DomainError {
  constructor(
    readonly country: string,
    readonly currency: string,
  ) {
    super(
      'fees_not_available',
      `The platform does not sell tickets in ${currency} in country ${JSON.stringify(country)}.`,
      422,
      { country, currency },
    );
  }
}

/** 422 `invalid_fee_override`: an organizer agreement with a rate outside 0–100 % or a negative fixed part. */
export class InvalidFeeOverrideError extends DomainError {
  constructor(message: string) {
    super('invalid_fee_override', message, 422);
  }
}

/**
 * 422 `fee_exceeds_price`: with the fee included, the fee and its VAT would exceed the ticket price, so
 * the organizer would owe money on every sale. Catalog checks it when a ticket type is priced
 * (`feeInclusionSplit` on the new price) so checkout never meets it.
 */
export class FeeExceedsPriceError extends DomainError {
  constructor(faceValueMinor: number, totalFeeMinor: number, currency: string) {
    super(
      'fee_exceeds_price',
      `A ${currency} price of ${faceValueMinor} minor units cannot include the platform fee and VAT ` +
        `(${totalFeeMinor}); raise the price or pass the fee on.`,
      422,
      { faceValueMinor, totalFeeMinor, currency },
    );
  }
}

/**
 * CAT-2: the fee schedule for a country and currency; case-insensitive (`SE`/`se`, `sek`/`SEK`), since
 * GET /v1/fees takes them as query parameters. Throws FeesNotAvailableError for any other pair
 * (including a known country in another currency, e.g. se/EUR).
 */
export function feeScheduleFor(country: string, currency: string): FeeSchedule {
  const c = String(country ?? '')
    .trim()
    .toLowerCase();
  const cur = String(currency ?? '')
    .trim()
    .toUpperCase();
  const found = FEE_SCHEDULES.find((s) => s.country === c && s.currency === cur);
  if (!found) throw new FeesNotAvailableError(c, cur);
  return found;
}

/** CAT-2: true when the platform sells in this pair. */
export function feesAvailable(country: string, currency: string): boolean {
  try {
    feeScheduleFor(country, currency);
    return true;
  } catch (error) {
    if (error instanceof FeesNotAvailableError) return false;
    throw error;
  }
}

/**
 * CAT-2: the schedule with an organizer's override applied: `percentBp` and `fixedMinor` replaced,
 * VAT (PAY-10), the alternative-payment fee and the advertising fee kept.
 */
export function withOverride(base: FeeSchedule, override?: FeeOverride | null): FeeSchedule {
  if (!override) return base;
  const { percentBp, fixedMinor } = override;
  if (!Number.isSafeInteger(percentBp) || percentBp < 0 || percentBp > 10_000) {
    throw new InvalidFeeOverrideError('An override percentBp must be a whole number from 0 to 10000.');
  }
  if (!Number.isSafeInteger(fixedMinor) || fixedMinor < 0) {
    throw new InvalidFeeOverrideError(
      'An override fixedMinor must be a whole number of minor units, 0 or more.',
    );
  }
  return Object.freeze({ ...base, percentBp, fixedMinor });
}

/**
 * CAT-2 + PAY-10: the platform fee on one ticket of face value `faceValue`: percent of the face value
 * (rounded half up) plus the fixed part, VAT at the schedule's rate on that fee (rounded half up), and
 * their sum. A free ticket has no fee. The face value must be in the schedule's currency and not negative.
 */
export function serviceFeeFor(
  faceValue: Money,
  feeSchedule: FeeSchedule,
  override?: FeeOverride | null,
): ServiceFee {
  assertMoney(faceValue);
  if (faceValue.currency !== feeSchedule.currency) {
    throw new CurrencyMismatchError(faceValue.currency, feeSchedule.currency);
  }
  if (faceValue.amountMinor < 0) {
    throw new InvalidMoneyArgumentError('A face value cannot be negative.');
  }
  if (faceValue.amountMinor === 0) return { feeMinor: 0, vatMinor: 0, totalMinor: 0 };
  const effective = withOverride(feeSchedule, override);
  const fee = add(
    percentOf(faceValue, effective.percentBp, 'half_up'),
    money(effective.fixedMinor, faceValue.currency),
  );
  const vat = percentOf(fee, effective.vatBp, 'half_up');
  return { feeMinor: fee.amountMinor, vatMinor: vat.amountMinor, totalMinor: add(fee, vat).amountMinor };
}

/**
 * CAT-2 (ORD-3): who pays what for one ticket.
 *  - `passed_on`: the consumer pays face value + fee + VAT on the fee; the organizer's share is the
 *    face value.
 *  - `included`: the consumer pays the face value (the ticket price); the organizer's share is
 *    face value − fee − VAT on the fee. Throws FeeExceedsPriceError when that would be negative.
 * The fee is computed on the face value (the ticket price) in both modes, so the platform earns the
 * same on a ticket whichever mode the organizer picks.
 */
export function feeInclusionSplit(
  faceValue: Money,
  feeMode: FeeMode,
  feeSchedule: FeeSchedule,
  override?: FeeOverride | null,
): FeeSplit {
  const fee = serviceFeeFor(faceValue, feeSchedule, override);
  const faceValueMinor = faceValue.amountMinor;
  if (feeMode === 'passed_on') {
    return {
      feeMode,
      faceValueMinor,
      ...fee,
      consumerPaysMinor: add(faceValue, money(fee.totalMinor, faceValue.currency)).amountMinor,
      organizerShareMinor: faceValueMinor,
    };
  }
  if (feeMode === 'included') {
    if (fee.totalMinor > faceValueMinor) {
      throw new FeeExceedsPriceError(faceValueMinor, fee.totalMinor, faceValue.currency);
    }
    return {
      feeMode,
      faceValueMinor,
      ...fee,
      consumerPaysMinor: faceValueMinor,
      organizerShareMinor: faceValueMinor - fee.totalMinor,
    };
  }
  throw new InvalidMoneyArgumentError(`Unknown fee mode ${JSON.stringify(feeMode as unknown)}.`);
}

/** api.md GET /v1/fees: the published figures for a pair (no organizer override: that is private). */
export function publishedFees(
  country: string,
  currency: string,
): Pick<FeeSchedule, 'percentBp' | 'fixedMinor' | 'vatBp' | 'altPaymentFeeBp' | 'advertisingFeeBp'> {
  const { percentBp, fixedMinor, vatBp, altPaymentFeeBp, advertisingFeeBp } = feeScheduleFor(
    country,
    currency,
  );
  return { percentBp, fixedMinor, vatBp, altPaymentFeeBp, advertisingFeeBp };
}
