import type { ServiceDefinition } from '@ticketry/platform';
import { IdentityConfig } from './config';
import { IdentityModule } from './identity.module';

export const identityService: ServiceDefinition<IdentityConfig> = {
  name: 'identity',
  description: 'Global identities, market accounts, phone verification, tokens and organizations.',
  configClass: IdentityConfig,
  configDefaults: { PORT: '3001' },
  module: (config, overrides) => IdentityModule.forRoot(config, overrides),
};
