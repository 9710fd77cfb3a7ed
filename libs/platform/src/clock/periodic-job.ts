import { Logger } from '@nestjs/common';

/**
 * A service's scheduled work (hold expiry, retries, feeds): runs `work` every `intervalMs`, never two
 * runs at once (a slow run makes the next tick skip, it does not pile up), logs a failed run and
 * goes on, never keeps the process alive by itself, and on stop waits for the run in progress, so
 * shutdown does not cut a transaction in half. An interval of 0 or less means "off": the work then
 * runs only when called directly (the admin `asOf` endpoints, tests).
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger = new Logger(name),
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.work()
        .catch((error: unknown) =>
          this.logger.error({ err: error }, `${this.name} failed; the next tick retries`),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
