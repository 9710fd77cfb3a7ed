// The seven services; each owns one Postgres schema and one login role of the same name.
// One list for every script (db:prepare, migrations, start, benchmarks): add a service here first.
export const SERVICES = ['identity', 'catalog', 'orders', 'billing', 'payouts', 'refunds', 'consent'];

/** Local HTTP ports (docker-compose, npm start). */
export const SERVICE_PORTS = {
  identity: 3001,
  catalog: 3002,
  orders: 3003,
  billing: 3004,
  payouts: 3005,
  refunds: 3006,
  consent: 3007,
};

/** `IDENTITY_DB_PASSWORD` for `identity`. */
export const passwordVariable = (service) => `${service.toUpperCase()}_DB_PASSWORD`;

/**
 * The password of a service's login role: from <SERVICE>_DB_PASSWORD; outside production a dev
 * default (`identity-dev-password`); in production a missing one is an error.
 */
export function servicePassword(service, env = process.env) {
  const value = env[passwordVariable(service)];
  if (value) return value;
  if (env.NODE_ENV === 'production')
    throw new Error(`${passwordVariable(service)} is required in production`);
  return `${service}-dev-password`;
}
