import pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';
import { findingFilterSql } from '../vulns/finding-filter.sql.js';
import type { VulnFilter } from '../vulns/inputs/vuln-filter.input.js';
import { LEVELS } from './labels.js';
import type { SiteFindingCounts, SiteSummary } from './site-summary.js';

/** Evidence kept per finding in a report; the rest is dropped with a note. */
export const REPORT_EVIDENCE_CHARS = 4000;
/** Findings fetched per round trip of the report's cursor. */
const BATCH_ROWS = 500;

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

/** Everything a report shows but its findings (which are streamed: see reportFindings). */
export interface ReportHeader {
  organization: string;
  site: { name: string; url: string; securityScore: number | null; riskLevel: string };
  /** The filter's seen range when given, else the listed findings' own. */
  from: Date | null;
  to: Date | null;
  generatedAt: Date;
  /** The summary table: the whole site, from the statistics. */
  counts: SiteFindingCounts;
  /** When the statistics have changes to the site not counted yet, the oldest. */
  statsPendingSince: Date | null;
  /** Findings the filter lists, per level (the detail section's headings). */
  listed: Record<VulnLevel, number>;
}

/** Where a report's findings come from: the site and the list's filter. */
export interface ReportSelection {
  siteId: number;
  filter: VulnFilter;
}

export const listedTotal = (h: Pick<ReportHeader, 'listed'>) => LEVELS.reduce((n, l) => n + h.listed[l], 0);

/** The findings a report would list for this filter, per level (cheap: no finding is read whole). */
export async function countListed(db: pg.Pool | pg.ClientBase, { siteId, filter }: ReportSelection) {
  const params: unknown[] = [];
  const where = findingFilterSql(null, { ...filter, siteId }, params);
  const needsEntry = Boolean(filter.kind || filter.name || filter.text);
  const { rows } = await db.query<{ level: VulnLevel; n: number; first: Date | null; last: Date | null }>(
    `SELECT f.level, count(*)::int AS n, min(f."firstSeen") AT TIME ZONE 'UTC' AS first, max(f."lastSeen") AT TIME ZONE 'UTC' AS last
     FROM "Finding" f ${needsEntry ? 'JOIN "VulnEntry" e ON e.id = f."entryId"' : ''} WHERE ${where} GROUP BY f.level`,
    params,
  );
  const listed = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<VulnLevel, number>;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const r of rows) {
    listed[r.level] = r.n;
    if (r.first && (!first || r.first < first)) first = r.first;
    if (r.last && (!last || r.last > last)) last = r.last;
  }
  return { listed, first, last };
}

/** The cover, the summary (from the statistics) and the listed counts, in three small queries. */
export async function loadReportHeader(db: pg.Pool, selection: ReportSelection, summary: SiteSummary, now = new Date()): Promise<ReportHeader> {
  const site = await db.query<{ name: string; url: string; securityScore: number | null; riskLevel: string; organization: string }>(
    `SELECT s.name, s.url, s."securityScore", s."riskLevel", o.name AS organization
     FROM "Site" s JOIN "Organization" o ON o.id = s."organizationId" WHERE s.id = $1`,
    [selection.siteId],
  );
  if (!site.rows[0]) throw new Error(`site ${selection.siteId} no longer exists`);
  const { organization, ...siteRow } = site.rows[0];
  const { listed, first, last } = await countListed(db, selection);
  return {
    organization,
    site: siteRow,
    from: selection.filter.seenFrom ?? first,
    to: selection.filter.seenTo ?? last,
    generatedAt: now,
    counts: summary.counts,
    statsPendingSince: summary.pendingSince,
    listed,
  };
}

type Row = Omit<ReportFinding, 'history'> & { history: { at: string; from: FindingStatus | null; to: FindingStatus; by: string | null; reason: string }[] };

/**
 * The listed findings, most serious level first, streamed by a server-side cursor (BATCH_ROWS
 * a fetch: never the whole list in memory), each with its status history, evidence cut in SQL
 * (never loaded whole). Timestamps are stored as UTC in `timestamp` columns: read AT TIME ZONE 'UTC'.
 */
export async function* reportFindings(client: pg.ClientBase, { siteId, filter }: ReportSelection): AsyncGenerator<ReportFinding> {
  const params: unknown[] = [];
  const where = findingFilterSql(null, { ...filter, siteId }, params);
  const text = `
    SELECT f.id, e.name, f.level, f.status, f.url, f.parameter, left(f.evidence, ${REPORT_EVIDENCE_CHARS}) AS evidence,
           coalesce(length(f.evidence), 0) AS "evidenceLength", e.description, e.solution, coalesce(e."references", '{}') AS "references",
           f."firstSeen" AT TIME ZONE 'UTC' AS "firstSeen", f."lastSeen" AT TIME ZONE 'UTC' AS "lastSeen",
           coalesce((SELECT json_agg(json_build_object('at', h."createdAt" AT TIME ZONE 'UTC', 'from', h."fromStatus", 'to', h."toStatus",
                                                       'by', u.username, 'reason', h.reason) ORDER BY h.id)
                     FROM "FindingHistory" h LEFT JOIN "User" u ON u.id = h."userId" WHERE h."findingId" = f.id), '[]') AS history
    FROM "Finding" f JOIN "VulnEntry" e ON e.id = f."entryId"
    WHERE ${where}
    ORDER BY array_position(enum_range(NULL::"VulnLevel"), f.level), f.id`;
  const stream = client.query(new QueryStream(text, params, { batchSize: BATCH_ROWS }));
  try {
    for await (const row of stream as AsyncIterable<Row>) {
      yield { ...row, history: row.history.map((h) => ({ ...h, at: new Date(h.at) })) };
    }
  } finally {
    stream.destroy();
  }
}

/**
 * A connection of its own for the cursor (the report builder's child process has no pool):
 * reads the findings, then closes.
 */
export async function* reportFindingsFrom(databaseUrl: string, selection: ReportSelection): AsyncGenerator<ReportFinding> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    yield* reportFindings(client, selection);
  } finally {
    await client.end().catch(() => undefined);
  }
}
