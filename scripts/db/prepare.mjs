#!/usr/bin/env node
// Prepares Postgres for Ticketry: each database in TICKETRY_DATABASES gets, per service, a login
// role and a schema owned by it; a role can use only its own schema (no service reads another's
// tables). Idempotent. Passwords come from <SERVICE>_DB_PASSWORD; outside production a dev default.
import pg from 'pg';
import { SERVICES } from './services.mjs';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databases = (process.env.TICKETRY_DATABASES ?? 'ticketry,ticketry_test').split(',').filter(Boolean);
const production = process.env.NODE_ENV === 'production';
const quiet = process.env.PREPARE_QUIET === 'true';
const log = (line) => quiet || console.log(line);

function passwordFor(service) {
  const value = process.env[`${service.toUpperCase()}_DB_PASSWORD`];
  if (value) return value;
  if (production) throw new Error(`${service.toUpperCase()}_DB_PASSWORD is required in production`);
  return `${service}-dev-password`;
}

const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

try {
  await withClient(adminUrl, async (admin) => {
    // Concurrent runs (parallel test processes) serialize here instead of racing on CREATE.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['ticketry:prepare']);
    for (const service of SERVICES) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [service]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await admin.query(`${verb} ROLE ${ident(service)} LOGIN PASSWORD ${literal(passwordFor(service))}`);
    }
    for (const database of databases) {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!exists.rowCount) {
        await admin.query(`CREATE DATABASE ${ident(database)}`);
        log(`created database ${database}`);
      }
      await withClient(databaseUrl(database), async (db) => {
        await db.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
        await db.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
        for (const service of SERVICES) {
          await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${ident(service)}`);
          await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(service)} AUTHORIZATION ${ident(service)}`);
          await db.query(`ALTER SCHEMA ${ident(service)} OWNER TO ${ident(service)}`);
          await db.query(`REVOKE ALL ON SCHEMA ${ident(service)} FROM PUBLIC`);
          await db.query(`ALTER ROLE ${ident(service)} IN DATABASE ${ident(database)} SET search_path = ${ident(service)}`);
        }
      });
      log(`prepared ${database}: schemas and roles ${SERVICES.join(', ')}`);
    }
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', ['ticketry:prepare']);
  });
} catch (error) {
  console.error(`db:prepare failed: ${error.message}`);
  process.exit(1);
}
