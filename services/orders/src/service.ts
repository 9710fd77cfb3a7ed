import type { ServiceDefinition } from '@ticketry/platform';
import { OrdersConfig } from './config';
import { OrdersModule } from './orders.module';

export const ordersService: ServiceDefinition<OrdersConfig> = {
  name: 'orders',
  description: 'Checkout, seat holds, tickets, transfers and check-in.',
  configClass: OrdersConfig,
  configDefaults: { PORT: '3003' },
  module: (config, overrides) => OrdersModule.forRoot(config, overrides),
};
