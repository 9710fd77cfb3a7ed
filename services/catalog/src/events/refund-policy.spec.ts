import {
  assertRefundPolicyCompliant,
  compliantDefaultPolicy,
  DEFAULT_POLICY_LANGUAGES,
  nonDeliveryGuarantee,
  RefundPolicy,
  RefundPolicyNoncompliantError,
  refundPolicyProblems,
} from './refund-policy';

const paid = { paid: true };
const free = { paid: false };

function aPolicy(overrides: Partial<RefundPolicy> = {}): RefundPolicy {
  return {
    kind: 'until_days_before',
    daysBefore: 14,
    text: 'You can ask for a refund of the ticket price until 14 days before the event.',
    responseBusinessDays: 5,
    contact: 'tickets@example.org',
    ...overrides,
  };
}

function codes(policy: RefundPolicy | null | undefined, event = paid): string[] {
  return refundPolicyProblems(policy, event).map((p) => p.code);
}

describe('refund policy minimum requirements (CAT-3)', () => {
  it('accepts a complete "until days before" policy', () => {
    expect(refundPolicyProblems(aPolicy(), paid)).toEqual([]);
  });

  it('requires a paid event to have a policy at all', () => {
    expect(codes(undefined)).toEqual(['refund_policy_missing']);
    expect(codes(null)).toEqual(['refund_policy_missing']);
  });

  it('does not apply to a free event, whatever its policy says (CAT-3: "A paid event must publish")', () => {
    expect(refundPolicyProblems(undefined, free)).toEqual([]);
    expect(refundPolicyProblems(aPolicy({ responseBusinessDays: 30, contact: '' }), free)).toEqual([]);
  });

  it('accepts "no refunds" when the text states it clearly', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'All sales are final: tickets are non-refundable.',
    });
    expect(refundPolicyProblems(policy, paid)).toEqual([]);
  });

  it.each([
    ['en', 'No refunds. Contact us if you have questions.'],
    ['sv', 'Köpta biljetter återbetalas inte, tyvärr.'],
    ['da', 'Billetter refunderes ikke efter købet.'],
    ['nb', 'Det gis ingen refusjon av kjøpte billetter.'],
    ['fi', 'Ostettuja lippuja ei palauteta missään muodossa.'],
    ['de', 'Für gekaufte Tickets gibt es keine Rückerstattung.'],
    ['nl', 'Voor gekochte tickets geldt geen restitutie.'],
    ['fr', 'Les billets achetés sont non remboursables.'],
  ])('recognises a clear "no refunds" statement in %s', (_language, text) => {
    expect(codes(aPolicy({ kind: 'no_refunds', daysBefore: undefined, text }))).toEqual([]);
  });

  it('rejects "no refunds" when the text does not say so', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'Please read our terms and conditions on our website.',
    });
    expect(codes(policy)).toEqual(['no_refunds_not_stated']);
  });

  it('does not read "no refund" inside another word ("casino refund")', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'Ask the casino refund desk at the venue for details.',
    });
    expect(codes(policy)).toEqual(['no_refunds_not_stated']);
  });

  it('rejects a text that denies compensation when the event is cancelled', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'No refunds, even if the event is cancelled.',
    });
    expect(refundPolicyProblems(policy, paid)).toEqual([
      expect.objectContaining({ code: 'denies_non_delivery_compensation', field: 'text' }),
    ]);
  });

  it('rejects a Swedish text that refuses refunds "under inga omständigheter"', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'Ingen återbetalning under inga omständigheter.',
    });
    expect(codes(policy)).toEqual(['denies_non_delivery_compensation']);
  });

  it('requires a contact saying where and how to ask', () => {
    expect(codes(aPolicy({ contact: '' }))).toEqual(['contact_missing']);
    expect(codes(aPolicy({ contact: '   ' }))).toEqual(['contact_missing']);
    expect(codes(aPolicy({ contact: 'x'.repeat(301) }))).toEqual(['contact_too_long']);
  });

  it('accepts an answer within 7 business days and refuses 8', () => {
    expect(codes(aPolicy({ responseBusinessDays: 7 }))).toEqual([]);
    expect(codes(aPolicy({ responseBusinessDays: 1 }))).toEqual([]);
    expect(refundPolicyProblems(aPolicy({ responseBusinessDays: 8 }), paid)).toEqual([
      expect.objectContaining({ code: 'response_time_too_long', field: 'responseBusinessDays' }),
    ]);
  });

  it('refuses a response time that is not a whole number of days, at least 1', () => {
    expect(codes(aPolicy({ responseBusinessDays: 0 }))).toEqual(['response_time_invalid']);
    expect(codes(aPolicy({ responseBusinessDays: 2.5 }))).toEqual(['response_time_invalid']);
    expect(codes(aPolicy({ responseBusinessDays: -1 }))).toEqual(['response_time_invalid']);
  });

  it('requires "until days before" to say how many days, from 0 to 365', () => {
    expect(codes(aPolicy({ daysBefore: undefined }))).toEqual(['days_before_missing']);
    expect(codes(aPolicy({ daysBefore: 0 }))).toEqual([]);
    expect(codes(aPolicy({ daysBefore: 365 }))).toEqual([]);
    expect(codes(aPolicy({ daysBefore: 366 }))).toEqual(['days_before_invalid']);
    expect(codes(aPolicy({ daysBefore: -1 }))).toEqual(['days_before_invalid']);
    expect(codes(aPolicy({ daysBefore: 1.5 }))).toEqual(['days_before_invalid']);
  });

  it('refuses daysBefore on a policy kind it does not apply to', () => {
    const policy = aPolicy({
      kind: 'custom',
      daysBefore: 3,
      text: 'Refunds are possible until the doors open.',
    });
    expect(codes(policy)).toEqual(['days_before_not_applicable']);
  });

  it('bounds the text length', () => {
    expect(codes(aPolicy({ kind: 'custom', daysBefore: undefined, text: 'Ask us.' }))).toEqual([
      'text_too_short',
    ]);
    expect(codes(aPolicy({ text: 'Refunds until 14 days before. '.repeat(200) }))).toEqual(['text_too_long']);
  });

  it('refuses an unknown kind', () => {
    expect(codes(aPolicy({ kind: 'sometimes' as RefundPolicy['kind'] }))).toEqual([
      'kind_invalid',
      'days_before_not_applicable',
    ]);
  });

  it('reports every problem at once', () => {
    const policy = aPolicy({
      kind: 'no_refunds',
      daysBefore: undefined,
      text: 'See website',
      responseBusinessDays: 30,
      contact: '',
    });
    expect(codes(policy)).toEqual([
      'text_too_short',
      'no_refunds_not_stated',
      'contact_missing',
      'response_time_too_long',
    ]);
  });

  it('throws 422 refund_policy_noncompliant with the problems', () => {
    expect(() => assertRefundPolicyCompliant(aPolicy(), paid)).not.toThrow();
    expect(() => assertRefundPolicyCompliant(undefined, free)).not.toThrow();
    let thrown: unknown;
    try {
      assertRefundPolicyCompliant(aPolicy({ responseBusinessDays: 10 }), paid);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RefundPolicyNoncompliantError);
    const error = thrown as RefundPolicyNoncompliantError;
    expect(error.status).toBe(422);
    expect(error.code).toBe('refund_policy_noncompliant');
    expect((error.extra.problems as { code: string }[]).map((p) => p.code)).toEqual([
      'response_time_too_long',
    ]);
  });
});

describe('compliant default policy (CAT-3)', () => {
  it.each([...DEFAULT_POLICY_LANGUAGES, 'pl', 'fr'])('is itself compliant in %s', (language) => {
    expect(refundPolicyProblems(compliantDefaultPolicy(language), paid)).toEqual([]);
  });

  it('is a clearly stated "no refunds" policy answered within 7 business days', () => {
    const policy = compliantDefaultPolicy('sv');
    expect(policy.kind).toBe('no_refunds');
    expect(policy.daysBefore).toBeUndefined();
    expect(policy.responseBusinessDays).toBe(7);
    expect(policy.text).toMatch(/^Ingen återbetalning/);
  });

  it('reads the Norwegian market language (nb) and its aliases, and falls back to English', () => {
    expect(compliantDefaultPolicy('nb').text).toMatch(/^Ingen refusjon/);
    expect(compliantDefaultPolicy('no').text).toMatch(/^Ingen refusjon/);
    expect(compliantDefaultPolicy('da-DK').text).toMatch(/^Ingen refusion/);
    expect(compliantDefaultPolicy('pl')).toEqual(compliantDefaultPolicy('en'));
  });

  it('shows a non-delivery guarantee under every policy, in the event language', () => {
    expect(nonDeliveryGuarantee('en')).toMatch(/cancelled or not delivered as advertised/);
    expect(nonDeliveryGuarantee('da')).toMatch(/aflyses/);
    expect(nonDeliveryGuarantee('xx')).toBe(nonDeliveryGuarantee('en'));
  });
});
