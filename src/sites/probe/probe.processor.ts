import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { QUEUES } from '../../queue/queue.constants.js';
import { PROBE_CONCURRENCY, PROBE_JOBS, type ProbeSiteJob } from './probe.constants.js';
import { ProbeQueueService } from './probe-queue.service.js';
import { SiteProbeService } from './site-probe.service.js';

@Processor(QUEUES.probe)
export class ProbeProcessor {
  private readonly logger = new Logger(ProbeProcessor.name);

  constructor(
    private readonly probes: SiteProbeService,
    private readonly queue: ProbeQueueService,
  ) {}

  /** A site that does not answer is a result, not a job failure; only database errors are retried. */
  @Process({ name: PROBE_JOBS.site, concurrency: PROBE_CONCURRENCY })
  async probeSite(job: Job<ProbeSiteJob>): Promise<void> {
    const site = await this.probes.probeSite(job.data.siteId);
    this.logger.debug(`job ${job.id}: site ${job.data.siteId} ${site ? site.liveness : 'gone'}`);
  }

  @Process(PROBE_JOBS.due)
  async probeDue(): Promise<number> {
    return this.queue.enqueueDue();
  }
}
