import type { ServiceDefinition } from '@ticketry/platform';
import { BillingModule } from './billing.module';
import { BillingConfig } from './config';

export const billingService: ServiceDefinition<BillingConfig> = {
  name: 'billing',
  description: 'Payments for orders: authorisation at checkout, capture or void as the order ends.',
  configClass: BillingConfig,
  configDefaults: { PORT: '3004' },
  module: (config, overrides) => BillingModule.forRoot(config, overrides),
};
