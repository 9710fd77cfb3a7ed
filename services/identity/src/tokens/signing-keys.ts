import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { KeyResolver, rs256Kid } from '@ticketry/auth';
import { CLOCK, Clock, CONFIG } from '@ticketry/platform';
import { calculateJwkThumbprint, exportJWK, JWK } from 'jose';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { IdentityConfig } from '../config';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ name: 'private_pem', type: 'text' })
  privatePem!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set at rotation: still published (and verifiable) until its last access token has expired. */
  @Column({ name: 'retire_after', type: 'timestamptz', nullable: true })
  retireAfter!: Date | null;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/** Access tokens live 15 minutes; a retired key stays published a little longer than that. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const RETIRED_KEY_GRACE_MS = (ACCESS_TOKEN_TTL_SECONDS + 5 * 60) * 1000;
const RELOAD_MS = 30_000;

async function toSigningKey(privateKey: KeyObject): Promise<SigningKey> {
  const jwk = await exportJWK(createPublicKey(privateKey));
  // RFC 7638 thumbprint: the same key always gets the same kid, on every replica.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * The keys identity signs with and publishes. Production reads them from the environment
 * (JWT_PRIVATE_KEY, and JWT_PREVIOUS_PRIVATE_KEY during a rollover, so two keys are published);
 * elsewhere they live in the schema, generated on first start and rotatable on demand.
 */
@Injectable()
export class SigningKeyStore extends KeyResolver implements OnModuleInit {
  private readonly logger = new Logger(SigningKeyStore.name);
  private signing: SigningKey | undefined;
  private published: SigningKey[] = [];
  private loadedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  private get fromEnvironment(): boolean {
    return this.config.JWT_PRIVATE_KEY !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.isProduction && !this.fromEnvironment) {
      throw new Error('JWT_PRIVATE_KEY is required in production');
    }
    await this.load();
  }

  async current(): Promise<SigningKey> {
    if (!this.fromEnvironment && Date.now() - this.loadedAt > RELOAD_MS) await this.load();
    if (!this.signing) throw new Error('no signing key loaded');
    return this.signing;
  }

  async jwks(): Promise<JWK[]> {
    if (!this.fromEnvironment && Date.now() - this.loadedAt > RELOAD_MS) await this.load();
    return this.published.map((key) => key.publicJwk);
  }

  /** libs/auth asks here: identity verifies its own tokens without calling its JWKS endpoint. */
  async resolveKey(rawJwt: string): Promise<string | null> {
    const kid = rs256Kid(rawJwt);
    if (!kid) return null;
    let key = this.published.find((k) => k.kid === kid);
    if (!key && !this.fromEnvironment) {
      await this.load(); // another replica may have rotated a moment ago
      key = this.published.find((k) => k.kid === kid);
    }
    return key ? (createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }) as string) : null;
  }

  /** Outside production: a new signing key; the old one stays published until its tokens expire. */
  async rotate(): Promise<string> {
    if (this.fromEnvironment)
      throw new Error('keys from the environment rotate by redeploying with JWT_PREVIOUS_PRIVATE_KEY');
    const now = this.clock.now();
    const fresh = await toSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(SigningKeyEntity)
        .set({ retireAfter: new Date(now.getTime() + RETIRED_KEY_GRACE_MS) })
        .where('retire_after IS NULL')
        .execute();
      await manager.getRepository(SigningKeyEntity).insert({
        kid: fresh.kid,
        privatePem: fresh.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        createdAt: now,
        retireAfter: null,
      });
    });
    await this.load();
    return fresh.kid;
  }

  private async load(): Promise<void> {
    if (this.fromEnvironment) {
      this.signing = await toSigningKey(createPrivateKey(this.config.JWT_PRIVATE_KEY!));
      const previous = this.config.JWT_PREVIOUS_PRIVATE_KEY
        ? [await toSigningKey(createPrivateKey(this.config.JWT_PREVIOUS_PRIVATE_KEY))]
        : [];
      this.published = [this.signing, ...previous];
    } else {
      await this.ensureDevelopmentKey();
      const now = this.clock.now();
      const rows = await this.dataSource
        .getRepository(SigningKeyEntity)
        .createQueryBuilder('k')
        .where('k.retire_after IS NULL OR k.retire_after > :now', { now })
        .orderBy('k.created_at', 'DESC')
        .getMany();
      const keys = await Promise.all(rows.map((row) => toSigningKey(createPrivateKey(row.privatePem))));
      this.signing = keys[rows.findIndex((row) => row.retireAfter === null)] ?? keys[0];
      this.published = keys;
    }
    this.loadedAt = Date.now();
  }

  private async ensureDevelopmentKey(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Two replicas starting together must not both create "the" first key.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('identity:signing-keys'))`);
      const [{ count }] = (await manager.query(
        `SELECT count(*)::int AS count FROM ${manager.connection.getMetadata(SigningKeyEntity).tablePath} WHERE retire_after IS NULL`,
      )) as [{ count: number }];
      if (count > 0) return;
      const key = await toSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
      await manager.getRepository(SigningKeyEntity).insert({
        kid: key.kid,
        privatePem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        createdAt: this.clock.now(),
        retireAfter: null,
      });
      this.logger.log(`generated development signing key ${key.kid}`);
    });
  }
}
