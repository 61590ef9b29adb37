import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PrismaService } from '../prisma/prisma.service.js';
import type { NormalisedSiteUrl } from './site-url.js';

/** A site to create: its address as normaliseSiteUrl() gave it, and what the caller knows of it. */
export interface NewSite {
  url: NormalisedSiteUrl;
  /** The host name when none is given. */
  name?: string | null;
  areaCode?: string | null;
  ownerId?: number | null;
}

const INSERT_SITES = `
  INSERT INTO "Site" ("organizationId", url, domain, name, "areaCode", "ownerId", "updatedAt")
  SELECT $1::int, u, d, n, a, o, now()
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS t(u, d, n, a, o)
  ON CONFLICT ("organizationId", url) DO NOTHING
  RETURNING id, url`;

/**
 * The one way sites are created: createSite, the batch import, a related domain made a site, and
 * a host an imported scanner file names (in its batch's transaction, `c`) all come here.
 */
@Injectable()
export class SiteRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the sites in one statement; a URL the organisation has already is skipped. Returns url → id of those created. */
  async create(organizationId: number, sites: NewSite[], c?: pg.PoolClient): Promise<Map<string, number>> {
    const values = [
      organizationId,
      sites.map((s) => s.url.url),
      sites.map((s) => s.url.domain),
      sites.map((s) => s.name?.trim() || s.url.hostname),
      sites.map((s) => s.areaCode ?? null),
      sites.map((s) => s.ownerId ?? null),
    ];
    const rows = c
      ? (await c.query<{ id: number; url: string }>(INSERT_SITES, values)).rows
      : await this.prisma.$queryRawUnsafe<{ id: number; url: string }[]>(INSERT_SITES, ...values);
    return new Map(rows.map((r) => [r.url, r.id]));
  }

  /** The id of the organisation's site at this (normalised) URL. */
  async idOf(organizationId: number, url: string, c?: pg.PoolClient): Promise<number | undefined> {
    if (c) return (await c.query<{ id: number }>('SELECT id FROM "Site" WHERE "organizationId" = $1 AND url = $2', [organizationId, url])).rows[0]?.id;
    return (await this.prisma.site.findUnique({ where: { organizationId_url: { organizationId, url } }, select: { id: true } }))?.id;
  }
}
