import { runMigrations } from '@ticketry/platform';
import { BILLING_ENTITIES, BILLING_MIGRATIONS } from './billing.module';

// Kubernetes runs this as a Job before a rollout (deploy/), so pods never race to migrate.
void runMigrations({ service: 'billing', entities: BILLING_ENTITIES, migrations: BILLING_MIGRATIONS });
