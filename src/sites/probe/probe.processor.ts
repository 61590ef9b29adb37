import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { PROBE_JOBS, QUEUES } from '../../queue/queue.constants.js';
import { PROBE_CONCURRENCY, type ProbeSiteJob } from './probe.constants.js';
import { ProbeQueueService } from './probe-queue.service.js';
import { SiteProbeService } from './site-probe.service.js';

/** Consumer of the `probe` queue (workers only). */
@Injectable()
export class ProbeProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProbeProcessor.name);

  constructor(
    @InjectQueue(QUEUES.probe) private readonly bull: Queue,
    private readonly probes: SiteProbeService,
    private readonly queue: ProbeQueueService,
  ) {}

  onApplicationBootstrap(): void {
    void this.bull.process(PROBE_JOBS.site, PROBE_CONCURRENCY, (job: Job<ProbeSiteJob>) => this.probeSite(job));
    void this.bull.process(PROBE_JOBS.due, 1, () => this.queue.enqueueDue());
  }

  /** A site that does not answer is a result, not a job failure; only database errors are retried. */
  private async probeSite(job: Job<ProbeSiteJob>): Promise<void> {
    const site = await this.probes.probeSite(job.data.siteId);
    this.logger.debug(`job ${job.id}: site ${job.data.siteId} ${site ? site.liveness : 'gone'}`);
  }
}
