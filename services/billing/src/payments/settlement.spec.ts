import type { PaymentStatus } from './payment';
import {
  assertSettlementAllowed,
  decideOnOrderOutcome,
  nextProviderStep,
  pendingRetryCutoff,
  requestedActionAfterAuthorization,
  SettlementState,
} from './settlement';

function aPayment(overrides: Partial<SettlementState> = {}): SettlementState {
  return { status: 'authorized', orderOutcome: null, requestedAction: null, ...overrides };
}

describe('order outcome: confirmed (ORD-1)', () => {
  it('asks for a capture of an authorised payment', () => {
    expect(decideOnOrderOutcome(aPayment(), 'confirmed')).toEqual({
      kind: 'record',
      orderOutcome: 'confirmed',
      requestedAction: 'capture',
    });
  });

  it('remembers a capture for a payment whose authorisation is still pending', () => {
    expect(decideOnOrderOutcome(aPayment({ status: 'pending' }), 'confirmed')).toMatchObject({
      requestedAction: 'capture',
    });
    expect(
      nextProviderStep({ status: 'pending', orderOutcome: 'confirmed', requestedAction: 'capture' }),
    ).toBe('authorize');
  });

  it('recognises a replayed confirmation and does nothing new', () => {
    const state = aPayment({ orderOutcome: 'confirmed', requestedAction: 'capture' });
    expect(decideOnOrderOutcome(state, 'confirmed')).toEqual({ kind: 'known' });
  });

  it.each<PaymentStatus>(['failed', 'voided'])('refuses to confirm on a %s payment', (status) => {
    expect(decideOnOrderOutcome(aPayment({ status }), 'confirmed')).toMatchObject({
      kind: 'conflict',
      code: 'confirmed_order_payment_not_capturable',
    });
  });
});

describe('order outcome: cancelled (saga compensation)', () => {
  it('asks for a void of an authorised payment', () => {
    expect(decideOnOrderOutcome(aPayment(), 'cancelled')).toEqual({
      kind: 'record',
      orderOutcome: 'cancelled',
      requestedAction: 'void',
    });
  });

  it('remembers a void for a pending payment, done once the authorisation resolves', () => {
    const decision = decideOnOrderOutcome(aPayment({ status: 'pending' }), 'cancelled');
    expect(decision).toMatchObject({ requestedAction: 'void' });
    const authorised = {
      status: 'authorized' as const,
      orderOutcome: 'cancelled' as const,
      requestedAction: 'void' as const,
    };
    expect(nextProviderStep(authorised)).toBe('void');
  });

  it('owes nothing for a declined payment', () => {
    expect(decideOnOrderOutcome(aPayment({ status: 'failed' }), 'cancelled')).toEqual({
      kind: 'record',
      orderOutcome: 'cancelled',
      requestedAction: null,
    });
    expect(
      requestedActionAfterAuthorization({
        status: 'failed',
        orderOutcome: 'cancelled',
        requestedAction: 'void',
      }),
    ).toBeNull();
  });

  it('refuses to void captured money (a refund returns it)', () => {
    expect(
      decideOnOrderOutcome(aPayment({ status: 'captured', orderOutcome: null }), 'cancelled'),
    ).toMatchObject({
      kind: 'conflict',
      code: 'cancelled_order_payment_already_captured',
    });
  });
});

describe('the first outcome wins', () => {
  it('never captures a payment whose order was cancelled', () => {
    const cancelled = aPayment({ orderOutcome: 'cancelled', requestedAction: 'void' });
    expect(decideOnOrderOutcome(cancelled, 'confirmed')).toMatchObject({
      kind: 'conflict',
      code: 'order_outcome_changed',
    });
    expect(() => assertSettlementAllowed(cancelled, 'capture')).toThrow(/never captured/);
  });

  it('never voids a payment whose order was confirmed', () => {
    const confirmed = aPayment({ orderOutcome: 'confirmed', requestedAction: 'capture' });
    expect(decideOnOrderOutcome(confirmed, 'cancelled')).toMatchObject({
      kind: 'conflict',
      code: 'order_outcome_changed',
    });
    expect(() => assertSettlementAllowed(confirmed, 'void')).toThrow(/never voided/);
  });
});

describe('the next provider call', () => {
  it('authorises a pending payment first, whatever its order did', () => {
    expect(nextProviderStep(aPayment({ status: 'pending' }))).toBe('authorize');
  });

  it('owes nothing for an authorised payment whose order has not ended', () => {
    expect(nextProviderStep(aPayment())).toBeNull();
  });

  it.each<PaymentStatus>(['captured', 'voided', 'failed', 'refunded'])('owes nothing once %s', (status) => {
    expect(nextProviderStep(aPayment({ status, orderOutcome: 'confirmed' }))).toBeNull();
  });
});

it('re-drives pending authorisations a minute old at the run moment', () => {
  expect(pendingRetryCutoff(new Date('2026-03-01T12:00:00.000Z')).toISOString()).toBe(
    '2026-03-01T11:59:00.000Z',
  );
});
