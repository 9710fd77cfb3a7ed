import { DomainError } from '@ticketry/platform';

/**
 * Event categories (CAT-1 `category`) and the prohibited ones (CAT-4, CAT-5).
 *
 * Two lists on purpose:
 *  - `EVENT_CATEGORIES`: what an event may be filed under. The DTO validates against it (`isEventCategory`),
 *    so an unknown category is a 400 `validation_failed`, not a CAT-4 matter.
 *  - prohibited categories with a reason: names an organizer might try (`gambling`, `gift_card`, …). They
 *    are refused with 422 `prohibited_category` and a `reason`, so the answer says *why* rather than
 *    "unknown value". CAT-4 (source terms 4.1 "Ikke-tilladte Transaktioner": adult content, illegal goods
 *    and services, purchase of cryptocurrency, lottery or gambling, anything not a bona-fide purchase of
 *    tickets, donations or other event-related items); CAT-5 (3.2.9–3.2.10: no discount coupons or gift
 *    cards, no resale of tickets).
 *
 * Ticket type names get a keyword check for the CAT-4/CAT-5 items that hide in a name rather than a
 * category ("Gift card 500 kr" on a concert). It looks for unambiguous phrases only; a "drink voucher"
 * included with a ticket is part of a bona-fide event purchase and passes. The platform may still
 * investigate, suspend or remove an event (CAT-4); that is a human decision, not this file's.
 */

export const EVENT_CATEGORIES = Object.freeze([
  'concert',
  'club_night',
  'theatre',
  'musical',
  'opera',
  'dance',
  'comedy',
  'film',
  'festival',
  'sports',
  'fitness',
  'conference',
  'seminar',
  'course',
  'workshop',
  'networking',
  'exhibition',
  'tour',
  'food_and_drink',
  'family',
  'community',
  'charity',
  'religion',
  'other',
] as const);

export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** Why a category or ticket type is refused; stable, returned as `reason` beside `prohibited_category`. */
export type ProhibitedReason =
  | 'adult_content'
  | 'illegal_goods_or_services'
  | 'crypto_purchase'
  | 'lottery_or_gambling'
  | 'not_an_event_purchase'
  | 'discount_coupon_or_gift_card'
  | 'ticket_resale';

/** The rule each reason comes from. */
export const PROHIBITED_REASON_RULE: Readonly<Record<ProhibitedReason, 'CAT-4' | 'CAT-5'>> = Object.freeze({
  adult_content: 'CAT-4',
  illegal_goods_or_services: 'CAT-4',
  crypto_purchase: 'CAT-4',
  lottery_or_gambling: 'CAT-4',
  not_an_event_purchase: 'CAT-4',
  discount_coupon_or_gift_card: 'CAT-5',
  ticket_resale: 'CAT-5',
});

/** Category names that are refused, normalised (see `normaliseCategory`), with their reason. */
export const PROHIBITED_CATEGORIES: Readonly<Record<string, ProhibitedReason>> = Object.freeze({
  adult: 'adult_content',
  adult_content: 'adult_content',
  adult_entertainment: 'adult_content',
  erotic: 'adult_content',
  erotica: 'adult_content',
  porn: 'adult_content',
  pornography: 'adult_content',
  sex: 'adult_content',
  strip_club: 'adult_content',
  illegal: 'illegal_goods_or_services',
  illegal_goods: 'illegal_goods_or_services',
  illegal_services: 'illegal_goods_or_services',
  illegal_goods_or_services: 'illegal_goods_or_services',
  drugs: 'illegal_goods_or_services',
  weapons: 'illegal_goods_or_services',
  crypto: 'crypto_purchase',
  cryptocurrency: 'crypto_purchase',
  crypto_purchase: 'crypto_purchase',
  bitcoin: 'crypto_purchase',
  token_sale: 'crypto_purchase',
  lottery: 'lottery_or_gambling',
  raffle: 'lottery_or_gambling',
  sweepstakes: 'lottery_or_gambling',
  gambling: 'lottery_or_gambling',
  betting: 'lottery_or_gambling',
  casino: 'lottery_or_gambling',
  lottery_or_gambling: 'lottery_or_gambling',
  merchandise: 'not_an_event_purchase',
  goods: 'not_an_event_purchase',
  products: 'not_an_event_purchase',
  investment: 'not_an_event_purchase',
  financial_services: 'not_an_event_purchase',
  not_an_event: 'not_an_event_purchase',
  coupon: 'discount_coupon_or_gift_card',
  coupons: 'discount_coupon_or_gift_card',
  discount_coupon: 'discount_coupon_or_gift_card',
  discount_coupons: 'discount_coupon_or_gift_card',
  voucher: 'discount_coupon_or_gift_card',
  vouchers: 'discount_coupon_or_gift_card',
  gift_card: 'discount_coupon_or_gift_card',
  gift_cards: 'discount_coupon_or_gift_card',
  gift_certificate: 'discount_coupon_or_gift_card',
  resale: 'ticket_resale',
  ticket_resale: 'ticket_resale',
  secondary_tickets: 'ticket_resale',
});

/** `'  Gift-Card '` → `'gift_card'`: lower case, spaces and hyphens as underscores. */
export function normaliseCategory(category: string): string {
  return category
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** CAT-1: one of the categories an event may use. */
export function isEventCategory(category: string): category is EventCategory {
  return (EVENT_CATEGORIES as readonly string[]).includes(normaliseCategory(category));
}

/** The same as `isEventCategory`, under the name the events service uses. */
export const isKnownCategory = isEventCategory;

/** CAT-4/CAT-5: why a category is refused, or null when it is not a prohibited one. */
export function prohibitedCategoryReason(category: string): ProhibitedReason | null {
  const key = normaliseCategory(category);
  return Object.prototype.hasOwnProperty.call(PROHIBITED_CATEGORIES, key) ? PROHIBITED_CATEGORIES[key] : null;
}

/** CAT-4/CAT-5: the category is one events may not use. */
export function isProhibitedCategory(category: string): boolean {
  return prohibitedCategoryReason(category) !== null;
}

/**
 * Phrases in a ticket type name that make it something other than a bona-fide event ticket. Matched on
 * the lower-cased name at word starts. Nordic compounds (`gavekort`, `presentkort`) are whole words;
 * bare `voucher`, `coupon`, `Gutschein` and `discount code` are *not* here (a drink voucher or food coupon
 * with a ticket, or a discount code on one's own tickets, is a bona-fide event purchase), nor `crypto`
 * (a ticket to a crypto conference is an event ticket; CAT-4 forbids *buying* crypto, a category matter).
 */
const PROHIBITED_TICKET_NAME_PHRASES: readonly (readonly [string, ProhibitedReason])[] = [
  ['gift card', 'discount_coupon_or_gift_card'],
  ['giftcard', 'discount_coupon_or_gift_card'],
  ['gift voucher', 'discount_coupon_or_gift_card'],
  ['gift certificate', 'discount_coupon_or_gift_card'],
  ['discount coupon', 'discount_coupon_or_gift_card'],
  ['presentkort', 'discount_coupon_or_gift_card'],
  ['gavekort', 'discount_coupon_or_gift_card'],
  ['lahjakortti', 'discount_coupon_or_gift_card'],
  ['geschenkgutschein', 'discount_coupon_or_gift_card'],
  ['wertgutschein', 'discount_coupon_or_gift_card'],
  ['cadeaubon', 'discount_coupon_or_gift_card'],
  ['cadeaukaart', 'discount_coupon_or_gift_card'],
  ['rabatkupon', 'discount_coupon_or_gift_card'],
  ['rabattkupong', 'discount_coupon_or_gift_card'],
  ['alennuskuponki', 'discount_coupon_or_gift_card'],
  ['resale', 'ticket_resale'],
  ['resold', 'ticket_resale'],
  ['second-hand ticket', 'ticket_resale'],
  ['videresalg', 'ticket_resale'],
  ['vidaresälj', 'ticket_resale'],
  ['andrahandsbiljett', 'ticket_resale'],
  ['wiederverkauf', 'ticket_resale'],
  ['lottery', 'lottery_or_gambling'],
  ['raffle', 'lottery_or_gambling'],
  ['lotteri', 'lottery_or_gambling'],
  ['loterij', 'lottery_or_gambling'],
];

/** True when `phrase` starts a word of `text` and ends one (the characters around it are not letters). */
function containsWord(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text.slice(at + phrase.length);
    // Plurals and Nordic/German inflections still count: "gift cards", "presentkortet", "Lotterie".
    const afterOk = !/^\p{L}/u.test(after) || /^(?:s|e|en|er|et|erne|ene|n)(?!\p{L})/u.test(after);
    if (!/\p{L}/u.test(before) && afterOk) return true;
    from = at + 1;
  }
}

/** CAT-4/CAT-5: why a ticket type name is refused, or null. */
export function prohibitedTicketNameReason(name: string): ProhibitedReason | null {
  const text = name.toLocaleLowerCase('en').replace(/\s+/g, ' ');
  for (const [phrase, reason] of PROHIBITED_TICKET_NAME_PHRASES) {
    if (containsWord(text, phrase)) return reason;
  }
  return null;
}

/** 422 `prohibited_category` (api.md POST /v1/events/{id}/publish), with `reason` and `rule` in `extra`. */
export class ProhibitedCategoryError extends DomainError {
  constructor(
    readonly reason: ProhibitedReason,
    readonly subject: 'category' | 'ticket_type',
  ) {
    super(
      'prohibited_category',
      `This ${subject === 'category' ? 'category' : 'ticket type'} may not be sold on the platform ` +
        `(${PROHIBITED_REASON_RULE[reason]}: ${reason.replace(/_/g, ' ')}).`,
      422,
      { reason, rule: PROHIBITED_REASON_RULE[reason], subject },
    );
  }
}

/**
 * CAT-4/CAT-5 (eventMustNotBeInProhibitedCategory): throws ProhibitedCategoryError for a prohibited
 * category or any prohibited ticket type name; the service calls it on create and at publish.
 */
export function assertNotProhibited(event: { category: string; ticketTypeNames?: readonly string[] }): void {
  const categoryReason = prohibitedCategoryReason(event.category);
  if (categoryReason) throw new ProhibitedCategoryError(categoryReason, 'category');
  for (const name of event.ticketTypeNames ?? []) {
    const reason = prohibitedTicketNameReason(name);
    if (reason) throw new ProhibitedCategoryError(reason, 'ticket_type');
  }
}
