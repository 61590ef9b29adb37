import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AreaLevel } from '../../generated/prisma/enums.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import { loadAreaRows } from './area-data.js';

@Injectable()
export class AreasService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AreasService.name);

  constructor(private readonly prisma: PrismaService) {}

  /** Every process brings the Area table up to date with the data package (idempotent, safe in parallel). */
  async onApplicationBootstrap(): Promise<void> {
    const changed = await this.sync();
    if (changed) this.logger.log(`areas: ${changed} rows inserted or updated`);
  }

  /** Upserts the package's areas in one statement; returns how many rows changed. */
  async sync(): Promise<number> {
    const rows = loadAreaRows();
    return this.prisma.$executeRaw`
      INSERT INTO "Area" ("code", "name", "level", "parentCode")
      SELECT * FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.name)}::text[],
                           ${rows.map((r) => r.level)}::"AreaLevel"[], ${rows.map((r) => r.parentCode)}::text[])
      ON CONFLICT ("code") DO UPDATE SET "name" = EXCLUDED."name", "level" = EXCLUDED."level", "parentCode" = EXCLUDED."parentCode"
      WHERE ("Area"."name", "Area"."level", "Area"."parentCode") IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."level", EXCLUDED."parentCode")`;
  }

  list(filter: { level?: AreaLevel; parentCode?: string }) {
    return this.prisma.area.findMany({
      where: { ...(filter.level ? { level: filter.level } : {}), ...(filter.parentCode ? { parentCode: filter.parentCode } : {}) },
      orderBy: { code: 'asc' },
    });
  }

  byCodes(codes: readonly string[]) {
    return this.prisma.area.findMany({ where: { code: { in: [...codes] } } });
  }

  /** The subset of `codes` that name a known area. */
  async existing(codes: Iterable<string>): Promise<Set<string>> {
    const list = [...new Set(codes)];
    if (!list.length) return new Set();
    const rows = await this.prisma.area.findMany({ where: { code: { in: list } }, select: { code: true } });
    return new Set(rows.map((r) => r.code));
  }
}
