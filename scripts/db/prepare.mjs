#!/usr/bin/env node
// Prepares Postgres for Ticketry. For each database in TICKETRY_DATABASES (created when missing),
// every service in services.mjs gets a login role and a schema of the same name, owned by that
// role, with the role's search_path set to it. A role can use only its own schema: no service can
// read, write or create in another service's schema, nor in `public`. Idempotent and safe to run
// concurrently (an advisory lock serialises runs). Needs a superuser admin connection.
//
//   PG_ADMIN_URL        admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
//   TICKETRY_DATABASES  comma-separated (default ticketry,ticketry_test; in production: ticketry)
//   <SERVICE>_DB_PASSWORD  e.g. IDENTITY_DB_PASSWORD; outside production `<service>-dev-password`,
//                       in production a missing one is an error. Re-applied on every run.
//   PREPARE_QUIET=true  no summary (errors still go to stderr)
import pg from 'pg';
import { SERVICES, passwordVariable, servicePassword } from './services.mjs';

const env = process.env;
const production = env.NODE_ENV === 'production';
const adminUrl = env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databases = (env.TICKETRY_DATABASES ?? (production ? 'ticketry' : 'ticketry,ticketry_test'))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const quiet = env.PREPARE_QUIET === 'true';
const log = (line) => quiet || console.log(line);
const LOCK = 'ticketry:prepare';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;

function redacted(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function databaseUrl(name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, application_name: 'ticketry-db-prepare' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function inTransaction(client, fn) {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Every password up front, so production reports all missing variables at once. */
function passwords() {
  const missing = [];
  const result = {};
  for (const service of SERVICES) {
    try {
      result[service] = servicePassword(service, env);
    } catch {
      missing.push(passwordVariable(service));
    }
  }
  if (missing.length) throw new Error(`missing in production: ${missing.join(', ')}`);
  return result;
}

/** Cluster-wide: roles (and their passwords) exist once per server, not per database. */
async function prepareRoles(admin, passwordOf) {
  const { rows } = await admin.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [SERVICES]);
  const existing = new Set(rows.map((row) => row.rolname));
  const created = [];
  for (const service of SERVICES) {
    if (existing.has(service)) {
      await admin.query(`ALTER ROLE ${ident(service)} WITH LOGIN PASSWORD ${literal(passwordOf[service])}`);
    } else {
      await admin.query(`CREATE ROLE ${ident(service)} WITH LOGIN PASSWORD ${literal(passwordOf[service])}`);
      created.push(service);
    }
  }
  // A service role that is a member of another one would inherit its schema: undo any such grant.
  const { rows: memberships } = await admin.query(
    `SELECT g.rolname AS granted, m.rolname AS member
       FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE g.rolname = ANY($1) AND m.rolname = ANY($1)`,
    [SERVICES],
  );
  for (const { granted, member } of memberships) {
    await admin.query(`REVOKE ${ident(granted)} FROM ${ident(member)}`);
  }
  return { created, revokedMemberships: memberships.length };
}

async function ensureDatabase(admin, database) {
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount) return false;
  try {
    await admin.query(`CREATE DATABASE ${ident(database)}`);
    return true;
  } catch (error) {
    if (error.code === '42P04') return false; // created meanwhile by a run on another admin database
    throw error;
  }
}

async function prepareDatabase(db, database) {
  return inTransaction(db, async () => {
    const notes = [];
    // Only the service roles (and superusers) may connect; nobody gets `public`.
    await db.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    await db.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    // pgcrypto lives in `public`, which the roles cannot use; it is installed so that an ORM's
    // `CREATE EXTENSION IF NOT EXISTS pgcrypto` (TypeORM uuidExtension: 'pgcrypto') is a no-op
    // for a non-superuser. gen_random_uuid() itself is core (pg_catalog) since Postgres 13.
    await db.query('SAVEPOINT pgcrypto');
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public');
    } catch (error) {
      await db.query('ROLLBACK TO SAVEPOINT pgcrypto');
      notes.push(`pgcrypto not installed (${error.message})`);
    }

    const { rows } = await db.query(
      'SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = ANY($1)',
      [SERVICES],
    );
    const owners = new Map(rows.map((row) => [row.nspname, row.owner]));
    const created = [];
    for (const service of SERVICES) {
      const schema = ident(service);
      const role = ident(service);
      await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${role}`);
      if (!owners.has(service)) {
        await db.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
        created.push(service);
      } else if (owners.get(service) !== service) {
        await db.query(`ALTER SCHEMA ${schema} OWNER TO ${role}`);
        notes.push(`schema ${service} was owned by ${owners.get(service)}; now by ${service}`);
      }
      const others = SERVICES.filter((other) => other !== service).map(ident);
      await db.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC, ${others.join(', ')}`);
      await db.query(`ALTER ROLE ${role} IN DATABASE ${ident(database)} SET search_path = ${schema}`);
    }

    // Tables a superuser created in a service's schema stay unreadable to that service: say so.
    const { rows: foreign } = await db.query(
      `SELECT n.nspname AS schema, count(*)::int AS objects
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND pg_get_userbyid(c.relowner) <> n.nspname
        GROUP BY n.nspname`,
      [SERVICES],
    );
    for (const { schema, objects } of foreign) {
      notes.push(`${objects} object(s) in schema ${schema} are not owned by role ${schema}`);
    }
    return { created, notes };
  });
}

async function main() {
  for (const name of [...SERVICES, ...databases]) {
    if (!NAME.test(name)) throw new Error(`not a plain lower-case identifier: ${JSON.stringify(name)}`);
  }
  if (!databases.length) throw new Error('TICKETRY_DATABASES is empty');
  const passwordOf = passwords();

  const started = Date.now();
  await withClient(adminUrl, async (admin) => {
    // Concurrent runs (parallel test processes) serialise here instead of racing on CREATE.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK]);
    try {
      const roles = await prepareRoles(admin, passwordOf);
      const fromEnv = SERVICES.filter((service) => env[passwordVariable(service)]).length;
      log(`db:prepare on ${redacted(adminUrl)}`);
      log(
        `  roles ${SERVICES.join(', ')}: ` +
          (roles.created.length === SERVICES.length
            ? 'created'
            : roles.created.length
              ? `created ${roles.created.join(', ')}, others existed`
              : 'all existed') +
          `; passwords: ${fromEnv} from <SERVICE>_DB_PASSWORD, ${SERVICES.length - fromEnv} dev default(s)` +
          (roles.revokedMemberships
            ? `; revoked ${roles.revokedMemberships} cross-service membership(s)`
            : ''),
      );
      for (const database of databases) {
        const createdDatabase = await ensureDatabase(admin, database);
        const { created, notes } = await withClient(databaseUrl(database), (db) =>
          prepareDatabase(db, database),
        );
        log(
          `  ${database}: database ${createdDatabase ? 'created' : 'existed'}; ` +
            `schemas ${created.length ? `created ${created.join(', ')}` : 'all existed'}; ` +
            'each role confined to its own schema',
        );
        for (const note of notes) log(`    note: ${note}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]).catch(() => undefined);
    }
  });
  log(`  done in ${Date.now() - started} ms`);
}

try {
  await main();
} catch (error) {
  // (a refused connection to "localhost" is an AggregateError with an empty message)
  const message = error.message || (error.errors ?? []).map((e) => e.message).join('; ') || String(error);
  const where = error.code === 'ECONNREFUSED' ? ` (is Postgres running at ${new URL(adminUrl).host}?)` : '';
  console.error(`db:prepare failed: ${message}${where}`);
  process.exit(1);
}
