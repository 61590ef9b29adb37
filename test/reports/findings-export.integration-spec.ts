import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { SqlPool } from '../../src/db/sql-pool.js';
import { createAdmin, createApiKey, createUser, uniq } from '../helpers/factories.js';
import { authHeader, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createEntry, createFinding, createSite } from '../helpers/vuln-factories.js';

const BOM = '\uFEFF';
const LIST = `query($f: VulnFilter, $after: String) { vulns(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`;

describe('findings CSV export (GET /exports/findings.csv, npm run export:vulns)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const csvOf = async (query: string, as: { token?: string; apiKey?: string }) => {
    const res = await t.http().get(`/exports/findings.csv?${query}`).set(authHeader(as)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    return { status: res.status, type: res.headers['content-type'], text: res.body as string };
  };
  const rowsOf = (text: string): string[][] => parse(text.slice(BOM.length), { relax_column_count: false });

  async function world() {
    const user = await createUser(t);
    const org = user.organizationId!;
    const site = await createSite(t, org);
    const other = await createSite(t, org);
    const sqli = await createEntry(t, { name: `SQL 注入 ${uniq()}`, level: 'HIGH', kind: `k-${uniq()}` });
    const xss = await createEntry(t, { name: `XSS ${uniq()}`, level: 'LOW' });
    const a = await createFinding(t, { organizationId: org, siteId: site.id, entryId: sqli.id, level: 'HIGH', url: 'https://x.test/a?q=1' });
    const b = await createFinding(t, { organizationId: org, siteId: site.id, entryId: xss.id, level: 'LOW', status: 'FIXED' });
    const c = await createFinding(t, { organizationId: org, siteId: other.id, entryId: sqli.id, level: 'CRITICAL' });
    await t.prisma.finding.update({ where: { id: a.id }, data: { evidence: '=HYPERLINK("http://evil.test","click")', parameter: '+cmd' } });
    await t.prisma.finding.update({ where: { id: b.id }, data: { evidence: 'line 1\n"quoted", comma\r\n-2+3', parameter: '@SUM(A1)' } });
    const trashed = await createFinding(t, { organizationId: org, siteId: site.id, entryId: xss.id });
    await t.prisma.finding.update({ where: { id: trashed.id }, data: { trashedAt: new Date() } });
    return { user, site, other, sqli, xss, a, b, c };
  }

  it('writes a BOM, a Chinese header by default, Chinese labels, ISO 8601 UTC dates and inert formulas', async () => {
    const { user, site, sqli, a, b } = await world();
    const res = await csvOf(`siteId=${site.id}`, user);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/csv; charset=utf-8');
    expect(res.text.startsWith(BOM)).toBe(true);
    expect(res.text).toContain('\r\n');
    const [header, ...rows] = rowsOf(res.text);
    expect(header).toEqual(['编号', '站点', '站点地址', '漏洞名称', '等级', '状态', '类型', 'URL', '参数', '扫描器', '证据', 'CVE', '首次发现', '最近发现', '状态变更时间']);
    expect(rows.map((r) => Number(r[0]))).toEqual([b.id, a.id]); // newest first, trash left out
    const rowA = rows[1];
    expect(rowA.slice(3, 9)).toEqual([sqli.name, '高危', '未修复', sqli.kind, 'https://x.test/a?q=1', "'+cmd"]);
    expect(rowA[10]).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(rowA[12]).toBe(a.firstSeen.toISOString());
    expect(rows[0][5]).toBe('已修复');
    expect(rows[0][8]).toBe("'@SUM(A1)");
    expect(rows[0][10]).toBe('line 1\n"quoted", comma\r\n-2+3'); // quoted cell keeps its lines; starts with "l": untouched
    // In the raw bytes the formula sits inside a quoted cell after the apostrophe, never at a cell start.
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
  });

  it('English header and labels with lang=en; an API key needs read:vulns', async () => {
    const { user, site } = await world();
    const key = await createApiKey(t, user.organizationId!, ['read:vulns']);
    const res = await csvOf(`siteId=${site.id}&lang=en&statuses=FIXED`, { apiKey: key.key });
    expect(res.status).toBe(200);
    const [header, ...rows] = rowsOf(res.text);
    expect(header.slice(0, 6)).toEqual(['ID', 'Site', 'Site URL', 'Name', 'Level', 'Status']);
    expect(rows.map((r) => r.slice(4, 6))).toEqual([['Low', 'Fixed']]);
    const scanner = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    expect((await csvOf('', { apiKey: scanner.key })).status).toBe(403);
    expect((await t.http().get('/exports/findings.csv')).status).toBe(401);
  });

  it('bad filters are BAD_USER_INPUT', async () => {
    const { user } = await world();
    for (const q of ['levels=SEVERE', 'lang=fr', 'siteId=abc', 'seenFrom=yesterday', 'color=red']) {
      const res = await t.http().get(`/exports/findings.csv?${q}`).set(authHeader(user));
      expect([q, res.status, res.body.error?.code]).toEqual([q, 400, 'BAD_USER_INPUT']);
    }
  });

  it('exports exactly what the vulns list shows for the same filter and caller', async () => {
    const { user, site, sqli, c } = await world();
    const admin = await createAdmin(t);
    const stranger = await createUser(t);
    const listIds = async (f: Record<string, unknown>, as: { token: string }) => {
      const ids: number[] = [];
      let after: string | undefined;
      for (;;) {
        const r = await t.gql(LIST, { f, after }, as);
        expect(r.errors).toBeUndefined();
        ids.push(...r.data!.vulns.nodes.map((n: { id: string }) => Number(n.id)));
        if (!r.data!.vulns.pageInfo.hasNextPage) return ids;
        after = r.data!.vulns.pageInfo.endCursor;
      }
    };
    const cases: [Record<string, unknown>, string, { token: string }][] = [
      [{}, '', user],
      [{ siteId: site.id }, `siteId=${site.id}`, user],
      [{ levels: ['HIGH', 'CRITICAL'] }, 'levels=HIGH,CRITICAL', user],
      [{ statuses: ['OPEN'], kind: sqli.kind }, `statuses=OPEN&kind=${sqli.kind}`, user],
      [{ name: sqli.name.slice(0, 5) }, `name=${encodeURIComponent(sqli.name.slice(0, 5))}`, user],
      [{ text: 'x.test/a' }, 'text=x.test%2Fa', user],
      [{ seenFrom: new Date(Date.now() - 60_000).toISOString() }, `seenFrom=${new Date(Date.now() - 60_000).toISOString()}`, user],
      [{ organizationId: user.organizationId }, `organizationId=${user.organizationId}`, admin],
      [{ siteId: site.id }, `siteId=${site.id}`, stranger], // another organisation: nothing
    ];
    for (const [filter, query, as] of cases) {
      const csv = rowsOf((await csvOf(query, as)).text).slice(1).map((r) => Number(r[0]));
      expect([query, csv]).toEqual([query, await listIds(filter, as)]);
    }
    expect(rowsOf((await csvOf(`siteId=${site.id}`, stranger)).text)).toHaveLength(1);
    expect(rowsOf((await csvOf(`organizationId=${user.organizationId}`, admin)).text).map((r) => r[0])).toContain(String(c.id));
  });

  it('npm run export:vulns writes the same file', async () => {
    const { user, site } = await world();
    const out = join(tmpdir(), `xsc-export-${uniq()}.csv`);
    try {
      await promisify(execFile)(process.execPath, ['dist/reports/export-vulns.js', '--out', out, '--siteId', String(site.id), '--lang', 'en'], {
        env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL },
      });
      const file = await readFile(out, 'utf8');
      expect(file).toBe((await csvOf(`siteId=${site.id}&lang=en`, user)).text);
    } finally {
      await rm(out, { force: true });
    }
  });

  it('a client that disconnects mid-export stops the query and frees the connection', async () => {
    const user = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const entry = await createEntry(t);
    await t.prisma.$executeRaw`
      INSERT INTO "Finding" ("organizationId", "siteId", "entryId", scanner, url, level, fingerprint, evidence)
      SELECT ${user.organizationId}, ${site.id}, ${entry.id}, 'bulk', 'https://x.test/' || g, 'HIGH',
             md5(${site.id}::text || ':' || g) || md5(g::text), repeat('e', 200)
      FROM generate_series(1, 100000) g`;
    const running = () =>
      t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%xsc:findings' || '-export%'`;
    const pool = t.app.get(SqlPool).pool;
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const req = http.get({ host: '127.0.0.1', port, path: `/exports/findings.csv?siteId=${site.id}`, headers: authHeader(user) });
    const res = await new Promise<http.IncomingMessage>((r) => req.on('response', r));
    await new Promise((r) => res.once('data', r)); // rows are flowing
    res.pause(); // and stop being read: the export waits on backpressure, its query open
    expect((await running())[0].n).toBe(1);
    expect(pool.totalCount - pool.idleCount).toBe(1);
    req.destroy();
    const deadline = Date.now() + 10_000;
    while ((await running())[0].n > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await running())[0].n).toBe(0);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  }, 90_000);
});
