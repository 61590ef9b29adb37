// Bulk SQL seed of organisations, users, sites, library entries and findings for the benchmarks
// that read (bench:stats, bench:load): realistic statuses, history and dates, in seconds.

export interface SeedSize {
  orgs: number;
  sitesPerOrg: number;
  findingsPerSite: number;
  entries: number;
}

/**
 * Organisations with a USER each (`bench-<org id>`) and an ADMIN (`bench-admin`); sites over the
 * cities; a library of `entries` entries of 3 scanners; `findingsPerSite` findings per site over
 * the past year (60% open, 25% fixed with their history row, 10% ignored, 5% false positives, 1%
 * in the trash); 5 related domains per site.
 */
export async function seedFindings(x: (sql: string) => Promise<unknown>, size: SeedSize): Promise<void> {
  const { orgs: ORGS, sitesPerOrg: SITES_PER_ORG, findingsPerSite: FINDINGS_PER_SITE, entries: ENTRIES } = size;
  await x(`INSERT INTO "Organization" ("name", "updatedAt") SELECT 'org-' || g, now() FROM generate_series(1, ${ORGS}) g`);
  await x(`INSERT INTO "User" ("username", "role", "organizationId", "updatedAt") SELECT 'bench-' || o.id, 'USER', o.id, now() FROM "Organization" o`);
  await x(`INSERT INTO "User" ("username", "role", "updatedAt") VALUES ('bench-admin', 'ADMIN', now())`);
  await x(`
    WITH cities AS (SELECT array_agg(code ORDER BY code) AS codes FROM "Area" WHERE level = 'CITY')
    INSERT INTO "Site" ("organizationId", url, domain, name, "areaCode", "updatedAt")
    SELECT o.id, 'https://s' || o.id || '-' || g || '.example.com', 's' || o.id || '-' || g || '.example.com', 'Site ' || o.id || '-' || g,
           c.codes[1 + (g * 7 + o.id) % 60], now()
    FROM "Organization" o CROSS JOIN generate_series(1, ${SITES_PER_ORG}) g CROSS JOIN cities c ORDER BY o.id, g`);
  await x(`INSERT INTO "RelatedDomain" ("siteId", hostname, source)
           SELECT s.id, 'h' || g || '.' || s.domain, (ARRAY['PROBE', 'SCANNER']::"RelatedDomainSource"[])[1 + g % 2]
           FROM "Site" s CROSS JOIN generate_series(1, 5) g`);
  await x(`INSERT INTO "VulnEntry" (key, scanner, "checkId", name, level, kind, "updatedAt")
           SELECT sc || ':c' || g, sc, 'c' || g, 'Check ' || g || ' (' || sc || ')',
                  (ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']::"VulnLevel"[])[1 + (g * 7) % 5],
                  (ARRAY['xss', 'sqli', 'csrf', 'tls', 'headers', 'info-leak', 'rce', 'auth', 'config', 'cookies', 'cors', 'dos'])[1 + g % 12], now()
           FROM generate_series(1, ${ENTRIES}) g, LATERAL (SELECT (ARRAY['zap', 'nuclei', 'openvas'])[1 + g % 3] AS sc) s`);
  // One statement: the statement-level triggers mark every site once.
  await x(`
    INSERT INTO "Finding" ("organizationId", "siteId", "entryId", scanner, url, location, level, status, fingerprint,
                           "firstSeen", "lastSeen", "statusChangedAt", "trashedAt")
    SELECT s."organizationId", s.id, e.id, e.scanner, s.url || '/p' || g, s.url || '/p' || g, e.level,
           (CASE WHEN g % 20 < 12 THEN 'OPEN' WHEN g % 20 < 17 THEN 'FIXED' WHEN g % 20 < 19 THEN 'IGNORED' ELSE 'FALSE_POSITIVE' END)::"FindingStatus",
           md5(s.id || ':' || g) || md5(g || ':' || s.id),
           now() - ((g * 13 + s.id) % 365) * interval '1 day' - (g % 24) * interval '1 hour', now(), now(),
           CASE WHEN g % 100 = 7 THEN now() END
    FROM "Site" s CROSS JOIN generate_series(1, ${FINDINGS_PER_SITE}) g
    JOIN "VulnEntry" e ON e.id = 1 + ((g * g + s.id) % ${ENTRIES})`);
  await x(`
    INSERT INTO "FindingHistory" ("findingId", "fromStatus", "toStatus", reason, "createdAt")
    SELECT id, 'OPEN', status, 'bench', LEAST(now(), "firstSeen" + (id % 40) * interval '1 day' + interval '5 hours')
    FROM "Finding" WHERE status <> 'OPEN'`);
  await x('VACUUM ANALYZE');
}
