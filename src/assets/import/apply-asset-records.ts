// Applies a syncAssets chunk inside its batch transaction: each host record is checked (a bad
// one is rejected with its index and the reason, the rest are kept), then written like a file's.
import { isIP } from 'node:net';
import type pg from 'pg';
import type { Rejection } from '../../ingest/incoming-finding.js';
import type { WriteContext } from '../../ingest/finding-writer.js';
import type { ParsedHost, ParsedService } from '../../ingest/parsers/types.js';
import { AssetImport } from './asset-import.js';

export interface AssetChunkResult {
  received: number;
  created: number;
  updated: number;
  rejected: number;
  rejections: Rejection[];
}

interface Checked {
  host: ParsedHost;
  ports: ParsedService[];
  siteId: number | null;
}

const MAX_PORTS_PER_HOST = 2 * 65535;

export async function applyAssetRecords(c: pg.PoolClient, ctx: WriteContext, payload: Record<string, any>): Promise<AssetChunkResult> {
  const records: unknown[] = Array.isArray(payload.hosts) ? payload.hosts : [];
  const imp = new AssetImport(c, { organizationId: ctx.organizationId, taskId: ctx.taskId, seenAt: ctx.seenAt, scanner: String(payload.scanner) });
  for (const r of Array.isArray(payload.scanned) ? payload.scanned : []) {
    imp.addCoverage({ scanner: 'nmap', protocol: String(r.protocol ?? 'tcp').toLowerCase(), ranges: [[Number(r.from), Number(r.to)]] });
  }
  const result: AssetChunkResult = { received: 0, created: 0, updated: 0, rejected: 0, rejections: [] };
  const reject = (index: number, reason: string) => {
    result.rejected++;
    result.rejections.push({ index, reason });
  };
  const siteIds = await orgSites(c, ctx.organizationId, records);
  const links: { ip: string; site: number }[] = [];
  for (const [index, raw] of records.entries()) {
    const checked = checkHost(raw, siteIds);
    if (typeof checked === 'string') {
      reject(index, checked);
      continue;
    }
    imp.addHost(checked.host);
    if (checked.siteId && checked.host.up) links.push({ ip: checked.host.ip!, site: checked.siteId });
    for (const port of checked.ports) {
      result.received++;
      const problem = imp.addService(port);
      if (problem) reject(index, problem);
      if (imp.full) await imp.flush();
    }
  }
  await imp.flush();
  if (links.length) {
    await c.query(
      `INSERT INTO "AssetSite" ("assetId", "siteId")
       SELECT a.id, t.site FROM json_to_recordset($2::json) AS t(ip inet, site int) JOIN "Asset" a ON a."organizationId" = $1 AND a.ip = t.ip
       ON CONFLICT DO NOTHING`,
      [ctx.organizationId, JSON.stringify(links)],
    );
  }
  const done = await imp.finish();
  result.created = done.created;
  result.updated = done.updated;
  return result;
}

/** The organisation's sites among those the records name. */
async function orgSites(c: pg.PoolClient, organizationId: number, records: unknown[]): Promise<Set<number>> {
  const named = records.map((r: any) => Number(r?.siteId)).filter((id) => Number.isInteger(id) && id > 0 && id <= 2147483647);
  if (!named.length) return new Set();
  const r = await c.query<{ id: number }>('SELECT id FROM "Site" WHERE "organizationId" = $1 AND id = ANY($2::int[])', [organizationId, named]);
  return new Set(r.rows.map((x) => x.id));
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);

export function checkHost(raw: any, siteIds: Set<number>): Checked | string {
  if (typeof raw !== 'object' || raw === null) return 'host is not an object';
  const ip = typeof raw.ip === 'string' ? raw.ip.trim().toLowerCase() : '';
  if (!isIP(ip)) return `ip ${JSON.stringify(raw.ip)?.slice(0, 80)} is not an IPv4 or IPv6 address`;
  let siteId: number | null = null;
  if (raw.siteId !== undefined && raw.siteId !== null) {
    siteId = Number(raw.siteId);
    if (!siteIds.has(siteId)) return `siteId ${String(raw.siteId).slice(0, 20)} is not a site of this organisation`;
  }
  const ports: any[] = Array.isArray(raw.ports) ? raw.ports : [];
  if (ports.length > MAX_PORTS_PER_HOST) return `host lists more than ${MAX_PORTS_PER_HOST} ports`;
  const hostnames = (Array.isArray(raw.hostnames) ? raw.hostnames : []).map((n: unknown) => text(n, 253)?.toLowerCase()).filter(Boolean) as string[];
  const osName = text(raw.osName, 200);
  const accuracy = Number.isInteger(raw.osAccuracy) && raw.osAccuracy >= 0 && raw.osAccuracy <= 100 ? raw.osAccuracy : undefined;
  const host: ParsedHost = {
    scanner: 'nmap', ip, hostnames: [...new Set(hostnames)], up: raw.up !== false,
    os: osName ? { name: osName, family: text(raw.osFamily, 100), accuracy } : undefined,
  };
  const services: ParsedService[] = [];
  for (const p of host.up ? ports : []) {
    if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) return `port ${JSON.stringify(p?.port)} of ${ip} is not 1-65535`;
    services.push({
      scanner: 'nmap', host: ip, ip, port: p.port,
      protocol: (text(p.protocol, 10) ?? 'tcp').toLowerCase(),
      state: (text(p.state, 20) ?? 'open').toLowerCase(),
      service: text(p.service, 100), product: text(p.product, 200), version: text(p.version, 200), extraInfo: text(p.extraInfo, 300),
      cpes: (Array.isArray(p.cpes) ? p.cpes : []).map((x: unknown) => text(x, 300)).filter(Boolean).slice(0, 20) as string[],
    });
  }
  return { host, ports: services, siteId };
}
