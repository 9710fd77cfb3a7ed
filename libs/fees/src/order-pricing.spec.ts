import { CurrencyMismatchError, money } from '@ticketry/money';
import { feeScheduleFor } from './fee-schedule';
import {
  ADD_ONS,
  AddOnNotAvailableError,
  INSURANCE_BP,
  isAdvertisingOrder,
  isAlternativeMethod,
  ORDER_PAYMENT_METHODS,
  priceAddOn,
  priceOrder,
  vatIncluded,
  type AddOn,
  type OrderPaymentMethod,
  type OrderPricing,
  type PricingInput,
  type PricingLineInput,
} from './order-pricing';

// Published schedule figures these expectations are computed from (GET /v1/fees, fee-schedule.ts):
//   se/SEK: 4 % + SEK 5.00 fixed per paid ticket, VAT 25 %, alternative payment 1.5 %, advertising 10 %
//   gb/GBP: 4 % + GBP 0.49 fixed per paid ticket, VAT 20 %, same organizer fees
//   fi/EUR: 4 % + EUR 0.49 fixed per paid ticket, VAT 25.5 %
// Add-on price list (order-pricing.ts, VAT included): insurance 6 % of the face value; postal delivery
// SEK 49.00 / GBP 3.99 / EUR 4.99; SMS ticket SEK 10.00 / GBP 0.99 / EUR 0.99.
// Every amount below is in minor units and every rounding is half up.
const se = feeScheduleFor('se', 'SEK');
const gb = feeScheduleFor('gb', 'GBP');
const fi = feeScheduleFor('fi', 'EUR');

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function seOrder(overrides: Partial<PricingInput> = {}): PricingInput {
  return {
    currency: 'SEK',
    feeMode: 'passed_on',
    schedule: se,
    lines: MIXED_SE_LINES,
    paymentMethod: 'card',
    advertising: false,
    ...overrides,
  };
}

/**
 * The mixed SE order most tests use: 2 × SEK 230.00, 3 × SEK 150.00 and 1 free ticket.
 *   SEK 230.00: fee 4 % = 9.20 + 5.00 = 14.20; VAT 25 % = 3.55; fee + VAT 17.75
 *   SEK 150.00: fee 4 % = 6.00 + 5.00 = 11.00; VAT 25 % = 2.75; fee + VAT 13.75
 *   free:       no fee, not even the fixed part
 * face value     = 2 × 23000 + 3 × 15000 + 0 = 46000 + 45000 = 91000
 * platform fee   = 2 × 1420 + 3 × 1100 = 2840 + 3300 = 6140
 * VAT on the fee = 2 × 355 + 3 × 275 = 710 + 825 = 1535
 * fee + VAT      = 6140 + 1535 = 7675
 */
const MIXED_SE_LINES: readonly PricingLineInput[] = [
  { ticketTypeId: 'tt-standard', quantity: 2, unitPriceMinor: 23000 },
  { ticketTypeId: 'tt-student', quantity: 3, unitPriceMinor: 15000 },
  { ticketTypeId: 'tt-free', quantity: 1, unitPriceMinor: 0 },
];

describe('order total by fee mode (ORD-3, CAT-2, PAY-10)', () => {
  it('ORD-3 passed_on: total = face value × quantity + fee and its VAT per paid ticket', () => {
    const pricing = priceOrder(seOrder({ feeMode: 'passed_on' }));
    expect(pricing).toMatchObject({
      currency: 'SEK',
      faceValueMinor: 91000,
      platformFeeMinor: 6140,
      platformFeeVatMinor: 1535,
      // 6140 + 1535
      serviceFeeMinor: 7675,
      addOnsMinor: 0,
      addOnsVatMinor: 0,
      // 91000 + 7675
      totalMinor: 98675,
      // passed on: the organizer keeps the whole face value
      organizerShareMinor: 91000,
    });
  });

  it('ORD-3 passed_on: each line carries its unit fee, VAT and what the consumer pays per ticket', () => {
    expect(priceOrder(seOrder({ feeMode: 'passed_on' })).lines).toEqual([
      // 23000 + 1420 + 355 = 24775
      {
        ticketTypeId: 'tt-standard',
        quantity: 2,
        unitPriceMinor: 23000,
        unitFeeMinor: 1420,
        unitFeeVatMinor: 355,
        unitConsumerPriceMinor: 24775,
      },
      // 15000 + 1100 + 275 = 16375
      {
        ticketTypeId: 'tt-student',
        quantity: 3,
        unitPriceMinor: 15000,
        unitFeeMinor: 1100,
        unitFeeVatMinor: 275,
        unitConsumerPriceMinor: 16375,
      },
      {
        ticketTypeId: 'tt-free',
        quantity: 1,
        unitPriceMinor: 0,
        unitFeeMinor: 0,
        unitFeeVatMinor: 0,
        unitConsumerPriceMinor: 0,
      },
    ]);
  });

  it('ORD-3 included: the consumer pays the face value only; the fee comes out of the organizer share', () => {
    const pricing = priceOrder(seOrder({ feeMode: 'included' }));
    expect(pricing).toMatchObject({
      faceValueMinor: 91000,
      platformFeeMinor: 6140,
      platformFeeVatMinor: 1535,
      serviceFeeMinor: 0,
      totalMinor: 91000,
      // 91000 − 6140 − 1535
      organizerShareMinor: 83325,
    });
    expect(pricing.lines.map((l) => l.unitConsumerPriceMinor)).toEqual([23000, 15000, 0]);
    expect(pricing.lines.map((l) => [l.unitFeeMinor, l.unitFeeVatMinor])).toEqual([
      [1420, 355],
      [1100, 275],
      [0, 0],
    ]);
  });

  it('CAT-2/PAY-10: rounds the fee VAT per ticket, so 2 × SEK 227.50 carries 2 × 3.53, not 7.05', () => {
    // 4 % of 227.50 = 9.10, + 5.00 = 14.10; VAT 25 % = 3.525 → 3.53 per ticket.
    // Two tickets: fee 2 × 1410 = 2820; VAT 2 × 353 = 706 (not 25 % of 2820 = 705).
    const pricing = priceOrder(
      seOrder({ lines: [{ ticketTypeId: 'tt', quantity: 2, unitPriceMinor: 22750 }] }),
    );
    expect(pricing).toMatchObject({
      faceValueMinor: 45500,
      platformFeeMinor: 2820,
      platformFeeVatMinor: 706,
      // 2820 + 706
      serviceFeeMinor: 3526,
      // 45500 + 3526
      totalMinor: 49026,
    });
  });

  it('CAT-2: an organizer override replaces percent and fixed part, VAT stays', () => {
    // 3 % of 230.00 = 6.90, no fixed part; VAT 25 % = 1.725 → 1.73; × 2 tickets: fee 1380, VAT 346.
    const pricing = priceOrder(
      seOrder({
        override: { percentBp: 300, fixedMinor: 0 },
        lines: [{ ticketTypeId: 'tt', quantity: 2, unitPriceMinor: 23000 }],
      }),
    );
    expect(pricing).toMatchObject({
      faceValueMinor: 46000,
      platformFeeMinor: 1380,
      platformFeeVatMinor: 346,
      // 1380 + 346
      serviceFeeMinor: 1726,
      // 46000 + 1726
      totalMinor: 47726,
    });
  });

  it('ORD-3 in GB: 3 × GBP 25.00 passed on with the 20 % VAT rate', () => {
    // 4 % of 25.00 = 1.00, + 0.49 = 1.49; VAT 20 % = 0.298 → 0.30; × 3: fee 447, VAT 90.
    const pricing = priceOrder({
      currency: 'GBP',
      feeMode: 'passed_on',
      schedule: gb,
      lines: [{ ticketTypeId: 'tt', quantity: 3, unitPriceMinor: 2500 }],
      paymentMethod: 'card',
      advertising: false,
    });
    expect(pricing).toMatchObject({
      faceValueMinor: 7500,
      platformFeeMinor: 447,
      platformFeeVatMinor: 90,
      // 447 + 90
      serviceFeeMinor: 537,
      // 7500 + 537
      totalMinor: 8037,
      organizerShareMinor: 7500,
    });
  });

  it('refuses lines priced in another currency than the schedule', () => {
    expect(() => priceOrder(seOrder({ currency: 'EUR' }))).toThrow(CurrencyMismatchError);
  });
});

describe('free tickets carry no fee (CAT-2, ORD-3)', () => {
  it.each(['passed_on', 'included'] as const)(
    'a free order in %s mode costs and earns nothing',
    (feeMode) => {
      const pricing = priceOrder(
        seOrder({ feeMode, lines: [{ ticketTypeId: 'tt-free', quantity: 4, unitPriceMinor: 0 }] }),
      );
      expect(pricing).toMatchObject({
        faceValueMinor: 0,
        serviceFeeMinor: 0,
        platformFeeMinor: 0,
        platformFeeVatMinor: 0,
        totalMinor: 0,
        organizerShareMinor: 0,
      });
      expect(pricing.lines[0]).toMatchObject({
        unitFeeMinor: 0,
        unitFeeVatMinor: 0,
        unitConsumerPriceMinor: 0,
      });
    },
  );

  it('ORD-4/ORD-5: a free order paid by Swish from platform advertising costs the organizer nothing', () => {
    const pricing = priceOrder(
      seOrder({
        lines: [{ ticketTypeId: 'tt-free', quantity: 2, unitPriceMinor: 0 }],
        paymentMethod: 'swish',
        advertising: true,
      }),
    );
    expect(pricing).toMatchObject({
      altPaymentFeeMinor: 0,
      altPaymentFeeVatMinor: 0,
      advertisingFeeMinor: 0,
      advertisingFeeVatMinor: 0,
      totalMinor: 0,
      organizerShareMinor: 0,
    });
  });
});

describe('add-ons go to the platform, VAT inside the price (ORD-3, PAY-10)', () => {
  it('lists the three add-ons and insures at 6 % of the face value', () => {
    expect([...ADD_ONS]).toEqual(['insurance', 'postal_delivery', 'sms_ticket']);
    expect(INSURANCE_BP).toBe(600);
  });

  it('PAY-10 vatIncluded: the VAT inside a VAT-inclusive price is price × rate ÷ (1 + rate)', () => {
    // SEK 49.00 × 0.25 ÷ 1.25 = 9.80
    expect(vatIncluded(money(4900, 'SEK'), 2500)).toEqual(money(980, 'SEK'));
    // GBP 3.99 × 0.20 ÷ 1.20 = 0.665 → 0.67 (half up)
    expect(vatIncluded(money(399, 'GBP'), 2000)).toEqual(money(67, 'GBP'));
    // EUR 4.99 × 0.255 ÷ 1.255 = 1.01394… → 1.01
    expect(vatIncluded(money(499, 'EUR'), 2550)).toEqual(money(101, 'EUR'));
    expect(vatIncluded(money(0, 'SEK'), 2500)).toEqual(money(0, 'SEK'));
  });

  it('ORD-3: insurance is 6 % of the order face value, postal delivery and SMS ticket are per order', () => {
    const pricing = priceOrder(seOrder({ addOns: ['insurance', 'postal_delivery', 'sms_ticket'] }));
    expect(pricing.addOns).toEqual([
      // 6 % of 91000 = 5460; VAT inside 5460 × 0.25 ÷ 1.25 = 1092
      { addOn: 'insurance', amountMinor: 5460, vatMinor: 1092 },
      // SEK 49.00 per order; VAT inside 4900 ÷ 5 = 980
      { addOn: 'postal_delivery', amountMinor: 4900, vatMinor: 980 },
      // SEK 10.00 per order; VAT inside 1000 ÷ 5 = 200
      { addOn: 'sms_ticket', amountMinor: 1000, vatMinor: 200 },
    ]);
    expect(pricing).toMatchObject({
      // 5460 + 4900 + 1000
      addOnsMinor: 11360,
      // 1092 + 980 + 200
      addOnsVatMinor: 2272,
      // face 91000 + passed-on fee 7675 + add-ons 11360
      totalMinor: 110035,
      // add-ons go to the platform, never to the organizer
      organizerShareMinor: 91000,
    });
  });

  it('ORD-3: add-ons are added to the total in included mode too, and still not to the organizer', () => {
    const pricing = priceOrder(seOrder({ feeMode: 'included', addOns: ['postal_delivery', 'sms_ticket'] }));
    expect(pricing).toMatchObject({
      serviceFeeMinor: 0,
      // 4900 + 1000
      addOnsMinor: 5900,
      // 980 + 200
      addOnsVatMinor: 1180,
      // 91000 + 5900
      totalMinor: 96900,
      // 91000 − 7675, unchanged by add-ons
      organizerShareMinor: 83325,
    });
  });

  it('ORD-3: insurance is priced on the face value, not on the passed-on fee, and rounds half up', () => {
    // 6 % of SEK 100.25 = 6.015 → 6.02; VAT inside 602 × 0.25 ÷ 1.25 = 120.4 → 120.
    // The passed-on fee (4 % of 100.25 = 4.01, + 5.00 = 9.01; VAT 2.2525 → 2.25) is not insured.
    const pricing = priceOrder(
      seOrder({
        lines: [{ ticketTypeId: 'tt', quantity: 1, unitPriceMinor: 10025 }],
        addOns: ['insurance'],
      }),
    );
    expect(pricing.addOns).toEqual([{ addOn: 'insurance', amountMinor: 602, vatMinor: 120 }]);
    expect(pricing).toMatchObject({
      // 901 + 225
      serviceFeeMinor: 1126,
      // 10025 + 1126 + 602
      totalMinor: 11753,
    });
  });

  it('ORD-3 in GB: the GBP price list, VAT at 20 % inside it, with half-up rounding', () => {
    const pricing = priceOrder({
      currency: 'GBP',
      feeMode: 'passed_on',
      schedule: gb,
      lines: [{ ticketTypeId: 'tt', quantity: 3, unitPriceMinor: 2500 }],
      addOns: ['postal_delivery', 'sms_ticket'],
      paymentMethod: 'card',
      advertising: false,
    });
    expect(pricing.addOns).toEqual([
      // GBP 3.99; VAT inside 399 ÷ 6 = 66.5 → 67
      { addOn: 'postal_delivery', amountMinor: 399, vatMinor: 67 },
      // GBP 0.99; VAT inside 99 ÷ 6 = 16.5 → 17
      { addOn: 'sms_ticket', amountMinor: 99, vatMinor: 17 },
    ]);
    expect(pricing).toMatchObject({
      // 399 + 99
      addOnsMinor: 498,
      // 67 + 17
      addOnsVatMinor: 84,
      // face 7500 + fee 537 (see the GB fee test) + add-ons 498
      totalMinor: 8535,
    });
  });

  it('PAY-10: the VAT inside an add-on follows the event country (Finland 25.5 %)', () => {
    // EUR 0.99 × 0.255 ÷ 1.255 = 0.2011… → 0.20
    expect(priceAddOn('sms_ticket', money(2500, 'EUR'), fi)).toEqual({
      addOn: 'sms_ticket',
      amountMinor: 99,
      vatMinor: 20,
    });
    // 6 % of EUR 25.00 = 1.50; VAT inside 150 × 0.255 ÷ 1.255 = 30.478… → 30
    expect(priceAddOn('insurance', money(2500, 'EUR'), fi)).toEqual({
      addOn: 'insurance',
      amountMinor: 150,
      vatMinor: 30,
    });
  });

  it('ORD-3: an add-on asked for twice is counted once', () => {
    const pricing = priceOrder(
      seOrder({ addOns: ['sms_ticket', 'insurance', 'sms_ticket', 'insurance', 'sms_ticket'] }),
    );
    expect(pricing.addOns.map((a) => a.addOn)).toEqual(['sms_ticket', 'insurance']);
    expect(pricing).toMatchObject({
      // sms 1000 + insurance 5460
      addOnsMinor: 6460,
      // 200 + 1092
      addOnsVatMinor: 1292,
      // 91000 + 7675 + 6460
      totalMinor: 105135,
    });
  });

  it('ORD-3: no insurance on a free order: 422 add_on_not_available', () => {
    const error = thrownBy(() =>
      priceOrder(
        seOrder({
          lines: [{ ticketTypeId: 'tt-free', quantity: 2, unitPriceMinor: 0 }],
          addOns: ['insurance'],
        }),
      ),
    );
    expect(error).toBeInstanceOf(AddOnNotAvailableError);
    expect((error as AddOnNotAvailableError).code).toBe('add_on_not_available');
    expect((error as AddOnNotAvailableError).status).toBe(422);
    expect((error as AddOnNotAvailableError).extra).toEqual({ addOn: 'insurance' });
  });

  it('ORD-3: a free order can still have its tickets posted (postal delivery is per order)', () => {
    const pricing = priceOrder(
      seOrder({
        lines: [{ ticketTypeId: 'tt-free', quantity: 2, unitPriceMinor: 0 }],
        addOns: ['postal_delivery'],
      }),
    );
    // 0 face + 0 fee + SEK 49.00
    expect(pricing).toMatchObject({ addOnsMinor: 4900, addOnsVatMinor: 980, totalMinor: 4900 });
  });
});

describe('alternative payment methods cost the organizer, never the consumer (ORD-4, PAY-10)', () => {
  it.each([
    ['card', false],
    ['swish', true],
    ['mobilepay', true],
    ['paypal', true],
    ['klarna', true],
    ['e_invoice', false],
  ] as const)('ORD-4: %s is an alternative method: %s', (method, alternative) => {
    expect(isAlternativeMethod(method)).toBe(alternative);
  });

  it('ORD-4: covers every payment method an order accepts', () => {
    expect([...ORDER_PAYMENT_METHODS]).toEqual([
      'card',
      'swish',
      'mobilepay',
      'paypal',
      'klarna',
      'e_invoice',
    ]);
  });

  it.each(['swish', 'mobilepay', 'paypal', 'klarna'] as const)(
    'ORD-4 passed_on + %s: 1.5 % of the face value plus VAT off the organizer share, total unchanged',
    (paymentMethod) => {
      const pricing = priceOrder(seOrder({ paymentMethod }));
      expect(pricing).toMatchObject({
        // 1.5 % of 91000 = 1365
        altPaymentFeeMinor: 1365,
        // 25 % of 1365 = 341.25 → 341
        altPaymentFeeVatMinor: 341,
        // same as by card: 91000 + 7675
        totalMinor: 98675,
        serviceFeeMinor: 7675,
        // 91000 − 1365 − 341
        organizerShareMinor: 89294,
      });
    },
  );

  it.each(['swish', 'mobilepay', 'paypal', 'klarna'] as const)(
    'ORD-4 included + %s: the fee comes on top of the included platform fee for the organizer',
    (paymentMethod) => {
      const pricing = priceOrder(seOrder({ feeMode: 'included', paymentMethod }));
      expect(pricing).toMatchObject({
        altPaymentFeeMinor: 1365,
        altPaymentFeeVatMinor: 341,
        totalMinor: 91000,
        serviceFeeMinor: 0,
        // 91000 − 7675 − 1365 − 341
        organizerShareMinor: 81619,
      });
    },
  );

  it.each(['card', 'e_invoice'] as const)('ORD-4: %s carries no extra fee', (paymentMethod) => {
    for (const feeMode of ['passed_on', 'included'] as const) {
      const pricing = priceOrder(seOrder({ feeMode, paymentMethod }));
      expect(pricing).toMatchObject({ altPaymentFeeMinor: 0, altPaymentFeeVatMinor: 0 });
    }
    expect(priceOrder(seOrder({ paymentMethod })).organizerShareMinor).toBe(91000);
    expect(priceOrder(seOrder({ feeMode: 'included', paymentMethod })).organizerShareMinor).toBe(83325);
  });

  it('ORD-4: the fee is on the face value and rounds half up, its VAT too', () => {
    // 1.5 % of SEK 100.25 = 1.50375 → 1.50; VAT 25 % of 1.50 = 0.375 → 0.38.
    // Organizer (passed on): 10025 − 150 − 38 = 9837.
    const pricing = priceOrder(
      seOrder({
        lines: [{ ticketTypeId: 'tt', quantity: 1, unitPriceMinor: 10025 }],
        paymentMethod: 'klarna',
      }),
    );
    expect(pricing).toMatchObject({
      altPaymentFeeMinor: 150,
      altPaymentFeeVatMinor: 38,
      organizerShareMinor: 9837,
    });
  });

  it('ORD-4: never changes what the consumer pays, add-ons included', () => {
    const methods: OrderPaymentMethod[] = [...ORDER_PAYMENT_METHODS];
    const addOns: AddOn[] = ['insurance', 'postal_delivery'];
    for (const feeMode of ['passed_on', 'included'] as const) {
      // passed on: 91000 + 7675 + 5460 + 4900 = 109035; included: 91000 + 5460 + 4900 = 101360
      const expected = feeMode === 'passed_on' ? 109035 : 101360;
      for (const paymentMethod of methods) {
        const pricing = priceOrder(seOrder({ feeMode, paymentMethod, addOns }));
        expect(pricing.totalMinor).toBe(expected);
        expect(pricing.lines.map((l) => l.unitConsumerPriceMinor)).toEqual(
          feeMode === 'passed_on' ? [24775, 16375, 0] : [23000, 15000, 0],
        );
      }
    }
  });
});

describe('advertising orders (ORD-5, CAT-6)', () => {
  it.each([
    [{ utmSource: 'ticketry' }, true, true],
    [{ utmSource: 'Ticketry' }, true, true],
    [{ utmSource: 'TICKETRY', utmMedium: 'social', utmCampaign: 'spring' }, true, true],
    [{ utmSource: '  ticketry ' }, true, true],
    [{ utmSource: 'ticketry' }, false, false],
    [{ utmSource: 'google' }, true, false],
    [{ utmSource: 'facebook' }, true, false],
    [{ utmSource: 'ticketry-partner' }, true, false],
    [{ utmSource: '' }, true, false],
    [{ utmSource: null }, true, false],
    [{ utmMedium: 'ticketry', utmCampaign: 'ticketry' }, true, false],
    [{}, true, false],
    [null, true, false],
    [undefined, true, false],
  ])('ORD-5: source %j with advertising enabled %s → advertising order %s', (source, enabled, expected) => {
    expect(isAdvertisingOrder(source, enabled)).toBe(expected);
  });

  it('ORD-5 passed_on: 10 % of the face value plus VAT off the organizer share, total unchanged', () => {
    const pricing = priceOrder(seOrder({ advertising: true }));
    expect(pricing).toMatchObject({
      // 10 % of 91000 = 9100
      advertisingFeeMinor: 9100,
      // 25 % of 9100 = 2275
      advertisingFeeVatMinor: 2275,
      altPaymentFeeMinor: 0,
      totalMinor: 98675,
      // 91000 − 9100 − 2275
      organizerShareMinor: 79625,
    });
  });

  it('ORD-5: no advertising order, no fee', () => {
    expect(priceOrder(seOrder({ advertising: false }))).toMatchObject({
      advertisingFeeMinor: 0,
      advertisingFeeVatMinor: 0,
      organizerShareMinor: 91000,
    });
  });

  it('ORD-4 + ORD-5 included: both organizer fees come off face − included fee', () => {
    const pricing = priceOrder(seOrder({ feeMode: 'included', paymentMethod: 'paypal', advertising: true }));
    expect(pricing).toMatchObject({
      altPaymentFeeMinor: 1365,
      altPaymentFeeVatMinor: 341,
      advertisingFeeMinor: 9100,
      advertisingFeeVatMinor: 2275,
      totalMinor: 91000,
      // 91000 − 7675 − 1365 − 341 − 9100 − 2275
      organizerShareMinor: 70244,
    });
  });

  it('ORD-4 + ORD-5 passed_on: both organizer fees come off the face value', () => {
    const pricing = priceOrder(seOrder({ paymentMethod: 'swish', advertising: true }));
    // 91000 − 1365 − 341 − 9100 − 2275
    expect(pricing).toMatchObject({ totalMinor: 98675, organizerShareMinor: 77919 });
  });

  it('ORD-4 + ORD-5: the organizer share may go negative on a cheap included ticket', () => {
    // SEK 7.00 included: fee 0.28 + 5.00 = 5.28, VAT 1.32 → share 700 − 660 = 40.
    // Swish 1.5 % of 7.00 = 0.105 → 0.11, VAT 0.0275 → 0.03; advertising 10 % = 0.70, VAT 0.175 → 0.18.
    // 40 − 11 − 3 − 70 − 18 = −62.
    const pricing = priceOrder(
      seOrder({
        feeMode: 'included',
        lines: [{ ticketTypeId: 'tt', quantity: 1, unitPriceMinor: 700 }],
        paymentMethod: 'swish',
        advertising: true,
      }),
    );
    expect(pricing).toMatchObject({
      platformFeeMinor: 528,
      platformFeeVatMinor: 132,
      altPaymentFeeMinor: 11,
      altPaymentFeeVatMinor: 3,
      advertisingFeeMinor: 70,
      advertisingFeeVatMinor: 18,
      totalMinor: 700,
      organizerShareMinor: -62,
    });
  });
});

describe('invariants over both fee modes (ORD-3, CAT-2)', () => {
  const cases: { name: string; input: Omit<PricingInput, 'feeMode'> }[] = [
    { name: 'mixed SE order by card', input: seOrder() },
    {
      name: 'mixed SE order with all add-ons by Swish',
      input: seOrder({ addOns: [...ADD_ONS], paymentMethod: 'swish' }),
    },
    {
      name: 'SE advertising order with an override',
      input: seOrder({ advertising: true, override: { percentBp: 250, fixedMinor: 100 } }),
    },
    {
      name: 'GB order with SMS tickets by PayPal',
      input: {
        currency: 'GBP',
        schedule: gb,
        lines: [
          { ticketTypeId: 'a', quantity: 3, unitPriceMinor: 2500 },
          { ticketTypeId: 'b', quantity: 7, unitPriceMinor: 1999 },
        ],
        addOns: ['sms_ticket'],
        paymentMethod: 'paypal',
        advertising: false,
      },
    },
    {
      name: 'FI order with insurance',
      input: {
        currency: 'EUR',
        schedule: fi,
        lines: [{ ticketTypeId: 'a', quantity: 5, unitPriceMinor: 4990 }],
        addOns: ['insurance'],
        paymentMethod: 'klarna',
        advertising: true,
      },
    },
  ];

  const both = (input: Omit<PricingInput, 'feeMode'>): [OrderPricing, OrderPricing] => [
    priceOrder({ ...input, feeMode: 'passed_on' }),
    priceOrder({ ...input, feeMode: 'included' }),
  ];

  it.each(cases)(
    'ORD-3: totalMinor = faceValueMinor + serviceFeeMinor + addOnsMinor ($name)',
    ({ input }) => {
      for (const pricing of both(input)) {
        expect(pricing.totalMinor).toBe(
          pricing.faceValueMinor + pricing.serviceFeeMinor + pricing.addOnsMinor,
        );
      }
    },
  );

  it.each(cases)(
    'CAT-2: serviceFeeMinor is 0 when included, fee + VAT when passed on ($name)',
    ({ input }) => {
      const [passedOn, included] = both(input);
      expect(included.serviceFeeMinor).toBe(0);
      expect(passedOn.serviceFeeMinor).toBe(passedOn.platformFeeMinor + passedOn.platformFeeVatMinor);
    },
  );

  it.each(cases)('CAT-2: the platform earns the same fee and VAT in both modes ($name)', ({ input }) => {
    const [passedOn, included] = both(input);
    expect(included.platformFeeMinor).toBe(passedOn.platformFeeMinor);
    expect(included.platformFeeVatMinor).toBe(passedOn.platformFeeVatMinor);
    expect(included.addOns).toEqual(passedOn.addOns);
    expect(included.altPaymentFeeMinor).toBe(passedOn.altPaymentFeeMinor);
    expect(included.advertisingFeeMinor).toBe(passedOn.advertisingFeeMinor);
  });

  it.each(cases)('ORD-3: every minor unit the consumer pays is accounted for ($name)', ({ input }) => {
    for (const p of both(input)) {
      const organizerFees =
        p.altPaymentFeeMinor + p.altPaymentFeeVatMinor + p.advertisingFeeMinor + p.advertisingFeeVatMinor;
      // consumer total = organizer share + ORD-4/ORD-5 fees + platform fee and VAT + add-ons
      expect(p.totalMinor).toBe(
        p.organizerShareMinor + organizerFees + p.platformFeeMinor + p.platformFeeVatMinor + p.addOnsMinor,
      );
    }
  });
});
