import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import Bull, { type Queue } from 'bull';
import { withTimeout } from '../common/timeout.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Bounded shutdown of every Bull queue of the process. Bull's own close (which @nestjs/bull
 * calls at application shutdown) waits for running jobs without a limit, so one slow or stuck
 * job held a stopping process forever. This runs first of all destroy hooks (it belongs to the
 * root module), while PostgreSQL is still connected: it stops taking new jobs, gives running
 * ones SHUTDOWN_GRACE_MS to finish, then closes the queues without waiting any longer. A job
 * let go of this way keeps its Redis lock until it expires and is then run again by a worker.
 */
@Injectable()
export class QueueShutdownService implements OnModuleDestroy {
  private readonly logger = new Logger(QueueShutdownService.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const queues = this.queues();
    await Promise.all(queues.map((queue) => queue.pause(true, true).catch(() => undefined)));
    const finished = await settlesWithin(
      Promise.all(queues.map((queue) => queue.whenCurrentJobsFinished())),
      this.config.get('SHUTDOWN_GRACE_MS'),
    );
    if (!finished) this.logger.warn(`jobs still running after ${this.config.get('SHUTDOWN_GRACE_MS')} ms; closing without them`);
    const closed = await settlesWithin(Promise.all(queues.map((queue) => queue.close(true))), CLOSE_WITHIN_MS);
    if (!closed) {
      // A queue whose Redis went away waits for it forever; drop its connections instead.
      this.logger.warn(`queues did not close within ${CLOSE_WITHIN_MS} ms; disconnecting them`);
      for (const queue of queues) forceClosed(queue);
    }
  }

  /** Every queue registered in the application (each module registers its own). */
  private queues(): Queue[] {
    const found = new Set<Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.instance instanceof Bull) found.add(wrapper.instance);
    }
    return [...found];
  }
}

/** How long closing the queues (after the grace period) may take before their connections are cut. */
const CLOSE_WITHIN_MS = 3000;

/** Cuts a queue's Redis connections and marks it closed, so @nestjs/bull's own close returns at once. */
function forceClosed(queue: Queue): void {
  const internals = queue as unknown as { clients: { disconnect(): void }[]; closing?: Promise<void> };
  for (const client of internals.clients) client.disconnect();
  internals.closing = Promise.resolve();
}

/** Whether `work` settles within `ms` milliseconds. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return withTimeout(work.then(() => true, () => true), ms).catch(() => false);
}
