/** An `orders` row as node-postgres returns it (bigint columns as strings). */
export interface OrderRow {
  id: string;
  confirmation_number: string;
  event_id: string;
  organization_id: string;
  market: string;
  legal_entity: string;
  language: string;
  status: OrderStatus;
  buyer_email: string;
  buyer_email_normalized: string;
  buyer_first_name: string;
  buyer_last_name: string;
  buyer_identity_id: string | null;
  owner_identity_id: string | null;
  payment_method: string;
  payment_token: string | null;
  payment_id: string | null;
  decline_code: string | null;
  currency: string;
  fee_mode: string;
  face_value_minor: string;
  service_fee_minor: string;
  platform_fee_minor: string;
  platform_fee_vat_minor: string;
  add_ons: { addOn: string; amountMinor: number; vatMinor: number }[];
  add_ons_minor: string;
  add_ons_vat_minor: string;
  alt_payment_fee_minor: string;
  alt_payment_fee_vat_minor: string;
  advertising_fee_minor: string;
  advertising_fee_vat_minor: string;
  total_minor: string;
  organizer_share_minor: string;
  source: Record<string, string>;
  advertising: boolean;
  refund_policy_version: number;
  organizer_marketing_opt_in: boolean;
  invoice: Record<string, string> | null;
  idempotency_key: string | null;
  request_hash: string;
  hold_expires_at: Date | null;
  payment_attempted_at: Date | null;
  created_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export type OrderStatus =
  | 'pending'
  | 'confirmed'
  | 'payment_failed'
  | 'awaiting_invoice_payment'
  | 'refunded'
  | 'partially_refunded'
  | 'cancelled';

export interface TicketRow {
  id: string;
  order_id: string;
  event_id: string;
  ticket_type_id: string;
  code: string;
  status: 'valid' | 'used' | 'void' | 'transferred';
  holder_email: string;
  holder_email_normalized: string;
  holder_first_name: string;
  holder_last_name: string;
  holder_identity_id: string | null;
  transferred_from: string | null;
  transferred_to: string | null;
  checked_in_at: Date | null;
  voided_at: Date | null;
  created_at: Date;
}
