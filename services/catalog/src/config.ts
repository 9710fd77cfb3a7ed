import { TokenVerifyingConfig } from '@ticketry/auth';

/** Catalog needs nothing beyond the platform settings and identity's keys. */
export class CatalogConfig extends TokenVerifyingConfig {}
