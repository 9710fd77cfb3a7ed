import type { ServiceDefinition } from '@ticketry/platform';
import { ConsentConfig } from './config';
import { ConsentModule } from './consent.module';

export const consentService: ServiceDefinition<ConsentConfig> = {
  name: 'consent',
  description: 'Consent, notifications (the notification hub) and GDPR requests.',
  configClass: ConsentConfig,
  configDefaults: { PORT: '3007' },
  module: (config, overrides) => ConsentModule.forRoot(config, overrides),
};
