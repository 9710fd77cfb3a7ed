/**
 * Polls until the assertion passes or the time is up (a "polling probe" for asynchronous effects
 * across Kafka), then fails with the assertion's last error rather than a bare timeout.
 */
export async function eventually<T>(
  assertion: () => Promise<T> | T,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const message = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`Still failing after ${timeoutMs} ms: ${message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
