import type { Money } from '@ticketry/money';
import type { PaymentMethod, ProviderStatus } from './payment-provider';

/**
 * Where the sandbox provider keeps what it knows: its payments and the results it remembers per
 * idempotency key. A real processor keeps that on its side across our restarts; the sandbox must
 * too, or a payment authorised before a billing restart could never be captured after it. So the
 * service gives it a Postgres store (sandbox-store.entity.ts, in billing's schema) and unit tests
 * the in-memory one below. Plain TypeScript, no Nest or TypeORM here.
 */

/** What the sandbox knows about one payment (a snapshot; see `SandboxPaymentProvider.inspect`). */
export interface SandboxPaymentRecord {
  providerRef: string;
  paymentId: string;
  method: PaymentMethod;
  status: ProviderStatus;
  authorized: Money;
  captured: Money;
  refunded: Money;
  refunds: number;
}

/** A result remembered under an idempotency key, with the fingerprint of the request that made it. */
export interface RememberedResult {
  fingerprint: string;
  result: unknown;
}

/** Reads and writes inside one `SandboxStore.exclusive` section. */
export interface SandboxStoreSession {
  payment(providerRef: string): Promise<SandboxPaymentRecord | undefined>;
  savePayment(record: SandboxPaymentRecord): Promise<void>;
  remembered(idempotencyKey: string): Promise<RememberedResult | undefined>;
  remember(idempotencyKey: string, entry: RememberedResult): Promise<void>;
}

export interface SandboxStore {
  /**
   * Runs `work` while holding every named lock, so two calls for the same key or the same payment
   * never interleave (a processor serialises them too, or a double click could authorise twice).
   * What `work` saved is kept only if it returns normally: a refused request leaves no trace.
   */
  exclusive<R>(locks: readonly string[], work: (session: SandboxStoreSession) => Promise<R>): Promise<R>;
  /** A read-only look at one payment, outside any lock. */
  find(providerRef: string): Promise<SandboxPaymentRecord | undefined>;
}

function copy(record: SandboxPaymentRecord): SandboxPaymentRecord {
  return { ...record };
}

/**
 * The store of a single process: what the dev tools and unit tests use. Sections run one after
 * another (one queue for all locks, which is plenty for a sandbox), and their writes are applied
 * only when the section succeeds.
 */
export class InMemorySandboxStore implements SandboxStore {
  private readonly payments = new Map<string, SandboxPaymentRecord>();
  private readonly byKey = new Map<string, RememberedResult>();
  private queue: Promise<unknown> = Promise.resolve();

  exclusive<R>(_locks: readonly string[], work: (session: SandboxStoreSession) => Promise<R>): Promise<R> {
    const run = this.queue.then(() => this.section(work));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async find(providerRef: string): Promise<SandboxPaymentRecord | undefined> {
    return this.peek(providerRef);
  }

  /** Synchronous `find`, for `SandboxPaymentProvider.inspect`. */
  peek(providerRef: string): SandboxPaymentRecord | undefined {
    const record = this.payments.get(providerRef);
    return record && copy(record);
  }

  private async section<R>(work: (session: SandboxStoreSession) => Promise<R>): Promise<R> {
    const payments = new Map<string, SandboxPaymentRecord>();
    const byKey = new Map<string, RememberedResult>();
    const result = await work({
      payment: async (providerRef) => {
        const record = payments.get(providerRef) ?? this.payments.get(providerRef);
        return record && copy(record);
      },
      savePayment: async (record) => void payments.set(record.providerRef, copy(record)),
      remembered: async (key) => byKey.get(key) ?? this.byKey.get(key),
      remember: async (key, entry) => void byKey.set(key, entry),
    });
    for (const [ref, record] of payments) this.payments.set(ref, record);
    for (const [key, entry] of byKey) this.byKey.set(key, entry);
    return result;
  }
}
