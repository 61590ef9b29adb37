import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScopeId } from '../common/auth/scope.js';
import { IngestDb } from '../db/ingest-db.js';
import { SqlPool } from '../db/sql-pool.js';
import { recomputeOrganization } from './asset-stats.recompute.js';
import type { AssetStats, StatCount } from './models/asset-stats.model.js';

/** The kinds of AssetStat listed as key/count lists (riskyAsset is listed with its assets). */
const LIST_KINDS = ['liveness', 'os', 'port', 'service', 'exposure', 'vulnLevel', 'vulnKind'];
/** Organisations recomputed per run. */
const ORGS_PER_RUN = 100;
// Advisory lock namespace of the asset statistics (one holder per organisation at a time).
const LOCK_SPACE = 1_100_011;

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

  async stats(principal: Principal, organizationId: number | undefined, top: number): Promise<AssetStats> {
    const org = orgScopeId(principal) ?? organizationId ?? null;
    const [rows, risky, pending] = await Promise.all([this.lists(org, top), this.riskiest(org, top), this.pendingSince(org)]);
    const of = (kind: string): StatCount[] => rows.filter((r) => r.kind === kind).map((r) => ({ key: r.key, count: r.count }));
    return {
      liveness: of('liveness'),
      osFamilies: of('os'),
      topPorts: of('port'),
      topServices: of('service'),
      exposuresByRisk: of('exposure'),
      vulnsByLevel: of('vulnLevel'),
      vulnsByKind: of('vulnKind'),
      riskiestAssets: risky,
      pendingSince: pending,
    };
  }

  /**
   * One organisation: the top rows of each kind straight from the (organizationId, kind, count)
   * index. Every organisation (administrators): summed per key first.
   */
  private lists(org: number | null, top: number) {
    return org === null
      ? this.sql.rows<{ kind: string; key: string; count: number }>(
          `SELECT kind, key, count FROM (
             SELECT kind, key, sum(count)::int AS count, row_number() OVER (PARTITION BY kind ORDER BY sum(count) DESC, key) AS rank
             FROM "AssetStat" WHERE kind <> 'riskyAsset' GROUP BY kind, key) s
           WHERE rank <= $1 ORDER BY kind, count DESC, key`,
          [top],
        )
      : this.sql.rows<{ kind: string; key: string; count: number }>(
          `SELECT k.kind, s.key, s.count FROM unnest($1::text[]) AS k(kind)
           CROSS JOIN LATERAL (SELECT key, count FROM "AssetStat" WHERE "organizationId" = $2::int AND kind = k.kind
             ORDER BY count DESC, key LIMIT $3) s`,
          [LIST_KINDS, org, top],
        );
  }

  private riskiest(org: number | null, top: number) {
    return this.sql.rows<{ assetId: number; ip: string; score: number }>(
      `SELECT s.key::int AS "assetId", host(a.ip) AS ip, s.count AS score FROM "AssetStat" s JOIN "Asset" a ON a.id = s.key::int
       WHERE ($1::int IS NULL OR s."organizationId" = $1::int) AND s.kind = 'riskyAsset'
       ORDER BY s.count DESC, s.key::int LIMIT $2`,
      [org, top],
    );
  }

  private async pendingSince(org: number | null): Promise<Date | null> {
    // createdAt is a UTC timestamp without zone: read it as UTC whatever the process's zone.
    const r = await this.sql.rows<{ since: Date | null }>(
      `SELECT min("createdAt") AT TIME ZONE 'UTC' AS since FROM "AssetStatDirty" WHERE ($1::int IS NULL OR "organizationId" = $1::int)`,
      [org],
    );
    return r[0]?.since ?? null;
  }
}
