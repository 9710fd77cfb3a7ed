import { runService } from '@ticketry/platform';
import { ordersService } from './service';

void runService(ordersService);
