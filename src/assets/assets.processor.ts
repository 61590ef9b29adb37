import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '../queue/queue.constants.js';
import { ASSET_JOBS, RELAY_EVERY_MS } from './assets.constants.js';
import { ExposureEvents } from './exposure-events.service.js';

/** Consumer of the `assets` queue (workers only): relays exposure events on a repeatable job. */
@Injectable()
export class AssetsProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger(AssetsProcessor.name);

  constructor(
    @InjectQueue(QUEUES.assets) private readonly queue: Queue,
    private readonly events: ExposureEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(ASSET_JOBS.relayEvents, 1, async () => {
      let sent = 0;
      for (let n = await this.events.relay(); n > 0; n = await this.events.relay()) sent += n;
      if (sent) this.log.log(`relayed ${sent} exposure events`);
      return sent;
    });
    try {
      await this.queue.add(ASSET_JOBS.relayEvents, {}, {
        repeat: { every: RELAY_EVERY_MS }, jobId: 'relay-exposure-events', removeOnComplete: true, removeOnFail: true,
      });
    } catch (e) {
      this.log.warn(`could not schedule the exposure event relay: ${(e as Error).message}`);
    }
  }
}
