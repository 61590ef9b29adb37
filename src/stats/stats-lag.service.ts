import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import type { StatsLag } from './models/stats.models.js';

/** How far the aggregates are behind: sites marked dirty and not yet recomputed. */
@Injectable()
export class StatsLagService {
  constructor(private readonly prisma: PrismaService) {}

  async lag(): Promise<StatsLag> {
    const [r] = await this.prisma.$queryRawUnsafe<{ pending: number; oldest: Date | null; seconds: number | null }[]>(
      `SELECT count(DISTINCT "siteId")::int AS pending, min("markedAt") AS oldest,
              extract(epoch FROM LOCALTIMESTAMP - min("markedAt"))::float8 AS seconds
       FROM "StatDirtySite"`,
    );
    return { pendingSites: r.pending, oldestChangeAt: r.oldest, lagSeconds: Math.max(0, r.seconds ?? 0) };
  }
}
