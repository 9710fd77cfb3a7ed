import { runService } from '@ticketry/platform';
import { catalogService } from './service';

void runService(catalogService);
