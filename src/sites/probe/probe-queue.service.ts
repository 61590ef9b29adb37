import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type { Principal } from '../../common/auth/principal.js';
import { AppConfig } from '../../config/app-config.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import { PROBE_JOB_OPTIONS, PROBE_JOBS, QUEUES } from '../../queue/queue.constants.js';
import { scheduleRepeatable } from '../../queue/repeatable.js';
import { SitesService } from '../sites.service.js';
import { probeJobId, type ProbeSiteJob } from './probe.constants.js';

const DUE_PAGE = 1000;

/** Puts probes on the `probe` queue: on demand for a caller's sites, and for due sites on schedule. */
@Injectable()
export class ProbeQueueService {
  private readonly logger = new Logger(ProbeQueueService.name);

  constructor(
    @InjectQueue(QUEUES.probe) private readonly queue: Queue,
    private readonly prisma: PrismaService,
    private readonly sites: SitesService,
    private readonly config: AppConfig,
  ) {}

  /** probeSites(ids): the caller must see every site. A site already waiting is not queued twice. */
  async probeSites(principal: Principal, ids: number[]): Promise<number> {
    const sites = await this.sites.assertAccessible(principal, ids);
    await this.enqueue(sites.map((s) => s.id));
    return sites.length;
  }

  async enqueue(siteIds: number[]): Promise<void> {
    if (!siteIds.length) return;
    await this.queue.addBulk(
      siteIds.map((siteId) => ({
        name: PROBE_JOBS.site,
        data: { siteId } satisfies ProbeSiteJob,
        opts: { ...PROBE_JOB_OPTIONS, jobId: probeJobId(siteId) },
      })),
    );
  }

  /** Queues every site not probed for PROBE_DUE_AFTER_MINUTES (or never); returns how many. */
  async enqueueDue(now = new Date()): Promise<number> {
    let total = 0;
    for await (const page of this.dueSiteIds(now)) {
      await this.enqueue(page);
      total += page.length;
    }
    this.logger.log(`probe schedule: ${total} due sites queued`);
    return total;
  }

  /** Ids of due sites, a page at a time (keyset on id, so the scan stays cheap at any size). */
  async *dueSiteIds(now = new Date()): AsyncGenerator<number[]> {
    const before = new Date(now.getTime() - this.config.get('PROBE_DUE_AFTER_MINUTES') * 60_000);
    for (let after = 0; ; ) {
      const page = await this.prisma.site.findMany({
        where: { id: { gt: after }, OR: [{ lastProbedAt: null }, { lastProbedAt: { lt: before } }] },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: DUE_PAGE,
      });
      if (!page.length) return;
      yield page.map((s) => s.id);
      after = page[page.length - 1].id;
    }
  }

  /**
   * Makes the repeatable "probe due sites" job match PROBE_SCHEDULE_CRON: registered once (Bull
   * dedupes it across processes), older schedules removed, none when the variable is empty.
   */
  async syncSchedule(): Promise<void> {
    const cron = this.config.get('PROBE_SCHEDULE_CRON');
    await scheduleRepeatable(this.queue, PROBE_JOBS.due, cron ? { cron } : null);
  }
}
