import { createKafka } from '@ticketry/messaging';
import { infraFromEnv } from './infra';

/** Deletes this run's topics (each test uses its own prefix) and stops containers if any were started. */
export default async function globalTeardown(): Promise<void> {
  const infra = infraFromEnv();
  const runId = process.env.TICKETRY_TEST_RUN_ID;
  if (infra && runId) {
    const admin = createKafka({
      brokers: infra.kafkaBrokers.split(','),
      clientId: 'ticketry-test-teardown',
    }).admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`t${runId}-`));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    } catch {
      // Leftover topics only cost disk on a dev broker; never fail a green run for them.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  const containers =
    (globalThis as { __TICKETRY_CONTAINERS__?: { stop(): Promise<unknown> }[] }).__TICKETRY_CONTAINERS__ ??
    [];
  await Promise.all(containers.map((c) => c.stop()));
}
