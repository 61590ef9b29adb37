import { join } from 'node:path';
import pg from 'pg';
import { unzipSync, strFromU8 } from 'fflate';
import { SaxesParser } from 'saxes';
import { createAdmin, createApiKey, createUser, uniq } from '../helpers/factories.js';
import { authHeader, errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createEntry, createFinding, createSite } from '../helpers/vuln-factories.js';

const REQUEST = `mutation($s: ID!, $l: ReportLanguage, $f: VulnFilter) { requestSiteReport(siteId: $s, lang: $l, filter: $f) { id status downloadPath } }`;
const REPORT = 'query($id: ID!) { report(id: $id) { id status error findings bytes downloadPath expiresAt } }';
const LEVEL_ZH = { CRITICAL: '严重', HIGH: '高危', MEDIUM: '中危', LOW: '低危', INFO: '信息' } as const;
const LEVELS = Object.keys(LEVEL_ZH) as (keyof typeof LEVEL_ZH)[];
const STATUSES = ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE'];
const TOTALS = 'query($f: StatsFilter) { vulnTotals(filter: $f) { level status count } }';
const LEVEL_STAT = 'query($f: StatsFilter) { vulnLevelStat(filter: $f) { level count } }';
/** This file's limit of findings in a report built directly by GET /sites/:id/report.docx. */
const DIRECT_MAX = 4;

/** Texts of the document's runs, in order, and the XML itself (checked to be well-formed). */
function documentOf(docx: Buffer): { xml: string; texts: string[] } {
  const files = unzipSync(new Uint8Array(docx));
  const xml = strFromU8(files['word/document.xml']);
  const texts: string[] = [];
  let inText = false;
  const sax = new SaxesParser();
  sax.on('opentag', (t) => (inText = t.name === 'w:t'));
  sax.on('closetag', () => (inText = false));
  sax.on('text', (s) => inText && texts.push(s));
  sax.write(xml).close(); // throws on malformed XML
  expect(Object.keys(files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
  return { xml, texts };
}

describe('site reports (requestSiteReport, report, GET /reports/:id.docx)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ REPORT_CLEANUP_EVERY_MS: '500', REPORT_DIRECT_MAX_FINDINGS: String(DIRECT_MAX) })));
  afterAll(() => t.close());

  async function done(id: string, as: { token: string }) {
    for (let i = 0; i < 200; i++) {
      const r = await t.gql(REPORT, { id }, as);
      if (['DONE', 'FAILED'].includes(r.data?.report.status)) return r.data!.report;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('report not finished in time');
  }
  /** Until the statistics worker has counted every change to the site. */
  async function statsSettled(siteId: number) {
    const end = Date.now() + 30_000;
    while (await t.prisma.statDirtySite.count({ where: { siteId } })) {
      if (Date.now() > end) throw new Error('statistics still behind');
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  /** The summary table's rows as the document shows them: [label, OPEN, FIXED, IGNORED, FALSE_POSITIVE, total]. */
  const summaryRows = (texts: string[], labels: Record<string, string> = LEVEL_ZH) =>
    Object.fromEntries(LEVELS.map((l) => [l, texts.slice(texts.indexOf(labels[l]), texts.indexOf(labels[l]) + 6)]));
  const expectedRow = (label: string, count: (l: string, s: string) => number, level: string) => {
    const cells = STATUSES.map((s) => count(level, s));
    return [label, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))];
  };
  const download = async (path: string, as: { token?: string; apiKey?: string }) => {
    const res = await t.http().get(path).set(authHeader(as)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    return res;
  };

  it('builds a Chinese report: cover, summary equal to the statistics (vulnTotals, vulnLevelStat) and to a GROUP BY, chart, every finding; a malicious finding stays valid', async () => {
    const user = await createUser(t);
    const org = await t.prisma.organization.findUniqueOrThrow({ where: { id: user.organizationId! } });
    const site = await createSite(t, org.id);
    const names: string[] = [];
    const levels = ['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
    for (const [i, level] of levels.entries()) {
      const entry = await createEntry(t, { name: `漏洞 ${i} ${uniq()}`, level });
      names.push(entry.name);
      await createFinding(t, { organizationId: org.id, siteId: site.id, entryId: entry.id, level, status: i === 2 ? 'FIXED' : 'OPEN' });
    }
    const evil = await createEntry(t, { name: `<script>&"'\u0001 evil ${uniq()}`, level: 'HIGH' });
    const bad = await createFinding(t, { organizationId: org.id, siteId: site.id, entryId: evil.id, level: 'HIGH' });
    await t.prisma.finding.update({
      where: { id: bad.id },
      data: { evidence: `]]><w:t>&amp;\u0001\u0007\u001F\uFFFF` + 'x'.repeat(1024 * 1024), parameter: '<p a="1">' },
    });
    await t.prisma.vulnEntry.update({ where: { id: evil.id }, data: { description: 'a\u000bb </w:t>', solution: 'Encode', references: ['https://owasp.org/?a=1&b=2'] } });
    const setStatus = 'mutation($i: SetVulnStatusInput!) { setVulnStatus(input: $i) { changed } }';
    await t.gql(setStatus, { i: { ids: [bad.id], status: 'IGNORED', reason: '接受风险 <ok>' } }, user);
    const trashed = await createFinding(t, { organizationId: org.id, siteId: site.id, entryId: evil.id, level: 'LOW' });
    await t.prisma.finding.update({ where: { id: trashed.id }, data: { trashedAt: new Date() } });
    await statsSettled(site.id);
    const scored = await t.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(scored.securityScore).not.toBeNull();

    const req = await t.gql(REQUEST, { s: site.id }, user);
    expect(req.errors).toBeUndefined();
    expect(req.data?.requestSiteReport).toMatchObject({ status: 'QUEUED', downloadPath: null });
    const report = await done(req.data!.requestSiteReport.id, user);
    expect(report).toMatchObject({ status: 'DONE', findings: 7, downloadPath: `/reports/${report.id}.docx` });
    const res = await download(report.downloadPath, user);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.body.length).toBe(report.bytes);
    const { texts, xml } = documentOf(res.body);
    const all = texts.join('\n');

    expect(texts).toContain('网站安全评估报告');
    expect(all).toContain(org.name);
    expect(all).toContain(`${site.name} (${site.url})`);
    expect(all).toMatch(/生成时间: \n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(xml).toContain('w:eastAsia="SimSun"');
    expect(all).not.toContain('统计数据正在更新');
    // Summary: one row per level, [label, OPEN, FIXED, IGNORED, FALSE_POSITIVE, total]: the statistics
    // (vulnTotals and vulnLevelStat for the site, as this user asks them) and the source rows agree with it.
    const rows = summaryRows(texts);
    const totals = await t.gql(TOTALS, { f: { siteId: site.id } }, user);
    expect(totals.errors).toBeUndefined();
    const stat = (l: string, s: string) => totals.data!.vulnTotals.find((c: { level: string; status: string }) => c.level === l && c.status === s).count;
    const open = await t.gql(LEVEL_STAT, { f: { siteId: site.id } }, user);
    const grouped = await t.prisma.$queryRaw<{ level: keyof typeof LEVEL_ZH; status: string; n: number }[]>`
      SELECT level, status, count(*)::int AS n FROM "Finding" WHERE "siteId" = ${site.id} AND "trashedAt" IS NULL GROUP BY level, status`;
    const count = (l: string, s: string) => grouped.find((g) => g.level === l && g.status === s)?.n ?? 0;
    for (const level of LEVELS) {
      expect(rows[level]).toEqual(expectedRow(LEVEL_ZH[level], stat, level));
      expect(rows[level]).toEqual(expectedRow(LEVEL_ZH[level], count, level));
      expect(rows[level][1]).toBe(String(open.data!.vulnLevelStat.find((c: { level: string }) => c.level === level).count));
    }
    const at = texts.lastIndexOf('合计');
    expect(texts.slice(at, at + 6)).toEqual(['合计', '5', '1', '1', '0', '7']);
    expect(count('HIGH', 'IGNORED')).toBe(1); // the history change is counted
    expect(all).toContain(`安全评分: \n${scored.securityScore}`);
    expect(all).toContain(`风险等级: \n${{ NONE: '无', LOW: '低', MEDIUM: '中', HIGH: '高', CRITICAL: '严重' }[scored.riskLevel]}`);
    for (const name of names) expect(all).toContain(name);
    expect(all).toContain(evil.name.replace('\u0001', '\\x01'));
    expect(all).toContain(']]><w:t>&amp;\\x01\\x07\\x1f\\uffffxxx'); // PostgreSQL text cannot hold NUL or lone surrogates
    expect(all).toMatch(/证据过长，仅显示前 4000 个字符，共 1048\d{3} 个字符/);
    expect(all).toContain('未修复 → 已忽略');
    expect(all).toContain('接受风险 <ok>');
    expect(all).toContain('https://owasp.org/?a=1&b=2');
  });

  it('English on request; filters narrow the listed findings, not the summary', async () => {
    const user = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const high = await createEntry(t, { name: `High thing ${uniq()}`, level: 'HIGH' });
    const low = await createEntry(t, { name: `Low thing ${uniq()}`, level: 'LOW' });
    await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: high.id, level: 'HIGH' });
    await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: low.id, level: 'LOW' });
    await statsSettled(site.id);
    const req = await t.gql(REQUEST, { s: site.id, l: 'EN', f: { levels: ['HIGH'] } }, user);
    const report = await done(req.data!.requestSiteReport.id, user);
    expect(report.findings).toBe(1);
    const { texts } = documentOf((await download(report.downloadPath, user)).body);
    expect(texts).toContain('Website security report');
    expect(texts.join('\n')).toContain(high.name);
    expect(texts.join('\n')).not.toContain(low.name);
    const at = texts.indexOf('Low');
    expect(texts.slice(at, at + 6)).toEqual(['Low', '1', '0', '0', '0', '1']);
  });

  it('the compiled builder (what workers run) builds in a child process and gives the same kind of document', async () => {
    // The tests run TypeScript sources, which build in-process; dist/ forks build-report.child.js.
    const { buildReportFile } = await import(join(process.cwd(), 'dist/reports/docx/build-report.js'));
    const { loadReportHeader } = await import(join(process.cwd(), 'dist/reports/report-data.js'));
    const user = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const entry = await createEntry(t, { name: `子进程 <a> ${uniq()}`, level: 'HIGH' });
    await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: entry.id, level: 'HIGH' });
    const zero = { OPEN: 0, FIXED: 0, IGNORED: 0, FALSE_POSITIVE: 0 };
    const counts = { CRITICAL: zero, HIGH: { ...zero, OPEN: 1 }, MEDIUM: zero, LOW: zero, INFO: zero };
    const selection = { siteId: site.id, filter: {} };
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      const header = await loadReportHeader(pool, selection, { counts, pendingSince: null });
      const built = await buildReportFile({ header, selection, lang: 'zh', databaseUrl: process.env.DATABASE_URL }, { timeoutMs: 60_000 });
      expect(built).toMatchObject({ findings: 1, peakRssMb: expect.any(Number) });
      expect(documentOf(built.file).texts).toContain(`1. ${entry.name}`);
    } finally {
      await pool.end();
    }
  });

  it('other organisations get NOT_FOUND for the site, the report and the download; administrators may read it', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    const admin = await createAdmin(t);
    const site = await createSite(t, user.organizationId!);
    expect(errorCode(await t.gql(REQUEST, { s: site.id }, stranger))).toBe('NOT_FOUND');
    const id = (await t.gql(REQUEST, { s: site.id }, user)).data!.requestSiteReport.id;
    const report = await done(id, user);
    expect(errorCode(await t.gql(REPORT, { id }, stranger))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(REPORT, { id: 'not-a-uuid' }, user))).toBe('NOT_FOUND');
    const denied = await t.http().get(report.downloadPath).set(authHeader(stranger));
    expect([denied.status, denied.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    expect((await download(report.downloadPath, admin)).status).toBe(200);
  });

  it('an expired report is refused at once and deleted by the clean-up job', async () => {
    const user = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const id = (await t.gql(REQUEST, { s: site.id }, user)).data!.requestSiteReport.id;
    const report = await done(id, user);
    expect(await t.prisma.reportChunk.count({ where: { reportId: id } })).toBeGreaterThan(0);
    await t.prisma.report.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(errorCode(await t.gql(REPORT, { id }, user))).toBe('NOT_FOUND');
    expect((await t.http().get(report.downloadPath).set(authHeader(user))).status).toBe(404);
    const deadline = Date.now() + 10_000;
    while ((await t.prisma.report.count({ where: { id } })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await t.prisma.report.count({ where: { id } })).toBe(0);
    expect(await t.prisma.reportChunk.count({ where: { reportId: id } })).toBe(0);
  });

  describe('GET /sites/:id/report.docx (built directly)', () => {
    it('answers the report at once, summary equal to the statistics, listing what the filter selects', async () => {
      const user = await createUser(t);
      const site = await createSite(t, user.organizationId!);
      const high = await createEntry(t, { name: `直接 高危 ${uniq()}`, level: 'HIGH' });
      const low = await createEntry(t, { name: `Direct low ${uniq()}`, level: 'LOW' });
      for (let i = 0; i < 3; i++) await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: high.id, level: 'HIGH', status: i ? 'OPEN' : 'FIXED' });
      await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: low.id, level: 'LOW' });
      await statsSettled(site.id);

      const res = await download(`/sites/${site.id}/report.docx`, user);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('wordprocessingml');
      expect(res.headers['content-disposition']).toContain('attachment');
      expect(res.headers['x-report-findings']).toBe('4');
      const { texts } = documentOf(res.body);
      const all = texts.join('\n');
      expect(texts).toContain('网站安全评估报告');
      expect(all).toContain(high.name);
      expect(all).toContain(low.name);
      expect(all).toContain('高危 (3)');
      const totals = (await t.gql(TOTALS, { f: { siteId: site.id } }, user)).data!.vulnTotals;
      const stat = (l: string, s: string) => totals.find((c: { level: string; status: string }) => c.level === l && c.status === s).count;
      const rows = summaryRows(texts);
      for (const level of LEVELS) expect(rows[level]).toEqual(expectedRow(LEVEL_ZH[level], stat, level));
      expect(rows.HIGH).toEqual(['高危', '2', '1', '0', '0', '3']);

      // English, narrowed: only the low finding is listed, the summary still covers the site.
      const en = await download(`/sites/${site.id}/report.docx?lang=en&levels=LOW`, user);
      expect(en.status).toBe(200);
      const doc = documentOf(en.body);
      expect(doc.texts).toContain('Website security report');
      expect(doc.texts.join('\n')).toContain(low.name);
      expect(doc.texts.join('\n')).not.toContain(high.name);
      const at = doc.texts.indexOf('High');
      expect(doc.texts.slice(at, at + 6)).toEqual(['High', '2', '1', '0', '0', '3']);

      // An API key of the organisation with read:vulns may; one without it may not.
      const reader = await createApiKey(t, user.organizationId!, ['read:vulns']);
      expect((await download(`/sites/${site.id}/report.docx`, { apiKey: reader.key })).status).toBe(200);
      const syncer = await createApiKey(t, user.organizationId!, ['sync:vulns']);
      const denied = await t.http().get(`/sites/${site.id}/report.docx`).set(authHeader({ apiKey: syncer.key }));
      expect([denied.status, denied.body.error?.code]).toEqual([403, 'FORBIDDEN']);
      expect((await t.http().get(`/sites/${site.id}/report.docx`)).status).toBe(401);
    });

    it('several at once: each waits its turn (two builds per process) and gets its own report', async () => {
      const user = await createUser(t);
      const sites: { site: { id: number }; entry: { name: string } }[] = [];
      for (let i = 0; i < 5; i++) {
        const site = await createSite(t, user.organizationId!);
        const entry = await createEntry(t, { name: `并发 ${i} ${uniq()}`, level: 'LOW' });
        await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: entry.id, level: 'LOW' });
        sites.push({ site, entry });
      }
      const answers = await Promise.all(sites.map(({ site }) => download(`/sites/${site.id}/report.docx`, user)));
      answers.forEach((res, i) => {
        expect(res.status).toBe(200);
        expect(documentOf(res.body).texts).toContain(`1. ${sites[i].entry.name}`);
      });
    });

    it('says so when the statistics have not counted a change to the site yet', async () => {
      const user = await createUser(t);
      const site = await createSite(t, user.organizationId!);
      await statsSettled(site.id);
      const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      try {
        await db.query('SELECT pg_advisory_lock(7303010901)'); // the statistics writers' lock: no drain runs meanwhile
        await t.prisma.$executeRawUnsafe(`INSERT INTO "StatDirtySite" ("siteId", "markedAt") VALUES ($1, LOCALTIMESTAMP - interval '1 minute')`, site.id);
        const res = await download(`/sites/${site.id}/report.docx`, user);
        expect(res.status).toBe(200);
        expect(documentOf(res.body).texts.join('\n')).toMatch(/注：统计数据正在更新，\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 以后的变更可能尚未计入上表/);
      } finally {
        await db.query('SELECT pg_advisory_unlock(7303010901)');
        await db.end();
      }
    });

    it(`refuses more than REPORT_DIRECT_MAX_FINDINGS (${DIRECT_MAX} here) with 413 REPORT_TOO_LARGE, counting only the listed findings`, async () => {
      const user = await createUser(t);
      const site = await createSite(t, user.organizationId!);
      const entry = await createEntry(t, { level: 'MEDIUM' });
      for (let i = 0; i < DIRECT_MAX + 1; i++) await createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: entry.id, level: 'MEDIUM', status: i ? 'OPEN' : 'FIXED' });
      const res = await t.http().get(`/sites/${site.id}/report.docx`).set(authHeader(user));
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', reason: 'REPORT_TOO_LARGE', details: { findings: DIRECT_MAX + 1, max: DIRECT_MAX } });
      expect(res.body.error.message).toContain('requestSiteReport');
      expect((await download(`/sites/${site.id}/report.docx?statuses=OPEN`, user)).status).toBe(200);
    });

    it("another organisation's site is NOT_FOUND like a missing one; bad input is refused", async () => {
      const user = await createUser(t);
      const stranger = await createUser(t);
      const admin = await createAdmin(t);
      const site = await createSite(t, user.organizationId!);
      const other = await t.http().get(`/sites/${site.id}/report.docx`).set(authHeader(stranger));
      expect([other.status, other.body.error?.code]).toEqual([404, 'NOT_FOUND']);
      const strangerKey = await createApiKey(t, stranger.organizationId!, ['read:vulns']);
      expect((await t.http().get(`/sites/${site.id}/report.docx`).set(authHeader({ apiKey: strangerKey.key }))).status).toBe(404);
      const missing = await t.http().get('/sites/2147483000/report.docx').set(authHeader(user));
      expect([missing.status, missing.body.error?.code]).toEqual([404, 'NOT_FOUND']);
      expect((await download(`/sites/${site.id}/report.docx`, admin)).status).toBe(200);
      for (const bad of ['lang=fr', 'levels=SEVERE', 'unknown=1', `siteId=${site.id + 1}`, 'organizationId=1']) {
        const r = await t.http().get(`/sites/${site.id}/report.docx?${bad}`).set(authHeader(user));
        expect([bad, r.status, r.body.error?.code]).toEqual([bad, 400, 'BAD_USER_INPUT']);
      }
      expect((await t.http().get('/sites/abc/report.docx').set(authHeader(user))).status).toBe(400);
    });

    it('is in the OpenAPI document, with the other report file endpoints', async () => {
      const doc = (await t.http().get('/openapi.json')).body;
      const op = doc.paths['/sites/{id}/report.docx'].get;
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413']);
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'lang', 'levels', 'statuses']));
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }, { ApiKey: [] }]));
      // The other file endpoints of reports are described too.
      expect(Object.keys(doc.paths['/reports/{file}'].get.responses).sort()).toEqual(['200', '401', '403', '404', '409']);
      const csv = doc.paths['/exports/findings.csv'].get;
      expect(csv.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['siteId', 'levels', 'lang']));
    });
  });
});
