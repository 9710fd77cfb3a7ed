import { runMigrations } from '@ticketry/platform';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from './identity.module';

// Kubernetes runs this as a Job before a rollout (deploy/), so pods never race to migrate.
void runMigrations({ service: 'identity', entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS });
