// The seven services; each owns one Postgres schema and one login role of the same name.
export const SERVICES = ['identity', 'catalog', 'orders', 'billing', 'payouts', 'refunds', 'consent'];
