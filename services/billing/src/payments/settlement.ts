import type { PaymentStatus } from './payment';

/**
 * The checkout saga from billing's side, as plain decisions over plain data. Orders tells billing
 * how each order ended (OrderConfirmed / OrderCancelled on orders.order.v1); billing settles the
 * payment accordingly: capture for a confirmed order (ORD-1: the order was processed because the
 * payment was authorised, so the money is now taken), void for a cancelled one (saga compensation).
 *
 * Billing remembers the order's outcome on the payment and the provider call it still owes
 * (`requestedAction`), because the call may have to wait: the authorisation may still be pending
 * (the provider was down at checkout), or the provider may be down now. A retry job finishes what is
 * owed. Remembering the outcome is also what enforces the two rules that must never break, whatever
 * order the messages arrive in: a cancelled order's payment is never captured, a confirmed order's
 * payment is never voided.
 */

export type OrderOutcome = 'confirmed' | 'cancelled';
export type SettlementAction = 'capture' | 'void';
export type ProviderStep = 'authorize' | SettlementAction;

export interface SettlementState {
  status: PaymentStatus;
  orderOutcome: OrderOutcome | null;
  requestedAction: SettlementAction | null;
}

/** A pending authorisation is re-driven by the retry job only once this old (the POST may still run). */
export const PENDING_AUTHORIZATION_RETRY_AFTER_MS = 60_000;

export type OrderOutcomeDecision =
  /** Record the outcome and what is owed (null: nothing, e.g. a failed payment's order was cancelled). */
  | { kind: 'record'; orderOutcome: OrderOutcome; requestedAction: SettlementAction | null }
  /** The outcome is already known: a replay of the same fact under another event id. */
  | { kind: 'known' }
  /** The facts contradict each other or the payment; a person must look (the message is parked). */
  | { kind: 'conflict'; code: SettlementConflictCode; message: string };

export type SettlementConflictCode =
  | 'order_outcome_changed'
  | 'confirmed_order_payment_not_capturable'
  | 'cancelled_order_payment_already_captured';

const CAPTURED: readonly PaymentStatus[] = ['captured', 'partially_refunded', 'refunded'];

/**
 * What billing does when it learns how the payment's order ended. The first outcome wins: an order
 * is either confirmed or cancelled, never both (the proto's OrderCancelled is "an order that will
 * never be confirmed"), so a second, different outcome is a conflict for a person, never a reason
 * to capture a cancelled order's money or to release a confirmed order's.
 */
export function decideOnOrderOutcome(state: SettlementState, outcome: OrderOutcome): OrderOutcomeDecision {
  if (state.orderOutcome === outcome) return { kind: 'known' };
  if (state.orderOutcome !== null) {
    return {
      kind: 'conflict',
      code: 'order_outcome_changed',
      message: `The order was already ${state.orderOutcome}; billing will not act on it being ${outcome}.`,
    };
  }
  if (outcome === 'confirmed') return decideOnConfirmed(state);
  return decideOnCancelled(state);
}

function decideOnConfirmed(state: SettlementState): OrderOutcomeDecision {
  switch (state.status) {
    case 'pending':
    case 'authorized':
      return { kind: 'record', orderOutcome: 'confirmed', requestedAction: 'capture' };
    case 'captured':
    case 'partially_refunded':
    case 'refunded':
      return { kind: 'record', orderOutcome: 'confirmed', requestedAction: null };
    case 'failed':
    case 'voided':
      // ORD-1: an order is confirmed only on an authorised payment; this one has none to capture.
      return {
        kind: 'conflict',
        code: 'confirmed_order_payment_not_capturable',
        message: `The order was confirmed but its payment is ${state.status}; there is nothing to capture.`,
      };
  }
}

function decideOnCancelled(state: SettlementState): OrderOutcomeDecision {
  if (CAPTURED.includes(state.status)) {
    return {
      kind: 'conflict',
      code: 'cancelled_order_payment_already_captured',
      message: `The order was cancelled but its payment is ${state.status}; money taken is returned by a refund, not a void.`,
    };
  }
  if (state.status === 'pending' || state.status === 'authorized') {
    return { kind: 'record', orderOutcome: 'cancelled', requestedAction: 'void' };
  }
  return { kind: 'record', orderOutcome: 'cancelled', requestedAction: null };
}

/**
 * The provider call the payment needs next, or null when nothing is owed. A pending payment is
 * authorised first, whatever its order did meanwhile: a void needs an authorisation to release.
 */
export function nextProviderStep(state: SettlementState): ProviderStep | null {
  if (state.status === 'pending') return 'authorize';
  if (state.status !== 'authorized' || state.requestedAction === null) return null;
  assertSettlementAllowed(state, state.requestedAction);
  return state.requestedAction;
}

/**
 * The guard every capture and void passes right before the provider is called: a payment is
 * captured only for a confirmed order and voided only for a cancelled one.
 */
export function assertSettlementAllowed(state: SettlementState, action: SettlementAction): void {
  const needed: OrderOutcome = action === 'capture' ? 'confirmed' : 'cancelled';
  if (state.orderOutcome !== needed) {
    throw new Error(
      `Refusing to ${action} a payment whose order is ${state.orderOutcome ?? 'undecided'}: ` +
        (action === 'capture'
          ? 'a cancelled order is never captured.'
          : 'a confirmed order is never voided.'),
    );
  }
}

/** After the authorisation resolved: a declined payment owes nothing any more. */
export function requestedActionAfterAuthorization(state: SettlementState): SettlementAction | null {
  return state.status === 'authorized' ? state.requestedAction : null;
}

/** Pending authorisations created at or before this moment are re-driven by a run at `asOf`. */
export function pendingRetryCutoff(asOf: Date): Date {
  return new Date(asOf.getTime() - PENDING_AUTHORIZATION_RETRY_AFTER_MS);
}
