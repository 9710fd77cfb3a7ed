import { runMigrations } from '@ticketry/platform';
import { CONSENT_ENTITIES, CONSENT_MIGRATIONS } from './consent.module';

// Kubernetes runs this as a Job before a rollout (deploy/), so pods never race to migrate.
void runMigrations({ service: 'consent', entities: CONSENT_ENTITIES, migrations: CONSENT_MIGRATIONS });
