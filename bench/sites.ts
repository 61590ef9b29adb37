// npm run bench:sites: 100,000 sites in 100 organisations in a dedicated database (BENCH_DATABASE_URL,
// default xsc_bench on the local PostgreSQL), the real app on a local port, and figures printed:
// p50/p95/p99 of filtered site lists through GraphQL with USER tokens, and batch adds of 10,000 rows.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { AccessTokenService } from '../src/common/auth/access-token.service.js';
import { createApp } from '../src/boot.js';
import { loadEnv } from '../src/config/env.schema.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { recreateDatabase } from './bench-db.js';

const ORGS = 100;
const SITES_PER_ORG = 1000;
const LIST_REQUESTS = 2000;
const WARMUP = 500;
const BATCH_ROWS = 10_000;

const dbUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench');

const freshDatabase = () => recreateDatabase(dbUrl.href);

/** 100 organisations, a USER each, 10 tags each, 1,000 sites each spread over areas, risk levels and liveness. */
async function seed(prisma: PrismaService): Promise<{ orgIds: number[]; userIds: number[]; tagIds: number[] }> {
  await prisma.$executeRaw`INSERT INTO "Organization" ("name", "updatedAt") SELECT 'org-' || g, now() FROM generate_series(1, ${ORGS}::int) g`;
  const orgs = await prisma.organization.findMany({ orderBy: { id: 'asc' } });
  await prisma.$executeRaw`INSERT INTO "User" ("username", "role", "organizationId", "updatedAt")
    SELECT 'bench-' || o.id, 'USER', o.id, now() FROM "Organization" o`;
  await prisma.$executeRaw`INSERT INTO "Tag" ("organizationId", "name") SELECT o.id, 'tag-' || g FROM "Organization" o, generate_series(1, 10) g`;
  await prisma.$executeRaw`
    WITH cities AS (SELECT array_agg("code" ORDER BY "code") AS codes FROM "Area" WHERE "level" = 'CITY')
    INSERT INTO "Site" ("organizationId", "url", "domain", "name", "areaCode", "liveness", "riskLevel", "securityScore",
                        "lastProbedAt", "title", "updatedAt")
    SELECT o.id,
           'https://www' || g || '.site' || o.id || '-' || g || '.example.com',
           'site' || o.id || '-' || g || '.example.com',
           (ARRAY['政府门户', 'Portal', '教育局', 'Hospital', '银行', 'News', '公安局', 'Shop'])[1 + g % 8] || ' ' || o.id || '-' || g,
           c.codes[1 + (g * 7 + o.id) % array_length(c.codes, 1)],
           (ARRAY['UNKNOWN', 'ALIVE', 'ALIVE', 'DEAD']::"Liveness"[])[1 + g % 4],
           (ARRAY['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']::"RiskLevel"[])[1 + (g / 3) % 5],
           CASE WHEN g % 5 = 0 THEN NULL ELSE (g * 37) % 100 END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE now() - (g || ' minutes')::interval END,
           'Title ' || g,
           now()
    FROM "Organization" o CROSS JOIN generate_series(1, ${SITES_PER_ORG}::int) g CROSS JOIN cities c
    ORDER BY o.id, g`; // organisation by organisation, as batch adds store them
  await prisma.$executeRaw`INSERT INTO "SiteTag" ("siteId", "tagId")
    SELECT s.id, t.id FROM "Site" s JOIN "Tag" t ON t."organizationId" = s."organizationId" AND t."name" = 'tag-' || (1 + s.id % 10)
    WHERE s.id % 3 = 0`;
  await prisma.$executeRawUnsafe('VACUUM ANALYZE'); // the steady state autovacuum keeps
  await prisma.$executeRawUnsafe('CHECKPOINT'); // the bulk load's writes flushed before measuring
  const users = await prisma.user.findMany({ where: { username: { startsWith: 'bench-' } }, orderBy: { organizationId: 'asc' } });
  const tags = await prisma.tag.findMany({ where: { name: 'tag-1' }, orderBy: { organizationId: 'asc' } });
  return { orgIds: orgs.map((o) => o.id), userIds: users.map((u) => u.id), tagIds: tags.map((t) => t.id) };
}

async function seeded(prisma: PrismaService) {
  await prisma.site.deleteMany({ where: { url: { endsWith: '.example.org' } } });
  const users = await prisma.user.findMany({ where: { username: { startsWith: 'bench-' } }, orderBy: { organizationId: 'asc' } });
  const tags = await prisma.tag.findMany({ where: { name: 'tag-1' }, orderBy: { organizationId: 'asc' } });
  return { userIds: users.map((u) => u.id), tagIds: tags.map((t) => t.id) };
}

const LIST = `query($f: SiteFilter, $s: SiteSort, $after: String) {
  sites(filter: $f, sort: $s, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id url domain name areaCode liveness httpStatus title riskLevel securityScore lastProbedAt }
  }
}`;

/** A rotation of realistic list requests: each filter on its own and combined, several sorts. */
function listVariables(i: number, tagId: number): Record<string, unknown> {
  const variants: Record<string, unknown>[] = [
    {},
    { f: { text: 'portal' } },
    { f: { text: '政府' }, s: { field: 'NAME', direction: 'ASC' } },
    { f: { areaCode: '440000' } },
    { f: { areaCode: '130100' } },
    { f: { riskLevels: ['HIGH', 'CRITICAL'] }, s: { field: 'SECURITY_SCORE', direction: 'DESC' } },
    { f: { liveness: ['DEAD'] }, s: { field: 'LAST_PROBED_AT', direction: 'DESC' } },
    { f: { tagIds: [String(tagId)] } },
    { f: { text: 'news', riskLevels: ['LOW'], liveness: ['ALIVE'] }, s: { field: 'URL', direction: 'ASC' } },
    { f: { text: '12' } },
  ];
  return variants[i % variants.length];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const reuse = process.env.BENCH_REUSE === '1'; // keep the seeded database of a previous run
  if (!reuse) await freshDatabase();
  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.href,
    PROCESS_ROLE: 'api',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `xsc-bench-${process.pid}`,
    ADMIN_USERNAME: '',
    ADMIN_PASSWORD: '',
  });
  const app = await createApp(env);
  await app.listen(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const prisma = app.get(PrismaService);
  const seedStart = Date.now();
  const { userIds, tagIds } = reuse ? await seeded(prisma) : await seed(prisma);
  const siteCount = await prisma.site.count();
  console.log(`seeded ${siteCount} sites in ${ORGS} organisations in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  const tokens = userIds.map((id) => app.get(AccessTokenService).sign({ id, role: 'USER' }, randomUUID()));

  const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data!;
  };

  // Other processes share the CPUs: the load average says how much the figures below are inflated.
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} before measuring`);
  // Filtered lists, one request at a time, rotating organisations and filters.
  const times: number[] = [];
  for (let i = 0; i < WARMUP + LIST_REQUESTS; i++) {
    const org = i % ORGS;
    const started = performance.now();
    const data = await gql(tokens[org], LIST, listVariables(i, tagIds[org]));
    const elapsed = performance.now() - started;
    if (i >= WARMUP) times.push(elapsed);
    if (i === WARMUP && data.sites.totalCount !== SITES_PER_ORG) throw new Error(`expected ${SITES_PER_ORG} sites, got ${data.sites.totalCount}`);
  }
  if (process.env.BENCH_VERBOSE === '1') {
    for (let v = 0; v < 10; v++) {
      const mine = times.filter((_, i) => (i + WARMUP) % 10 === v).sort((a, b) => a - b);
      console.log(`  variant ${v} ${JSON.stringify(listVariables(v, 0))}: p50 ${ms(pct(mine, 50))} p95 ${ms(pct(mine, 95))}`);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`filtered site list (first: 20, USER token, ${LIST_REQUESTS} requests, 10 filter/sort mixes):`);
  console.log(`  p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}  p99 ${ms(pct(times, 99))}  max ${ms(times.at(-1)!)}`);

  // Batch add of 10,000 rows, through GraphQL and as CSV, into organisations that already hold 1,000 sites.
  const rows = (tag: string) => Array.from({ length: BATCH_ROWS }, (_, i) => ({ url: `https://new${i}.${tag}.example.org`, name: `New ${i}`, areaCode: '110000' }));
  const batch = `mutation($i: CreateSitesInput!) { createSites(input: $i) { created conflicts invalid } }`;
  let started = performance.now();
  const created = await gql(tokens[0], batch, { i: { rows: rows('batch') } });
  const batchMs = performance.now() - started;
  started = performance.now();
  const again = await gql(tokens[0], batch, { i: { rows: rows('batch') } });
  const conflictMs = performance.now() - started;
  const csv = `url,name,areaCode\n${rows('csv').map((r) => `${r.url},${r.name},${r.areaCode}`).join('\n')}\n`;
  const importCsv = `mutation($i: ImportSitesCsvInput!) { importSitesCsv(input: $i) { created conflicts invalid } }`;
  started = performance.now();
  const fromCsv = await gql(tokens[1], importCsv, { i: { csv } });
  const csvMs = performance.now() - started;
  console.log(`batch add, ${BATCH_ROWS} rows in one createSites call: ${ms(batchMs)} (${JSON.stringify(created.createSites)})`);
  console.log(`batch add again, all ${BATCH_ROWS} rows CONFLICT: ${ms(conflictMs)} (${JSON.stringify(again.createSites)})`);
  console.log(`CSV import, ${BATCH_ROWS} rows in one importSitesCsv call: ${ms(csvMs)} (${JSON.stringify(fromCsv.importSitesCsv)})`);

  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} after measuring`);
  await app.close();
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
