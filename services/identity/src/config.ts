import { PlatformConfig } from '@ticketry/platform';

export class IdentityConfig extends PlatformConfig {}
