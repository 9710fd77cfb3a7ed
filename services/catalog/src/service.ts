import type { ServiceDefinition } from '@ticketry/platform';
import { CatalogModule } from './catalog.module';
import { CatalogConfig } from './config';

export const catalogService: ServiceDefinition<CatalogConfig> = {
  name: 'catalog',
  description: 'Events, ticket types, refund policies and the fee schedule.',
  configClass: CatalogConfig,
  configDefaults: { PORT: '3002' },
  module: (config, overrides) => CatalogModule.forRoot(config, overrides),
};
