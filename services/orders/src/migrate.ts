import { runMigrations } from '@ticketry/platform';
import { ORDERS_ENTITIES, ORDERS_MIGRATIONS } from './orders.module';

// Kubernetes runs this as a Job before a rollout (deploy/), so pods never race to migrate.
void runMigrations({ service: 'orders', entities: ORDERS_ENTITIES, migrations: ORDERS_MIGRATIONS });
