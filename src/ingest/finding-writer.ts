// Writes checked findings in bulk: library entries first (one query per step for the whole
// chunk), then the findings in one statement (FindingRepository.upsertSeen). Never a query per row.
import type pg from 'pg';
import { entryKey } from '../vulns/entry-key.js';
import { FINGERPRINT_VERSION, fingerprintOf } from './findings/fingerprint.js';
import type { FindingRepository, SeenFinding } from '../vulns/finding.repository.js';
import type { IncomingFinding } from './incoming-finding.js';

export interface WriteContext {
  organizationId: number;
  taskId: number;
  apiKeyId: number | null;
  /** When the findings were seen (the batch's receipt time, so re-applying changes nothing). */
  seenAt: Date;
}

export interface WriteResult {
  created: number;
  updated: number;
  reopened: number;
}

/**
 * Library entry ids for the findings' keys, one set-based query per step for the whole chunk:
 * the organisation's own entry by key, else by exact name, else a curated (global) entry by
 * scanner check id, else a new entry of the organisation. Scanner data never creates or changes
 * a curated entry, and never reaches another organisation's.
 */
export async function resolveEntries(client: pg.PoolClient, organizationId: number, findings: IncomingFinding[]): Promise<Map<string, number>> {
  const byKey = new Map<string, IncomingFinding>();
  for (const f of findings) {
    const key = entryKey(f.scanner, f.checkId, f.name);
    if (!byKey.has(key)) byKey.set(key, f);
  }
  const ids = new Map<string, number>();
  const keys = [...byKey.keys()];
  const found = await client.query<{ id: number; key: string }>(
    'SELECT id, key FROM "VulnEntry" WHERE "organizationId" = $1 AND key = ANY($2::text[])',
    [organizationId, keys],
  );
  for (const r of found.rows) ids.set(r.key, r.id);

  let missing = keys.filter((k) => !ids.has(k));
  if (missing.length) {
    const names = [...new Set(missing.map((k) => byKey.get(k)!.name))];
    const byName = await client.query<{ id: number; name: string }>(
      'SELECT DISTINCT ON (name) id, name FROM "VulnEntry" WHERE "organizationId" = $1 AND name = ANY($2::text[]) ORDER BY name, id',
      [organizationId, names],
    );
    const nameIds = new Map(byName.rows.map((r) => [r.name, r.id]));
    for (const k of missing) {
      const id = nameIds.get(byKey.get(k)!.name);
      if (id !== undefined) ids.set(k, id);
    }
    missing = missing.filter((k) => !ids.has(k));
  }
  // A check key ("zap:10020") is the same text for a curated entry of that check.
  const checkKeys = missing.filter((k) => byKey.get(k)!.checkId);
  if (checkKeys.length) {
    const curated = await client.query<{ id: number; key: string }>(
      'SELECT id, key FROM "VulnEntry" WHERE "organizationId" IS NULL AND key = ANY($1::text[])',
      [checkKeys],
    );
    for (const r of curated.rows) ids.set(r.key, r.id);
    missing = missing.filter((k) => !ids.has(k));
  }
  if (missing.length) {
    const rows = missing.map((k) => byKey.get(k)!);
    const col = <T>(fn: (f: IncomingFinding) => T) => rows.map(fn);
    await client.query(
      `INSERT INTO "VulnEntry" ("organizationId", key, scanner, "checkId", name, level, kind, description, solution, "references", cve, cwe, "updatedAt")
       SELECT $12, k, sc, ci, n, lv::"VulnLevel", kd, d, so,
         ARRAY(SELECT jsonb_array_elements_text(r::jsonb)), ARRAY(SELECT jsonb_array_elements_text(cv::jsonb)),
         ARRAY(SELECT jsonb_array_elements_text(cw::jsonb)), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS t(k, sc, ci, n, lv, kd, d, so, r, cv, cw)
       ON CONFLICT ("organizationId", key) DO NOTHING`,
      [
        missing,
        col((f) => (f.checkId ? f.scanner : null)),
        col((f) => f.checkId),
        col((f) => f.name),
        col((f) => f.level),
        col((f) => f.kind),
        col((f) => f.description),
        col((f) => f.solution),
        col((f) => JSON.stringify(f.references)),
        col((f) => JSON.stringify(f.cve)),
        col((f) => JSON.stringify(f.cwe)),
        organizationId,
      ],
    );
    const added = await client.query<{ id: number; key: string }>(
      'SELECT id, key FROM "VulnEntry" WHERE "organizationId" = $1 AND key = ANY($2::text[])',
      [organizationId, missing],
    );
    for (const r of added.rows) ids.set(r.key, r.id);
  }
  return ids;
}

/** Upserts findings by fingerprint: new ones are created, known ones seen again, FIXED ones re-opened. */
export async function writeFindings(repo: FindingRepository, client: pg.PoolClient, ctx: WriteContext, findings: IncomingFinding[]): Promise<WriteResult> {
  if (!findings.length) return { created: 0, updated: 0, reopened: 0 };
  const entries = await resolveEntries(client, ctx.organizationId, findings);
  // One row per fingerprint (the last one wins), sorted so concurrent writers lock rows in the same order.
  const rows = new Map<string, SeenFinding>();
  for (const f of findings) {
    const entryId = entries.get(entryKey(f.scanner, f.checkId, f.name))!;
    const { hash, components } = fingerprintOf({ siteId: String(f.siteId), entryKey: String(entryId), location: f.location, parameter: f.parameter });
    rows.set(hash, {
      siteId: f.siteId, entryId, scanner: f.scanner, url: f.url, parameter: components.parameter, evidence: f.evidence, level: f.level,
      fingerprint: hash, location: components.location,
    });
  }
  const list = [...rows.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  const w = await repo.upsertSeen(client, { ...ctx, fingerprintVersion: FINGERPRINT_VERSION }, list);
  // A finding repeated inside the chunk is a known finding seen again: received = created + updated + rejected.
  return { ...w, updated: w.updated + findings.length - list.length };
}
