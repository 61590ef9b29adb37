// Every statistic computed straight from the source rows (Finding, FindingHistory, Site,
// RelatedDomain) with GROUP BY, written independently of src/stats, to compare the API with.
import { riskLevel, securityScore, type LevelCounts } from '../../src/sites/score.js';
import type { TestApp } from '../helpers/test-app.js';

export interface RefFilter {
  organizationId?: number;
  areaCode?: string;
  tagId?: number;
  siteId?: number;
  levels?: string[];
  statuses?: string[];
  scanner?: string;
}

const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
const STATUSES = ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE'];

export class Reference {
  constructor(private readonly t: TestApp) {}

  private sites(f: RefFilter, p: unknown[]): string {
    const c = ['TRUE'];
    const add = (v: unknown) => (p.push(v), `$${p.length}`);
    if (f.organizationId) c.push(`s."organizationId" = ${add(f.organizationId)}::int`);
    if (f.areaCode) {
      const a = add(f.areaCode);
      c.push(`(s."areaCode" = ${a}::text OR s."areaCode" IN (SELECT code FROM "Area" WHERE "parentCode" = ${a}::text))`);
    }
    if (f.tagId) c.push(`s.id IN (SELECT "siteId" FROM "SiteTag" WHERE "tagId" = ${add(f.tagId)}::int)`);
    if (f.siteId) c.push(`s.id = ${add(f.siteId)}::int`);
    return c.join(' AND ');
  }

  /** Live findings (not trashed) matching the filter, as a FROM ... WHERE fragment over f and s. */
  private findings(f: RefFilter, p: unknown[], statuses = true): string {
    const add = (v: unknown) => (p.push(v), `$${p.length}`);
    const c = [`f."trashedAt" IS NULL`, this.sites(f, p)];
    if (f.levels) c.push(`f.level::text = ANY(${add(f.levels)}::text[])`);
    if (statuses && f.statuses) c.push(`f.status::text = ANY(${add(f.statuses)}::text[])`);
    if (f.scanner) c.push(`f.scanner = ${add(f.scanner)}::text`);
    return `"Finding" f JOIN "Site" s ON s.id = f."siteId" WHERE ${c.join(' AND ')}`;
  }

  private q<T>(sql: string, p: unknown[]): Promise<T[]> {
    return this.t.prisma.$queryRawUnsafe<T[]>(sql, ...p);
  }

  async totals(f: RefFilter) {
    const p: unknown[] = [];
    const rows = await this.q<{ level: string; status: string; n: number }>(
      `SELECT f.level::text, f.status::text, count(*)::int AS n FROM ${this.findings(f, p)} GROUP BY 1, 2`, p);
    return LEVELS.filter((l) => !f.levels || f.levels.includes(l)).flatMap((level) =>
      STATUSES.filter((s) => !f.statuses || f.statuses.includes(s)).map((status) => ({
        level, status, count: rows.find((r) => r.level === level && r.status === status)?.n ?? 0,
      })));
  }

  async levels(f: RefFilter) {
    const p: unknown[] = [];
    const g = { ...f, statuses: f.statuses ?? ['OPEN'] };
    const rows = await this.q<{ level: string; n: number }>(`SELECT f.level::text, count(*)::int AS n FROM ${this.findings(g, p)} GROUP BY 1`, p);
    return LEVELS.filter((l) => !f.levels || f.levels.includes(l)).map((level) => ({ level, count: rows.find((r) => r.level === level)?.n ?? 0 }));
  }

  async areas(f: RefFilter, level: 'PROVINCE' | 'CITY', parentCode?: string) {
    const p: unknown[] = [];
    const g = { ...f, statuses: f.statuses ?? ['OPEN'] };
    const from = this.findings(g, p);
    p.push(level);
    const lv = `$${p.length}::text`;
    let parent = '';
    if (parentCode) {
      p.push(parentCode);
      parent = ` AND (a."parentCode" = $${p.length}::text OR a.code = $${p.length}::text)`;
    }
    const rows = await this.q<{ code: string | null; level: string; n: number }>(
      `SELECT CASE WHEN ${lv} = 'PROVINCE' THEN (CASE WHEN a.level = 'CITY' THEN a."parentCode" ELSE a.code END)
                   ELSE (CASE WHEN a.level = 'CITY' THEN a.code END) END AS code, f.level::text, count(*)::int AS n
       FROM ${from.replace('WHERE', 'LEFT JOIN "Area" a ON a.code = s."areaCode" WHERE')}${parent} GROUP BY 1, 2`, p);
    const codes = [...new Set(rows.map((r) => r.code))];
    return codes
      .map((code) => {
        const byLevel = LEVELS.filter((l) => !f.levels || f.levels.includes(l))
          .map((l) => ({ level: l, count: rows.filter((r) => r.code === code && r.level === l).reduce((s, r) => s + r.n, 0) }));
        return { areaCode: code, count: byLevel.reduce((s, x) => s + x.count, 0), byLevel };
      })
      .sort((a, b) => b.count - a.count || (a.areaCode ?? '~').localeCompare(b.areaCode ?? '~'));
  }

  async kinds(f: RefFilter) {
    const p: unknown[] = [];
    const g = { ...f, statuses: f.statuses ?? ['OPEN'] };
    return this.q<{ kind: string | null; count: number }>(
      `SELECT e.kind, count(*)::int AS count FROM ${this.findings(g, p).replace('WHERE', 'JOIN "VulnEntry" e ON e.id = f."entryId" WHERE')}
       GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST`, p);
  }

  async names(f: RefFilter, first: number) {
    const p: unknown[] = [];
    const g = { ...f, statuses: f.statuses ?? ['OPEN'] };
    const rows = await this.q<{ entryId: number; name: string; count: number }>(
      `SELECT e.id AS "entryId", e.name, count(*)::int AS count
       FROM ${this.findings(g, p).replace('WHERE', 'JOIN "VulnEntry" e ON e.id = f."entryId" WHERE')}
       GROUP BY e.id ORDER BY 3 DESC, 1 LIMIT ${first}`, p);
    return rows.map((r) => ({ ...r, entryId: String(r.entryId) }));
  }

  /** Score and risk of every site matching the filter, from its open findings. */
  async scores(f: RefFilter) {
    const p: unknown[] = [];
    const rows = await this.q<{ id: number; level: string | null; open: number; live: number }>(
      `SELECT s.id, f.level::text, count(*) FILTER (WHERE f.status = 'OPEN')::int AS open, count(f.id)::int AS live
       FROM "Site" s LEFT JOIN "Finding" f ON f."siteId" = s.id AND f."trashedAt" IS NULL
       WHERE ${this.sites(f, p)} GROUP BY 1, 2`, p);
    const out = new Map<number, { score: number | null; risk: string; open: LevelCounts }>();
    for (const id of new Set(rows.map((r) => r.id))) {
      const mine = rows.filter((r) => r.id === id);
      const open = Object.fromEntries(LEVELS.map((l) => [l, mine.find((r) => r.level === l)?.open ?? 0])) as LevelCounts;
      const live = mine.reduce((s, r) => s + r.live, 0);
      out.set(id, { score: live ? securityScore(open) : null, risk: riskLevel(open), open });
    }
    return out;
  }

  async riskDistribution(f: RefFilter) {
    const scores = await this.scores(f);
    return ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((riskLevel) => ({
      riskLevel, siteCount: [...scores.values()].filter((s) => s.risk === riskLevel).length,
    }));
  }

  /** Opened and fixed in [a, b), open at b (status at that time rebuilt from the history), fix time sum. */
  async period(f: RefFilter, a: Date, b: Date) {
    const p: unknown[] = [];
    const from = this.findings(f, p, false);
    const ts = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');
    p.push(ts(a), ts(b));
    const A = `$${p.length - 1}::timestamp`, B = `$${p.length}::timestamp`;
    const rows = await this.q<{ level: string; opened: number; fixed: number; openAtEnd: number; fixMs: string }>(
      `SELECT f.level::text,
         (count(*) FILTER (WHERE f."firstSeen" >= ${A} AND f."firstSeen" < ${B})
          + COALESCE(sum((SELECT count(*) FROM "FindingHistory" h WHERE h."findingId" = f.id AND h."toStatus" = 'OPEN'
                           AND h."createdAt" >= ${A} AND h."createdAt" < ${B})), 0))::int AS opened,
         COALESCE(sum((SELECT count(*) FROM "FindingHistory" h WHERE h."findingId" = f.id AND h."toStatus" = 'FIXED'
                           AND h."createdAt" >= ${A} AND h."createdAt" < ${B})), 0)::int AS fixed,
         count(*) FILTER (WHERE f."firstSeen" < ${B} AND COALESCE((SELECT h."toStatus" FROM "FindingHistory" h
                           WHERE h."findingId" = f.id AND h."createdAt" < ${B} ORDER BY h.id DESC LIMIT 1), 'OPEN') = 'OPEN')::int AS "openAtEnd",
         COALESCE(sum((SELECT sum(floor(extract(epoch FROM h."createdAt" - GREATEST(f."firstSeen",
                             (SELECT max(o."createdAt") FROM "FindingHistory" o WHERE o."findingId" = f.id AND o."toStatus" = 'OPEN' AND o.id < h.id))) * 1000))
                           FROM "FindingHistory" h WHERE h."findingId" = f.id AND h."toStatus" = 'FIXED'
                           AND h."createdAt" >= ${A} AND h."createdAt" < ${B})), 0)::text AS "fixMs"
       FROM ${from} GROUP BY 1`, p);
    return LEVELS.filter((l) => !f.levels || f.levels.includes(l)).map((level) => {
      const r = rows.find((x) => x.level === level);
      return { level, opened: r?.opened ?? 0, fixed: r?.fixed ?? 0, openAtEnd: r?.openAtEnd ?? 0, fixMs: Number(r?.fixMs ?? 0) };
    });
  }

  async relatedDomains(f: RefFilter, first: number) {
    const p: unknown[] = [];
    const sites = await this.q<{ siteId: number; name: string; count: number; probe: number; organizationId: number }>(
      `SELECT s.id AS "siteId", s.name, s."organizationId", count(*)::int AS count, count(*) FILTER (WHERE d.source = 'PROBE')::int AS probe
       FROM "RelatedDomain" d JOIN "Site" s ON s.id = d."siteId" WHERE ${this.sites(f, p)} GROUP BY s.id ORDER BY 4 DESC, 1`, p);
    const orgs = new Map<number, number>();
    for (const s of sites) orgs.set(s.organizationId, (orgs.get(s.organizationId) ?? 0) + s.count);
    const total = sites.reduce((s, x) => s + x.count, 0);
    const probe = sites.reduce((s, x) => s + x.probe, 0);
    return {
      total, probe, scanner: total - probe,
      sites: sites.slice(0, first).map((s) => ({ siteId: String(s.siteId), name: s.name, count: s.count })),
      organizations: [...orgs.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id, count]) => ({ organizationId: String(id), count })),
    };
  }
}
