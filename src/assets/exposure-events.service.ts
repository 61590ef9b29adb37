import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { PrismaService } from '../prisma/prisma.service.js';
import { EVENT_JOBS, QUEUES } from '../queue/queue.constants.js';
import { RELAY_BATCH, type ExposureOpenedEvent } from './assets.constants.js';

type Row = Omit<ExposureOpenedEvent, 'exposureId' | 'openedAt'> & { id: number; openedAt: Date };

/**
 * Outbox relay: an import opens exposures inside its transaction (eventQueuedAt null); this
 * turns each into an `exposure.opened` job on the events queue, then marks it sent. The job id
 * is the exposure's, so a relay that dies between the two steps queues nothing twice.
 */
@Injectable()
export class ExposureEventsService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectQueue(QUEUES.events) private readonly events: Queue<ExposureOpenedEvent>,
  ) {}

  /** Relays one batch of unsent events; answers how many. Concurrent relays skip each other's rows. */
  async relay(): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Row[]>`
          SELECT e.id, e."organizationId", e."assetId", host(a.ip) AS ip, e.port, e.protocol::text AS protocol, e.service,
            e."riskLevel"::text AS "riskLevel", e."openedAt"
          FROM "Exposure" e JOIN "Asset" a ON a.id = e."assetId"
          WHERE e."eventQueuedAt" IS NULL ORDER BY e.id LIMIT ${RELAY_BATCH} FOR UPDATE OF e SKIP LOCKED`;
        if (!rows.length) return 0;
        await this.events.addBulk(
          rows.map(({ id, openedAt, ...r }) => ({
            name: EVENT_JOBS.exposureOpened,
            data: { exposureId: id, ...r, openedAt: openedAt.toISOString() },
            opts: { jobId: `exposure-opened:${id}` },
          })),
        );
        await tx.$executeRaw`UPDATE "Exposure" SET "eventQueuedAt" = now() WHERE id = ANY(${rows.map((r) => r.id)}::int[])`;
        return rows.length;
      },
      { timeout: 60_000 },
    );
  }
}
