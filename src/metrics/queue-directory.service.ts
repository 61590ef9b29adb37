import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import Bull, { type Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';

/**
 * Every queue of the deployment, for reading (depth metrics, the queue board): the ones this
 * process registered, plus the others opened by name (an API-only process does not register
 * the workers' queues). Those extra ones never process jobs; they are closed with the app.
 */
@Injectable()
export class QueueDirectoryService implements OnModuleDestroy {
  private found?: Queue[];
  private readonly opened: Queue[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  /** Registered queues only (their events show the jobs this process runs). */
  registered(): Queue[] {
    const byName = new Map<string, Queue>();
    for (const w of this.discovery.getProviders()) {
      if (w.instance instanceof Bull) byName.set((w.instance).name, w.instance);
    }
    return [...byName.values()];
  }

  /** Every queue named in QUEUES, sorted by name. */
  all(): Queue[] {
    if (!this.found) {
      const registered = new Map(this.registered().map((q) => [q.name, q]));
      for (const name of Object.values(QUEUES)) {
        if (registered.has(name)) continue;
        const queue = new Bull(name, this.config.get('REDIS_URL'), { prefix: `${this.config.get('QUEUE_PREFIX')}:bull` });
        this.opened.push(queue);
        registered.set(name, queue);
      }
      this.found = [...registered.values()].sort((a, b) => a.name.localeCompare(b.name));
    }
    return this.found;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.opened.map((q) => q.close().catch(() => undefined)));
  }
}
