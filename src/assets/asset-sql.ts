// SQL pieces of the asset list: filters that Prisma cannot say (inet containment, EXISTS on ports).
import { isIP } from 'node:net';
import { badInput } from '../common/errors/domain-error.js';
import { Prisma } from '../generated/prisma/client.js';
import type { AssetFilter } from './inputs/asset-filter.input.js';

/** "10.0.0.5", "10.0.0.0/8" or "fd00::/8" as given; anything else is BAD_USER_INPUT. */
export function checkNetwork(value: string): string {
  const [addr, prefix, ...rest] = value.trim().split('/');
  const family = isIP(addr);
  const bits = family === 4 ? 32 : 128;
  const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  if (!family || !okPrefix || rest.length) throw badInput('ip must be an IPv4/IPv6 address or network (CIDR)', { field: 'ip' });
  return value.trim();
}

/** WHERE conditions over "Asset" a for a filter, already scoped to `orgId` (null: every organisation). */
export function assetConditions(orgId: number | null, f: AssetFilter): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (orgId !== null) c.push(Prisma.sql`a."organizationId" = ${orgId}`);
  if (f.organizationId && orgId === null) c.push(Prisma.sql`a."organizationId" = ${f.organizationId}`);
  if (f.siteId) c.push(Prisma.sql`EXISTS (SELECT 1 FROM "AssetSite" s WHERE s."assetId" = a.id AND s."siteId" = ${f.siteId})`);
  if (f.ip) c.push(Prisma.sql`a.ip <<= ${checkNetwork(f.ip)}::inet`);
  if (f.liveness) c.push(Prisma.sql`a.liveness = ${f.liveness}::"AssetLiveness"`);
  if (f.os) {
    const like = `%${escapeLike(f.os)}%`;
    c.push(Prisma.sql`(a."osName" ILIKE ${like} OR a."osFamily" ILIKE ${like})`);
  }
  if (f.openPort) {
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "ServicePort" p WHERE p."assetId" = a.id AND p.port = ${f.openPort} AND p.state = 'OPEN')`);
  }
  if (f.service) {
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "ServicePort" p WHERE p."assetId" = a.id AND lower(p.service) = ${f.service.toLowerCase()} AND p.state = 'OPEN')`);
  }
  if (f.text) {
    const like = `%${escapeLike(f.text)}%`;
    c.push(Prisma.sql`(host(a.ip) ILIKE ${like} OR a."osName" ILIKE ${like} OR EXISTS (SELECT 1 FROM unnest(a.hostnames) n WHERE n ILIKE ${like}))`);
  }
  return c.length ? Prisma.join(c, ' AND ') : Prisma.sql`TRUE`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
