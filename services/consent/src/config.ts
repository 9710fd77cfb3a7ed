import { PlatformConfig } from '@ticketry/platform';

export class ConsentConfig extends PlatformConfig {}
