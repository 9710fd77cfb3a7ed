import { runService } from '@ticketry/platform';
import { consentService } from './service';

void runService(consentService);
