import { money } from '@ticketry/money';
import { SandboxPaymentProvider } from './sandbox-provider';
import { InMemorySandboxStore } from './sandbox-store';

const request = (paymentId: string, idempotencyKey: string) => ({
  paymentId,
  amount: money(23000, 'SEK'),
  method: 'card' as const,
  token: 'tok_visa',
  idempotencyKey,
});

describe('sandbox store', () => {
  it('lets concurrent calls with one key take effect once', async () => {
    const provider = new SandboxPaymentProvider(new InMemorySandboxStore());
    const results = await Promise.all([1, 2, 3].map(() => provider.authorize(request('pay-1', 'key-1'))));
    expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('lets concurrent authorisations of one payment under two keys succeed once', async () => {
    const provider = new SandboxPaymentProvider(new InMemorySandboxStore());
    const outcomes = await Promise.allSettled([
      provider.authorize(request('pay-2', 'key-a')),
      provider.authorize(request('pay-2', 'key-b')),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('keeps the state for a second provider on the same store (a restart)', async () => {
    const store = new InMemorySandboxStore();
    const first = await new SandboxPaymentProvider(store).authorize(request('pay-3', 'key-3'));
    if (first.outcome !== 'succeeded') throw new Error('setup');
    const capture = await new SandboxPaymentProvider(store).capture({
      providerRef: first.providerRef,
      amount: money(23000, 'SEK'),
      idempotencyKey: 'cap-3',
    });
    expect(capture.outcome).toBe('succeeded');
    expect(await store.find(first.providerRef)).toMatchObject({ status: 'captured' });
  });
});
