import { add, money, multiply, percentOf, ratio, subtract, sum, zero } from '@ticketry/money';
import type { Money } from '@ticketry/money';
import { DomainError } from '@ticketry/platform';
import { feeInclusionSplit, type FeeMode, type FeeOverride, type FeeSchedule } from './fee-schedule';

/**
 * ORD-3..ORD-5: what a checkout costs the consumer and what it earns or costs each party.
 *
 * ORD-3: total = face value × quantity + the passed-on service fee (only when the organizer passes it
 * on, CAT-2) + optional add-ons. Add-ons (ticket insurance, postal delivery, SMS/mobile tickets) go to
 * the platform, never to the organizer; their prices include VAT (PAY-10), and the VAT part is kept
 * for the ledger.
 *
 * ORD-4: an alternative payment method (Swish, MobilePay, PayPal, Klarna) costs the organizer
 * `altPaymentFeeBp` of the order's face value, plus VAT; it is never added to what the consumer pays.
 *
 * ORD-5: an order whose source is the platform's own advertising (utm_source `ticketry`, the tag
 * every platform campaign carries) while the event has advertising switched on at order time (CAT-6)
 * costs the organizer `advertisingFeeBp` of the face value, plus VAT.
 *
 * Every figure is integer minor units in the event currency; each is rounded once (half up) where it
 * is computed, per ticket for the service fee (fee-schedule.ts) and per order for the others.
 */

export const ADD_ONS = ['insurance', 'postal_delivery', 'sms_ticket'] as const;
export type AddOn = (typeof ADD_ONS)[number];

export const ORDER_PAYMENT_METHODS = ['card', 'swish', 'mobilepay', 'paypal', 'klarna', 'e_invoice'] as const;
export type OrderPaymentMethod = (typeof ORDER_PAYMENT_METHODS)[number];

/** ORD-4: the methods whose extra fee the organizer pays. Card and e-invoice (ORD-8) carry none. */
export function isAlternativeMethod(method: OrderPaymentMethod): boolean {
  return method === 'swish' || method === 'mobilepay' || method === 'paypal' || method === 'klarna';
}

/** The UTM source the platform's own campaigns carry (ORD-5). */
export const PLATFORM_ADVERTISING_UTM_SOURCE = 'ticketry';

export interface OrderSourceTags {
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
}

/** ORD-5: the order came from the platform's advertising and the event had advertising on (CAT-6). */
export function isAdvertisingOrder(
  source: OrderSourceTags | null | undefined,
  advertisingEnabled: boolean,
): boolean {
  const tag = source?.utmSource?.trim().toLowerCase();
  return advertisingEnabled && tag === PLATFORM_ADVERTISING_UTM_SOURCE;
}

/**
 * Add-on prices, VAT included. Insurance is a share of the face value (it covers the ticket price);
 * postal delivery and SMS tickets are per order. The amounts are the platform's price list.
 */
export const INSURANCE_BP = 600;
const POSTAL_DELIVERY_MINOR: Readonly<Record<string, number>> = {
  SEK: 4900,
  NOK: 4900,
  DKK: 3900,
  GBP: 399,
  EUR: 499,
  PLN: 1999,
};
const SMS_TICKET_MINOR: Readonly<Record<string, number>> = {
  SEK: 1000,
  NOK: 1000,
  DKK: 800,
  GBP: 99,
  EUR: 99,
  PLN: 400,
};

/** 422 `add_on_not_available`: the add-on is not sold for this order (e.g. insurance on free tickets). */
export class AddOnNotAvailableError extends DomainError {
  constructor(addOn: string, reason: string) {
    super('add_on_not_available', `The add-on ${JSON.stringify(addOn)} is not available: ${reason}.`, 422, {
      addOn,
    });
  }
}

export interface PricedAddOn {
  addOn: AddOn;
  amountMinor: number;
  vatMinor: number;
}

/** The VAT inside a VAT-inclusive price: price × rate ÷ (1 + rate), rounded half up. */
export function vatIncluded(price: Money, vatBp: number): Money {
  return ratio(price, vatBp, 10_000 + vatBp, 'half_up');
}

export function priceAddOn(addOn: AddOn, faceValue: Money, schedule: FeeSchedule): PricedAddOn {
  let price: Money;
  if (addOn === 'insurance') {
    if (faceValue.amountMinor <= 0)
      throw new AddOnNotAvailableError(addOn, 'there is no ticket price to insure');
    price = percentOf(faceValue, INSURANCE_BP, 'half_up');
  } else if (addOn === 'postal_delivery' || addOn === 'sms_ticket') {
    const table = addOn === 'postal_delivery' ? POSTAL_DELIVERY_MINOR : SMS_TICKET_MINOR;
    const minor = table[faceValue.currency];
    if (minor === undefined) throw new AddOnNotAvailableError(addOn, `not sold in ${faceValue.currency}`);
    price = money(minor, faceValue.currency);
  } else {
    throw new AddOnNotAvailableError(String(addOn), 'no such add-on');
  }
  return { addOn, amountMinor: price.amountMinor, vatMinor: vatIncluded(price, schedule.vatBp).amountMinor };
}

export interface PricingLineInput {
  ticketTypeId: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface PricingInput {
  currency: string;
  feeMode: FeeMode;
  schedule: FeeSchedule;
  override?: FeeOverride | null;
  lines: readonly PricingLineInput[];
  addOns?: readonly AddOn[];
  paymentMethod: OrderPaymentMethod;
  /** ORD-5, already decided with isAdvertisingOrder. */
  advertising: boolean;
}

export interface PricedLine extends PricingLineInput {
  unitFeeMinor: number;
  unitFeeVatMinor: number;
  /** What the consumer pays per ticket: the price, plus fee and VAT when passed on. */
  unitConsumerPriceMinor: number;
}

/** Every figure of an order, minor units of `currency`. */
export interface OrderPricing {
  currency: string;
  lines: PricedLine[];
  addOns: PricedAddOn[];
  faceValueMinor: number;
  /** api.md totals.serviceFeeMinor: the fee (with its VAT) the consumer pays; 0 when included. */
  serviceFeeMinor: number;
  /** The platform fee on all tickets and its VAT, whichever the fee mode (CAT-2, PAY-10). */
  platformFeeMinor: number;
  platformFeeVatMinor: number;
  addOnsMinor: number;
  addOnsVatMinor: number;
  altPaymentFeeMinor: number;
  altPaymentFeeVatMinor: number;
  advertisingFeeMinor: number;
  advertisingFeeVatMinor: number;
  /** What the consumer pays (ORD-3). ORD-4 and ORD-5 fees are never in it. */
  totalMinor: number;
  /** Face value less the included fee and VAT, less the ORD-4/ORD-5 fees and their VAT. May be negative. */
  organizerShareMinor: number;
}

export function priceOrder(input: PricingInput): OrderPricing {
  const { currency, schedule } = input;
  let face = zero(currency);
  let fee = zero(currency);
  let feeVat = zero(currency);
  let consumerTickets = zero(currency);
  const lines: PricedLine[] = input.lines.map((line) => {
    const unit = money(line.unitPriceMinor, currency);
    const split = feeInclusionSplit(unit, input.feeMode, schedule, input.override);
    face = add(face, multiply(unit, line.quantity));
    fee = add(fee, multiply(money(split.feeMinor, currency), line.quantity));
    feeVat = add(feeVat, multiply(money(split.vatMinor, currency), line.quantity));
    consumerTickets = add(consumerTickets, multiply(money(split.consumerPaysMinor, currency), line.quantity));
    return {
      ...line,
      unitFeeMinor: split.feeMinor,
      unitFeeVatMinor: split.vatMinor,
      unitConsumerPriceMinor: split.consumerPaysMinor,
    };
  });

  const addOns = [...new Set(input.addOns ?? [])].map((addOn) => priceAddOn(addOn, face, schedule));
  const addOnsTotal = sum(
    addOns.map((a) => money(a.amountMinor, currency)),
    currency,
  );
  const addOnsVat = sum(
    addOns.map((a) => money(a.vatMinor, currency)),
    currency,
  );

  const altFee = isAlternativeMethod(input.paymentMethod)
    ? percentOf(face, schedule.altPaymentFeeBp, 'half_up')
    : zero(currency);
  const altFeeVat = percentOf(altFee, schedule.vatBp, 'half_up');
  const adFee = input.advertising ? percentOf(face, schedule.advertisingFeeBp, 'half_up') : zero(currency);
  const adFeeVat = percentOf(adFee, schedule.vatBp, 'half_up');

  const serviceFee = subtract(consumerTickets, face);
  const ticketShare = input.feeMode === 'passed_on' ? face : subtract(subtract(face, fee), feeVat);
  const organizerShare = [altFee, altFeeVat, adFee, adFeeVat].reduce(
    (acc, m) => subtract(acc, m),
    ticketShare,
  );

  return {
    currency,
    lines,
    addOns,
    faceValueMinor: face.amountMinor,
    serviceFeeMinor: serviceFee.amountMinor,
    platformFeeMinor: fee.amountMinor,
    platformFeeVatMinor: feeVat.amountMinor,
    addOnsMinor: addOnsTotal.amountMinor,
    addOnsVatMinor: addOnsVat.amountMinor,
    altPaymentFeeMinor: altFee.amountMinor,
    altPaymentFeeVatMinor: altFeeVat.amountMinor,
    advertisingFeeMinor: adFee.amountMinor,
    advertisingFeeVatMinor: adFeeVat.amountMinor,
    totalMinor: add(consumerTickets, addOnsTotal).amountMinor,
    organizerShareMinor: organizerShare.amountMinor,
  };
}
