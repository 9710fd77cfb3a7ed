import {
  assertNotProhibited,
  EVENT_CATEGORIES,
  isEventCategory,
  isKnownCategory,
  isProhibitedCategory,
  PROHIBITED_CATEGORIES,
  ProhibitedCategoryError,
  prohibitedCategoryReason,
  prohibitedTicketNameReason,
} from './categories';

function thrownBy(fn: () => void): ProhibitedCategoryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProhibitedCategoryError) return error;
    throw error;
  }
  throw new Error('expected a ProhibitedCategoryError');
}

describe('event categories (CAT-1)', () => {
  it.each(['concert', 'theatre', 'sports', 'festival', 'conference', 'course'])('offers %s', (category) => {
    expect(isEventCategory(category)).toBe(true);
    expect(isProhibitedCategory(category)).toBe(false);
  });

  it('normalises case, spaces and hyphens', () => {
    expect(isEventCategory(' Food and Drink ')).toBe(true);
    expect(isEventCategory('club-night')).toBe(true);
    expect(isKnownCategory('Club Night')).toBe(true);
  });

  it('does not offer an unknown category (a validation error, not CAT-4)', () => {
    expect(isEventCategory('knitting_party')).toBe(false);
    expect(isProhibitedCategory('knitting_party')).toBe(false);
  });

  it('never offers a prohibited category', () => {
    for (const category of EVENT_CATEGORIES) expect(isProhibitedCategory(category)).toBe(false);
    for (const category of Object.keys(PROHIBITED_CATEGORIES)) expect(isEventCategory(category)).toBe(false);
  });
});

describe('prohibited categories (CAT-4)', () => {
  it.each([
    ['adult_content', 'adult_content'],
    ['Adult', 'adult_content'],
    ['illegal goods or services', 'illegal_goods_or_services'],
    ['cryptocurrency', 'crypto_purchase'],
    ['Bitcoin', 'crypto_purchase'],
    ['lottery', 'lottery_or_gambling'],
    ['gambling', 'lottery_or_gambling'],
    ['casino', 'lottery_or_gambling'],
    ['merchandise', 'not_an_event_purchase'],
    ['investment', 'not_an_event_purchase'],
  ])('refuses %s as %s', (category, reason) => {
    expect(isProhibitedCategory(category)).toBe(true);
    expect(prohibitedCategoryReason(category)).toBe(reason);
  });

  it('has no reason for an allowed category', () => {
    expect(prohibitedCategoryReason('concert')).toBeNull();
    expect(prohibitedCategoryReason('constructor')).toBeNull();
  });

  it('throws 422 prohibited_category with the reason and rule', () => {
    const error = thrownBy(() => assertNotProhibited({ category: 'gambling' }));
    expect(error.status).toBe(422);
    expect(error.code).toBe('prohibited_category');
    expect(error.extra).toEqual({ reason: 'lottery_or_gambling', rule: 'CAT-4', subject: 'category' });
  });

  it('refuses a lottery hidden in a ticket type name', () => {
    expect(prohibitedTicketNameReason('Raffle ticket')).toBe('lottery_or_gambling');
    expect(prohibitedTicketNameReason('Lotteri lott')).toBe('lottery_or_gambling');
  });

  it('lets a conference about crypto sell tickets (a ticket, not a crypto purchase)', () => {
    expect(prohibitedTicketNameReason('Crypto Summit day pass')).toBeNull();
    expect(() =>
      assertNotProhibited({ category: 'conference', ticketTypeNames: ['Crypto Summit day pass'] }),
    ).not.toThrow();
  });
});

describe('no coupons, gift cards or resale (CAT-5)', () => {
  it.each(['gift_card', 'Gift cards', 'discount coupon', 'voucher'])(
    'refuses the category %s',
    (category) => {
      expect(prohibitedCategoryReason(category)).toBe('discount_coupon_or_gift_card');
    },
  );

  it('refuses resale as a category', () => {
    expect(prohibitedCategoryReason('ticket resale')).toBe('ticket_resale');
  });

  it.each([
    ['Gift card 500 kr', 'discount_coupon_or_gift_card'],
    ['Gift cards', 'discount_coupon_or_gift_card'],
    ['Presentkort 500 kr', 'discount_coupon_or_gift_card'],
    ['Presentkortet', 'discount_coupon_or_gift_card'],
    ['Gavekort', 'discount_coupon_or_gift_card'],
    ['Lahjakortti 50 €', 'discount_coupon_or_gift_card'],
    ['Geschenkgutschein', 'discount_coupon_or_gift_card'],
    ['Cadeaubon', 'discount_coupon_or_gift_card'],
    ['10% discount coupon', 'discount_coupon_or_gift_card'],
    ['Resale – front row', 'ticket_resale'],
    ['Videresalg', 'ticket_resale'],
  ])('refuses the ticket type name %j', (name, reason) => {
    expect(prohibitedTicketNameReason(name)).toBe(reason);
  });

  it.each([
    'Standing',
    'Ticket + drink voucher',
    'Early bird (discount code SUMMER)',
    'VIP incl. food coupon',
  ])('accepts the ticket type name %j, part of a bona-fide event purchase', (name) => {
    expect(prohibitedTicketNameReason(name)).toBeNull();
  });

  it('does not read a prohibited word inside another word', () => {
    expect(prohibitedTicketNameReason('Giftcardigan knitting class')).toBeNull();
    expect(prohibitedTicketNameReason('Presale')).toBeNull();
  });

  it('throws 422 prohibited_category for a ticket type name, citing CAT-5', () => {
    const error = thrownBy(() =>
      assertNotProhibited({ category: 'concert', ticketTypeNames: ['Standing', 'Gift card'] }),
    );
    expect(error.code).toBe('prohibited_category');
    expect(error.extra).toEqual({
      reason: 'discount_coupon_or_gift_card',
      rule: 'CAT-5',
      subject: 'ticket_type',
    });
  });
});
