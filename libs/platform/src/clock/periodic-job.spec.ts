import { Logger } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

const quietLogger = (): Logger => ({ error: jest.fn() }) as unknown as Logger;

describe('PeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the work once per interval', async () => {
    const work = jest.fn(() => Promise.resolve());
    const job = new PeriodicJob('tick', 1000, work, quietLogger());
    job.start();
    await jest.advanceTimersByTimeAsync(3500);
    expect(work).toHaveBeenCalledTimes(3);
    await job.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('never runs twice at once: a slow run makes the next ticks skip', async () => {
    let active = 0;
    let most = 0;
    const work = jest.fn(async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      active--;
    });
    const job = new PeriodicJob('slow', 1000, work, quietLogger());
    job.start();
    await jest.advanceTimersByTimeAsync(7000);
    expect(most).toBe(1);
    // ticks at 1s (runs until 3.5s), 2s and 3s skipped, 4s runs (until 6.5s), 5s and 6s skipped, 7s runs
    expect(work).toHaveBeenCalledTimes(3);
    const stopped = job.stop();
    await jest.advanceTimersByTimeAsync(3000);
    await stopped;
  });

  it('stop waits for the run in progress', async () => {
    let finished = false;
    const job = new PeriodicJob(
      'finishing',
      1000,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished = true;
      },
      quietLogger(),
    );
    job.start();
    await jest.advanceTimersByTimeAsync(1100);
    const stopped = job.stop();
    expect(finished).toBe(false);
    await jest.advanceTimersByTimeAsync(500);
    await stopped;
    expect(finished).toBe(true);
  });

  it('logs a failed run and keeps going', async () => {
    const logger = quietLogger();
    const work = jest.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue(undefined);
    const job = new PeriodicJob('flaky', 1000, work, logger);
    job.start();
    await jest.advanceTimersByTimeAsync(2100);
    expect(work).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledTimes(1);
    await job.stop();
  });

  it('an interval of 0 is off: nothing runs by itself', async () => {
    const work = jest.fn(() => Promise.resolve());
    const job = new PeriodicJob('off', 0, work, quietLogger());
    job.start();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(work).not.toHaveBeenCalled();
    await job.stop();
  });
});
