import type { JobOptions, Queue } from 'bull';

/** When a repeatable job runs: every `every` milliseconds, or on a cron line. */
export type Schedule = { every: number } | { cron: string };

/**
 * Makes `job` on `queue` repeat on `schedule` and on nothing else: schedules of the job that
 * differ (a changed interval or cron line, another job id) are removed, and all of them when
 * `schedule` is null.
 * Registering the same schedule again is a no-op (Bull keys repeatable jobs by name and
 * schedule), so every worker calls this at start and a Redis that lost its keys gets the job
 * back from the next worker that starts.
 */
export async function scheduleRepeatable(queue: Queue, job: string, schedule: Schedule | null, opts: JobOptions = {}): Promise<void> {
  for (const existing of await queue.getRepeatableJobs()) {
    if (existing.name !== job) continue;
    const same =
      schedule !== null && existing.id === job && ('cron' in schedule ? existing.cron === schedule.cron : Number(existing.every) === schedule.every);
    if (!same) await queue.removeRepeatableByKey(existing.key);
  }
  if (schedule) await queue.add(job, {}, { removeOnComplete: true, removeOnFail: 100, ...opts, repeat: schedule, jobId: job });
}
