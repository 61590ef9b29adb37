import type pg from 'pg';
import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';
import { findingFilterSql } from '../vulns/finding-filter.sql.js';
import type { VulnFilter } from '../vulns/inputs/vuln-filter.input.js';
import { siteFindingCounts, type SiteFindingCounts } from './site-summary.js';

/** Evidence kept per finding in a report; the rest is dropped with a note. */
export const REPORT_EVIDENCE_CHARS = 4000;

export interface ReportFinding {
  id: number;
  name: string;
  level: VulnLevel;
  status: FindingStatus;
  url: string | null;
  parameter: string | null;
  evidence: string | null;
  evidenceLength: number;
  description: string | null;
  solution: string | null;
  references: string[];
  firstSeen: Date;
  lastSeen: Date;
  history: { at: Date; from: FindingStatus | null; to: FindingStatus; by: string | null; reason: string }[];
}

export interface ReportData {
  organization: string;
  site: { name: string; url: string; securityScore: number | null; riskLevel: string };
  /** The filter's seen range when given, else the findings' own. */
  from: Date | null;
  to: Date | null;
  generatedAt: Date;
  counts: SiteFindingCounts;
  findings: ReportFinding[];
}

/**
 * Everything a site report shows, read in a few queries (evidence cut in SQL, never loaded
 * whole). Timestamps are stored as UTC in `timestamp` columns: read AT TIME ZONE 'UTC'.
 */
export async function loadReportData(db: pg.Pool, siteId: number, filter: VulnFilter, now = new Date()): Promise<ReportData> {
  const site = await db.query<{ name: string; url: string; securityScore: number | null; riskLevel: string; organization: string }>(
    `SELECT s.name, s.url, s."securityScore", s."riskLevel", o.name AS organization
     FROM "Site" s JOIN "Organization" o ON o.id = s."organizationId" WHERE s.id = $1`,
    [siteId],
  );
  if (!site.rows[0]) throw new Error(`site ${siteId} no longer exists`);
  const { organization, ...siteRow } = site.rows[0];
  const params: unknown[] = [];
  const where = findingFilterSql(null, { ...filter, siteId }, params);
  const found = await db.query<Omit<ReportFinding, 'history'>>(
    `SELECT f.id, e.name, f.level, f.status, f.url, f.parameter, left(f.evidence, ${REPORT_EVIDENCE_CHARS}) AS evidence,
            coalesce(length(f.evidence), 0) AS "evidenceLength", e.description, e.solution, coalesce(e."references", '{}') AS "references",
            f."firstSeen" AT TIME ZONE 'UTC' AS "firstSeen", f."lastSeen" AT TIME ZONE 'UTC' AS "lastSeen"
     FROM "Finding" f JOIN "VulnEntry" e ON e.id = f."entryId"
     WHERE ${where}
     ORDER BY array_position(enum_range(NULL::"VulnLevel"), f.level), f.id`,
    params,
  );
  const history = await db.query<ReportFinding['history'][number] & { findingId: number }>(
    `SELECT h."findingId", h."createdAt" AT TIME ZONE 'UTC' AS at, h."fromStatus" AS from, h."toStatus" AS to, u.username AS by, h.reason
     FROM "FindingHistory" h LEFT JOIN "User" u ON u.id = h."userId"
     WHERE h."findingId" = ANY($1::int[]) ORDER BY h."findingId", h.id`,
    [found.rows.map((f) => f.id)],
  );
  const byFinding = new Map<number, ReportFinding['history']>();
  for (const { findingId, ...h } of history.rows) {
    const list = byFinding.get(findingId) ?? [];
    list.push(h);
    byFinding.set(findingId, list);
  }
  const findings = found.rows.map((f) => ({ ...f, history: byFinding.get(f.id) ?? [] }));
  const edge = (pick: (f: ReportFinding) => Date, min: boolean) =>
    findings.length ? new Date(findings.reduce((m, f) => (min ? Math.min : Math.max)(m, pick(f).getTime()), min ? Infinity : -Infinity)) : null;
  return {
    organization,
    site: siteRow,
    from: filter.seenFrom ?? edge((f) => f.firstSeen, true),
    to: filter.seenTo ?? edge((f) => f.lastSeen, false),
    generatedAt: now,
    counts: await siteFindingCounts(db, siteId),
    findings,
  };
}
