import { runMigrations } from '@ticketry/platform';
import { CATALOG_ENTITIES, CATALOG_MIGRATIONS } from './catalog.module';

// Kubernetes runs this as a Job before a rollout (deploy/), so pods never race to migrate.
void runMigrations({ service: 'catalog', entities: CATALOG_ENTITIES, migrations: CATALOG_MIGRATIONS });
