import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { ASSET_JOBS, QUEUES } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { AssetStatsService } from './asset-stats.service.js';
import { RELAY_EVERY_MS, STATS_EVERY_MS, STATS_SETTLE } from './assets.constants.js';
import { ExposureEventsService } from './exposure-events.service.js';

/** Consumer of the `assets` queue (workers only): relays exposure events and rebuilds dirty statistics, on repeatable jobs. */
@Injectable()
export class AssetsProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger(AssetsProcessor.name);

  constructor(
    @InjectQueue(QUEUES.assets) private readonly queue: Queue,
    private readonly events: ExposureEventsService,
    private readonly statistics: AssetStatsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(ASSET_JOBS.relayEvents, 1, async () => {
      let sent = 0;
      for (let n = await this.events.relay(); n > 0; n = await this.events.relay()) sent += n;
      if (sent) this.log.log(`relayed ${sent} exposure events`);
      return sent;
    });
    void this.queue.process(ASSET_JOBS.recomputeStats, 1, () => this.statistics.recomputeDirty(STATS_SETTLE));
    await this.schedule(ASSET_JOBS.relayEvents, RELAY_EVERY_MS);
    await this.schedule(ASSET_JOBS.recomputeStats, STATS_EVERY_MS);
  }

  private async schedule(job: string, every: number): Promise<void> {
    try {
      await scheduleRepeatable(this.queue, job, { every }, { removeOnFail: true });
    } catch (e) {
      this.log.warn(`could not schedule ${job}: ${(e as Error).message}`);
    }
  }
}
