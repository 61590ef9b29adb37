import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScopeId } from '../common/auth/scope.js';
import { IngestDb } from '../db/ingest-db.js';
import { SqlPool } from '../db/sql-pool.js';
import { recomputeOrganization } from './asset-stats.recompute.js';
import type { AssetStats, StatCount } from './models/asset-stats.model.js';

/** The kinds of AssetStat listed as key/count lists (riskyAsset is listed with its assets). */
export const LIST_KINDS = ['liveness', 'os', 'port', 'service', 'exposure', 'vulnLevel', 'vulnKind'];
/** Organisations recomputed per run. */
const ORGS_PER_RUN = 100;
// Advisory lock namespace of the asset statistics (one holder per organisation at a time).
const LOCK_SPACE = 1_100_011;

// The parts of stats()'s statement; $1 the organisation (null: all), $2 the top N, $3 LIST_KINDS.
/** One organisation: the top rows of each kind straight from the (organizationId, kind, count) index. */
const ORG_LISTS_SQL = `SELECT coalesce(json_agg(json_build_object('kind', k.kind, 'key', s.key, 'count', s.count)), '[]')
  FROM unnest($3::text[]) AS k(kind)
  CROSS JOIN LATERAL (SELECT key, count FROM "AssetStat" WHERE "organizationId" = $1::int AND kind = k.kind ORDER BY count DESC, key LIMIT $2) s`;
/** Every organisation (administrators): summed per key first. */
const ALL_LISTS_SQL = `SELECT coalesce(json_agg(json_build_object('kind', kind, 'key', key, 'count', count) ORDER BY kind, count DESC, key), '[]') FROM (
    SELECT kind, key, sum(count)::int AS count, row_number() OVER (PARTITION BY kind ORDER BY sum(count) DESC, key) AS rank
    FROM "AssetStat" WHERE kind = ANY($3::text[]) GROUP BY kind, key) s
  WHERE rank <= $2`;
const RISKIEST_SQL = `SELECT coalesce(json_agg(json_build_object('assetId', r.id, 'ip', r.ip, 'score', r.score) ORDER BY r.score DESC, r.id), '[]') FROM (
    SELECT s.key::int AS id, host(a.ip) AS ip, s.count AS score FROM "AssetStat" s JOIN "Asset" a ON a.id = s.key::int
    WHERE ($1::int IS NULL OR s."organizationId" = $1::int) AND s.kind = 'riskyAsset'
    ORDER BY s.count DESC, s.key::int LIMIT $2) r`;
// createdAt is a UTC timestamp without zone: read it as UTC whatever the process's zone.
const PENDING_SQL = `SELECT min("createdAt") AT TIME ZONE 'UTC' FROM "AssetStatDirty" WHERE ($1::int IS NULL OR "organizationId" = $1::int)`;

/** What assetStatsSql answers: the lists as JSON, the riskiest assets as JSON, the oldest mark. */
type StatsRow = { lists: { kind: string; key: string; count: number }[]; risky: AssetStats['riskiestAssets']; pending: Date | null };

/** stats()'s one statement for an organisation (null: all of them); parameters: [org, top, LIST_KINDS]. */
export const assetStatsSql = (org: number | null): string =>
  `SELECT (${org === null ? ALL_LISTS_SQL : ORG_LISTS_SQL}) AS lists, (${RISKIEST_SQL}) AS risky, (${PENDING_SQL}) AS pending`;

/**
 * Asset statistics, precomputed per organisation (AssetStat). Writers only mark organisations
 * dirty (triggers); recomputeDirty() rebuilds their rows from the source tables. Reads never
 * scan assets or ports; `pendingSince` shows the lag.
 */
@Injectable()
export class AssetStatsService {
  private readonly log = new Logger(AssetStatsService.name);

  constructor(
    private readonly sql: SqlPool,
    private readonly db: IngestDb,
  ) {}

  /**
   * Recomputes dirty organisations; answers how many it rebuilt. With `settle`, an organisation
   * still being written to (a mark younger than settle.quietMs) waits, unless its oldest mark is
   * older than settle.maxLagMs: a long import is then not slowed by a rebuild after every chunk,
   * and the statistics still lag by at most about maxLagMs.
   */
  async recomputeDirty(settle?: { quietMs: number; maxLagMs: number }): Promise<number> {
    const dirty = await this.db.pool.query<{ org: number }>(
      `SELECT "organizationId" AS org FROM "AssetStatDirty" GROUP BY 1
       HAVING $1::int IS NULL OR max("createdAt") < localtimestamp - make_interval(secs => $1::int / 1000.0)
           OR min("createdAt") < localtimestamp - make_interval(secs => $2::int / 1000.0)
       ORDER BY 1 LIMIT ${ORGS_PER_RUN}`,
      [settle?.quietMs ?? null, settle?.maxLagMs ?? null],
    );
    let done = 0;
    for (const { org } of dirty.rows) if (await this.recompute(org)) done++;
    if (done) this.log.debug(`asset statistics rebuilt for ${done} organisations`);
    return done;
  }

  /**
   * One organisation, in one transaction: take its lock (else another worker is on it), read the
   * dirty marks committed so far, rebuild from the source rows, delete exactly those marks. A
   * change committed after the marks were read keeps its own mark for the next run.
   */
  private recompute(organizationId: number): Promise<boolean> {
    return this.db.tx(async (c) => {
      const lock = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [LOCK_SPACE, organizationId]);
      if (!lock.rows[0].ok) return false;
      const marks = await c.query<{ xid: string }>('SELECT xid FROM "AssetStatDirty" WHERE "organizationId" = $1', [organizationId]);
      if (!marks.rowCount) return false;
      await recomputeOrganization(c, organizationId);
      await c.query('DELETE FROM "AssetStatDirty" WHERE "organizationId" = $1 AND xid = ANY($2::bigint[])', [
        organizationId, marks.rows.map((m) => m.xid),
      ]);
      return true;
    });
  }

  /**
   * The statistics in one statement (one round trip): the top rows of each kind, the riskiest
   * assets and the oldest pending change, as of one snapshot.
   */
  async stats(principal: Principal, organizationId: number | undefined, top: number): Promise<AssetStats> {
    const org = orgScopeId(principal) ?? organizationId ?? null;
    const [row] = await this.sql.rows<StatsRow>(assetStatsSql(org), [org, top, LIST_KINDS]);
    const of = (kind: string): StatCount[] => row.lists.filter((r) => r.kind === kind).map((r) => ({ key: r.key, count: r.count }));
    return {
      liveness: of('liveness'),
      osFamilies: of('os'),
      topPorts: of('port'),
      topServices: of('service'),
      exposuresByRisk: of('exposure'),
      vulnsByLevel: of('vulnLevel'),
      vulnsByKind: of('vulnKind'),
      riskiestAssets: row.risky,
      pendingSince: row.pending,
    };
  }
}
