import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { IdentityConfig } from '../config';
import { ARGON2_OPTIONS } from './accounts.service';
import { IdentityEntity } from './identity.entity';
import { normalizeEmail } from './registration';

/**
 * api.md "bootstrap admin": a platform_admin from BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD
 * when both are set (the local start command sets dev values; production sets none or a secret).
 * An existing identity keeps its password and only gains the role.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.BOOTSTRAP_ADMIN_EMAIL;
    const password = this.config.BOOTSTRAP_ADMIN_PASSWORD;
    if (!email || !password) return;
    const normalized = normalizeEmail(email);
    const passwordHash = await argon2.hash(password, ARGON2_OPTIONS);
    await this.dataSource.transaction(async (manager) => {
      const table = manager.connection.getMetadata(IdentityEntity).tablePath;
      await manager.query(
        `INSERT INTO ${table} (id, email, password_hash, first_name, last_name, phone_verified_at, platform_roles, public_profile)
         VALUES ($1, $2, $3, 'Platform', 'Admin', now(), ARRAY['platform_admin'], false)
         ON CONFLICT (email) DO UPDATE SET platform_roles =
           (SELECT array_agg(DISTINCT r) FROM unnest(${table}.platform_roles || ARRAY['platform_admin']) AS r)`,
        [randomUUID(), normalized, passwordHash],
      );
    });
    this.logger.log(`platform_admin ${normalized} is ready`);
  }
}
