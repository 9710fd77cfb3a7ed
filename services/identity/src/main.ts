import { runService } from '@ticketry/platform';
import { identityService } from './service';

void runService(identityService);
