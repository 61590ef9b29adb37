// Stores what a port scan saw, inside the ingest batch's transaction, in set-based statements:
// hosts and ports are buffered and written FLUSH_SIZE at a time (assets, then ports, then site
// links, one statement each over a JSON array), and finish() applies the coverage rule once.
import type pg from 'pg';
import type { ParsedCoverage, ParsedHost, ParsedService } from '../../ingest/parsers/types.js';
import { closeUncovered, markDown, type Coverage } from './coverage.js';
import { applyExposures } from './exposures.js';

export interface AssetImportContext {
  organizationId: number;
  taskId: number;
  scanner: string;
  /** When the scan was received: re-applying the batch writes the same values. */
  seenAt: Date;
}

export interface AssetImportResult {
  created: number;
  updated: number;
  closed: number;
  exposuresOpened: number;
  exposuresClosed: number;
}

/** Hosts and ports written per statement. */
export const ASSET_FLUSH_SIZE = 5000;

const PROTOCOLS = new Set(['tcp', 'udp']);
const STATES: Record<string, string> = { open: 'OPEN', closed: 'CLOSED', filtered: 'FILTERED', 'open|filtered': 'FILTERED', 'closed|filtered': 'FILTERED' };

interface HostRow {
  ip: string;
  hn: string[];
  os: string | null;
  fam: string | null;
  acc: number | null;
}

interface PageRow {
  /** "scheme://host[:port]" of a root URL, lower-case, as sites store it. */
  origin: string;
  code: number;
  title: string | null;
  server: string | null;
}

interface PortRow {
  ip: string;
  p: number;
  pr: string;
  st: string;
  sv: string | null;
  pd: string | null;
  v: string | null;
  x: string | null;
  cpe: string[];
}

export class AssetImport {
  private hosts = new Map<string, HostRow>();
  private ports = new Map<string, PortRow>();
  private pages = new Map<string, PageRow>();
  /** Every up host of the scan: the coverage rule closes only their ports. */
  private readonly seenUp = new Set<string>();
  private readonly down = new Set<string>();
  private readonly coverage: Coverage[] = [];
  private readonly result: AssetImportResult = { created: 0, updated: 0, closed: 0, exposuresOpened: 0, exposuresClosed: 0 };

  constructor(
    private readonly client: pg.PoolClient,
    private readonly ctx: AssetImportContext,
  ) {}

  addHost(h: ParsedHost): void {
    if (!h.ip) return; // an asset is an address; a name-only host has nothing to key on
    if (!h.up) {
      this.down.add(h.ip);
      return;
    }
    this.seenUp.add(h.ip);
    const known = this.hosts.get(h.ip);
    this.hosts.set(h.ip, {
      ip: h.ip,
      hn: [...new Set([...(known?.hn ?? []), ...h.hostnames])],
      os: cut(h.os?.name, 200) ?? known?.os ?? null,
      fam: cut(h.os?.family, 100) ?? known?.fam ?? null,
      acc: h.os?.accuracy ?? known?.acc ?? null,
    });
  }

  /** Buffers a port; answers a rejection reason for one that cannot be stored. */
  addService(s: ParsedService): string | null {
    if (!s.ip) return `host ${s.host} has no IP address`;
    if (!PROTOCOLS.has(s.protocol)) return `port ${s.port} of ${s.ip}: protocol ${s.protocol} is not tcp or udp`;
    const state = STATES[s.state];
    if (!state) return `port ${s.port} of ${s.ip}: unknown state ${s.state}`;
    if (!this.hosts.has(s.ip) || (s.hostname && !this.hosts.get(s.ip)!.hn.includes(s.hostname))) {
      this.addHost({ scanner: 'nmap', ip: s.ip, hostnames: s.hostname ? [s.hostname] : [], up: true });
    }
    const key = `${s.ip}/${s.protocol}/${s.port}`;
    if (this.ports.has(key)) this.result.updated++; // listed again in the same file: seen again
    this.ports.set(key, {
      ip: s.ip, p: s.port, pr: s.protocol.toUpperCase(), st: state, sv: cut(s.service, 100), pd: cut(s.product, 200),
      v: cut(s.version, 200), x: cut(s.extraInfo, 300), cpe: s.cpes ?? [],
    });
    if (s.web) this.addPage(s.web);
    return null;
  }

  /** A root URL's answer refreshes the site at that URL (deeper paths say nothing of the home page). */
  private addPage(web: NonNullable<ParsedService['web']>): void {
    let url: URL;
    try {
      url = new URL(web.url);
    } catch {
      return;
    }
    if (url.pathname !== '/' || url.search) return;
    this.pages.set(url.origin.toLowerCase(), {
      origin: url.origin.toLowerCase(), code: web.statusCode, title: cut(web.title, 500), server: cut(web.webserver, 200),
    });
  }

  addCoverage(c: ParsedCoverage): void {
    if (PROTOCOLS.has(c.protocol)) this.coverage.push({ protocol: c.protocol.toUpperCase(), ranges: c.ranges });
  }

  get full(): boolean {
    return this.ports.size + this.hosts.size + this.pages.size >= ASSET_FLUSH_SIZE;
  }

  async flush(): Promise<void> {
    const hosts = [...this.hosts.values()].sort((a, b) => (a.ip < b.ip ? -1 : 1));
    const ports = [...this.ports.values()];
    const pages = [...this.pages.values()];
    this.hosts = new Map();
    this.ports = new Map();
    this.pages = new Map();
    if (hosts.length) await this.writeHosts(hosts);
    if (ports.length) await this.writePorts(ports);
    if (pages.length) await this.refreshSites(pages);
  }

  /** Writes what is buffered, then applies the scan's coverage, the hosts it found down, and exposures. */
  async finish(): Promise<AssetImportResult> {
    await this.flush();
    const ips = [...this.seenUp];
    this.result.closed = await closeUncovered(this.client, this.ctx, ips, this.coverage);
    await markDown(this.client, this.ctx, [...this.down].filter((ip) => !this.seenUp.has(ip)));
    if (ips.length || this.down.size) {
      const e = await applyExposures(this.client, this.ctx);
      this.result.exposuresOpened = e.opened;
      this.result.exposuresClosed = e.closed;
    }
    return this.result;
  }

  private async writeHosts(hosts: HostRow[]): Promise<void> {
    const { organizationId, seenAt } = this.ctx;
    // An older scan applied late neither revives a host nor replaces newer OS details.
    await this.client.query(
      `INSERT INTO "Asset" ("organizationId", ip, hostnames, "osName", "osFamily", "osAccuracy", liveness, "firstSeen", "lastSeen", "updatedAt")
       SELECT $1, t.ip, t.hn, t.os, t.fam, t.acc, 'UP', $2, $2, now()
       FROM json_to_recordset($3::json) AS t(ip inet, hn text[], os text, fam text, acc int)
       ON CONFLICT ("organizationId", ip) DO UPDATE SET
         hostnames = ARRAY(SELECT DISTINCT ON (n) n FROM unnest(EXCLUDED.hostnames || "Asset".hostnames) WITH ORDINALITY AS x(n, i) ORDER BY n, i),
         "osName" = CASE WHEN EXCLUDED."osName" IS NOT NULL AND EXCLUDED."lastSeen" >= "Asset"."lastSeen" THEN EXCLUDED."osName" ELSE "Asset"."osName" END,
         "osFamily" = CASE WHEN EXCLUDED."osName" IS NOT NULL AND EXCLUDED."lastSeen" >= "Asset"."lastSeen" THEN EXCLUDED."osFamily" ELSE "Asset"."osFamily" END,
         "osAccuracy" = CASE WHEN EXCLUDED."osName" IS NOT NULL AND EXCLUDED."lastSeen" >= "Asset"."lastSeen" THEN EXCLUDED."osAccuracy" ELSE "Asset"."osAccuracy" END,
         liveness = CASE WHEN EXCLUDED."lastSeen" >= "Asset"."lastSeen" THEN 'UP'::"AssetLiveness" ELSE "Asset".liveness END,
         "firstSeen" = LEAST("Asset"."firstSeen", EXCLUDED."firstSeen"),
         "lastSeen" = GREATEST("Asset"."lastSeen", EXCLUDED."lastSeen"),
         "updatedAt" = now()`,
      [organizationId, seenAt, JSON.stringify(hosts)],
    );
    // A site is served by the asset when its probed IP or its host is the asset's address, or its host is one of the asset's names.
    await this.client.query(
      `INSERT INTO "AssetSite" ("assetId", "siteId")
       SELECT a.id, s.id FROM "Asset" a
       JOIN "Site" s ON s."organizationId" = a."organizationId"
       CROSS JOIN LATERAL (SELECT lower(substring(s.url from '^[a-z][a-z0-9+.-]*://([^/:?#]+)')) AS h) site
       WHERE (s.ip = host(a.ip) OR site.h = host(a.ip) OR site.h = ANY(a.hostnames))
         AND
       a."organizationId" = $1 AND a.ip = ANY($2::inet[])
       ON CONFLICT DO NOTHING`,
      [organizationId, hosts.map((h) => h.ip)],
    );
  }

  /** Sites at these origins get liveness, status, title and server from the scan (like a probe would). */
  private async refreshSites(pages: PageRow[]): Promise<void> {
    await this.client.query(
      `UPDATE "Site" s SET liveness = 'ALIVE', "httpStatus" = t.code, title = COALESCE(t.title, s.title), server = COALESCE(t.server, s.server),
         "probeError" = CASE WHEN t.code >= 500 THEN 'HTTP_5XX'::"ProbeError" WHEN t.code >= 400 THEN 'HTTP_4XX'::"ProbeError" END,
         "updatedAt" = now()
       FROM json_to_recordset($2::json) AS t(origin text, code int, title text, server text)
       WHERE s."organizationId" = $1 AND s.url IN (t.origin, t.origin || '/')`,
      [this.ctx.organizationId, JSON.stringify(pages)],
    );
  }

  private async writePorts(ports: PortRow[]): Promise<void> {
    const { organizationId, seenAt, taskId, scanner } = this.ctx;
    const json = JSON.stringify(ports);
    const rows = `SELECT a.id AS aid, t.* FROM json_to_recordset($2::json)
        AS t(ip inet, p int, pr "PortProtocol", st "PortState", sv text, pd text, v text, x text, cpe text[])
      JOIN "Asset" a ON a."organizationId" = $1 AND a.ip = t.ip`;
    // State changes first (rows locked in key order), while the old state is still there.
    await this.client.query(
      `WITH t AS (${rows}),
       changed AS (
         SELECT sp.id, sp.state, t.st FROM "ServicePort" sp
         JOIN t ON sp."assetId" = t.aid AND sp.protocol = t.pr AND sp.port = t.p
         WHERE sp.state <> t.st AND sp."lastSeen" <= $3
         ORDER BY sp.id FOR UPDATE OF sp)
       INSERT INTO "ServicePortHistory" ("servicePortId", "fromState", "toState", "taskId", reason)
       SELECT id, state, st, $4, $5 FROM changed`,
      [organizationId, json, seenAt, taskId, `Seen by task ${taskId} (${scanner})`],
    );
    const res = await this.client.query<{ created: string; updated: string }>(
      `WITH t AS (${rows}),
       up AS (
         INSERT INTO "ServicePort" ("organizationId", "assetId", port, protocol, state, service, product, version, "extraInfo", cpes,
           scanner, "lastTaskId", "firstSeen", "lastSeen", "stateChangedAt")
         SELECT $1, aid, p, pr, st, sv, pd, v, x, cpe, $4, $5, $3, $3, $3 FROM t ORDER BY aid, pr, p
         ON CONFLICT ("assetId", protocol, port) DO UPDATE SET
           state = CASE WHEN EXCLUDED."lastSeen" >= "ServicePort"."lastSeen" THEN EXCLUDED.state ELSE "ServicePort".state END,
           "stateChangedAt" = CASE WHEN EXCLUDED."lastSeen" >= "ServicePort"."lastSeen" AND EXCLUDED.state <> "ServicePort".state
             THEN EXCLUDED."stateChangedAt" ELSE "ServicePort"."stateChangedAt" END,
           service = COALESCE(EXCLUDED.service, "ServicePort".service),
           product = COALESCE(EXCLUDED.product, "ServicePort".product),
           version = COALESCE(EXCLUDED.version, "ServicePort".version),
           "extraInfo" = COALESCE(EXCLUDED."extraInfo", "ServicePort"."extraInfo"),
           cpes = CASE WHEN cardinality(EXCLUDED.cpes) > 0 THEN EXCLUDED.cpes ELSE "ServicePort".cpes END,
           scanner = EXCLUDED.scanner,
           "lastTaskId" = EXCLUDED."lastTaskId",
           "lastSeen" = GREATEST("ServicePort"."lastSeen", EXCLUDED."lastSeen")
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`,
      [organizationId, json, seenAt, scanner, taskId],
    );
    this.result.created += Number(res.rows[0].created);
    this.result.updated += Number(res.rows[0].updated);
  }
}

/** Cuts a value to its column's size. */
const cut = (value: string | undefined, max: number): string | null => (value ? value.slice(0, max) : null);
