import { runService } from '@ticketry/platform';
import { billingService } from './service';

void runService(billingService);
