import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { money } from '@ticketry/money';
import { CONFIG, dataSourceOptions } from '@ticketry/platform';
import { Column, DataSource, Entity, EntityManager, PrimaryColumn } from 'typeorm';
import { BillingConfig } from '../config';
import type { PaymentMethod, ProviderStatus } from './payment-provider';
import type {
  RememberedResult,
  SandboxPaymentRecord,
  SandboxStore,
  SandboxStoreSession,
} from './sandbox-store';

const minorUnits = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

@Entity({ name: 'sandbox_payments' })
export class SandboxPaymentEntity {
  @PrimaryColumn({ name: 'provider_ref', type: 'text' }) providerRef!: string;
  @Column({ name: 'payment_id', type: 'text' }) paymentId!: string;
  @Column({ type: 'text' }) method!: PaymentMethod;
  @Column({ type: 'text' }) status!: ProviderStatus;
  @Column({ type: 'text' }) currency!: string;
  @Column({ name: 'authorized_minor', type: 'bigint', transformer: minorUnits }) authorizedMinor!: number;
  @Column({ name: 'captured_minor', type: 'bigint', transformer: minorUnits }) capturedMinor!: number;
  @Column({ name: 'refunded_minor', type: 'bigint', transformer: minorUnits }) refundedMinor!: number;
  @Column({ type: 'int' }) refunds!: number;
}

@Entity({ name: 'sandbox_idempotency_keys' })
export class SandboxIdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) fingerprint!: string;
  @Column({ type: 'jsonb' }) result!: object;
}

function toRecord(row: SandboxPaymentEntity): SandboxPaymentRecord {
  return {
    providerRef: row.providerRef,
    paymentId: row.paymentId,
    method: row.method,
    status: row.status,
    authorized: money(row.authorizedMinor, row.currency),
    captured: money(row.capturedMinor, row.currency),
    refunded: money(row.refundedMinor, row.currency),
    refunds: row.refunds,
  };
}

function toRow(record: SandboxPaymentRecord): SandboxPaymentEntity {
  return {
    providerRef: record.providerRef,
    paymentId: record.paymentId,
    method: record.method,
    status: record.status,
    currency: record.authorized.currency,
    authorizedMinor: record.authorized.amountMinor,
    capturedMinor: record.captured.amountMinor,
    refundedMinor: record.refunded.amountMinor,
    refunds: record.refunds,
  };
}

function session(manager: EntityManager): SandboxStoreSession {
  const payments = manager.getRepository(SandboxPaymentEntity);
  const keys = manager.getRepository(SandboxIdempotencyKeyEntity);
  return {
    payment: async (providerRef) => {
      const row = await payments.findOneBy({ providerRef });
      return row ? toRecord(row) : undefined;
    },
    savePayment: async (record) => {
      await payments.upsert(toRow(record), ['providerRef']);
    },
    remembered: async (key): Promise<RememberedResult | undefined> => {
      const row = await keys.findOneBy({ key });
      return row ? { fingerprint: row.fingerprint, result: row.result } : undefined;
    },
    remember: async (key, entry) => {
      const result = entry.result;
      if (typeof result !== 'object' || result === null) throw new Error('A provider result is an object');
      await keys.insert({ key, fingerprint: entry.fingerprint, result });
    },
  };
}

/**
 * The sandbox provider's state in billing's schema, so it survives a restart as a real processor's
 * would. It has a small connection pool of its own: billing holds a payment's row lock (and its
 * connection) while it calls the provider, and a provider that waited for billing's pool could
 * starve behind the very calls waiting for it. Every call is one transaction holding advisory locks
 * on its idempotency key and payment, so concurrent calls (several pods, a retry racing a request)
 * take effect once.
 */
@Injectable()
export class PostgresSandboxStore implements SandboxStore, OnModuleInit, OnApplicationShutdown {
  private readonly dataSource: DataSource;

  constructor(@Inject(CONFIG) config: BillingConfig) {
    const options = dataSourceOptions({
      service: 'billing',
      config: { ...config, MIGRATIONS_RUN: 'false', isProduction: config.isProduction },
      entities: [SandboxPaymentEntity, SandboxIdempotencyKeyEntity],
      migrations: [],
    });
    if (options.type !== 'postgres') throw new Error('The sandbox store needs Postgres');
    this.dataSource = new DataSource({
      ...options,
      applicationName: 'billing-sandbox-provider',
      extra: { max: config.SANDBOX_POOL_MAX, connectionTimeoutMillis: 5000 },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  exclusive<R>(locks: readonly string[], work: (session: SandboxStoreSession) => Promise<R>): Promise<R> {
    return this.dataSource.transaction(async (manager) => {
      // Sorted, so two calls wanting the same locks never wait for each other in a circle.
      for (const lock of [...new Set(locks)].sort()) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sandbox:${lock}`]);
      }
      return work(session(manager));
    });
  }

  async find(providerRef: string): Promise<SandboxPaymentRecord | undefined> {
    const row = await this.dataSource.getRepository(SandboxPaymentEntity).findOneBy({ providerRef });
    return row ? toRecord(row) : undefined;
  }
}
