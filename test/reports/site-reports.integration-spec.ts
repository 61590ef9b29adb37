import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { SaxesParser } from 'saxes';
import { createAdmin, createUser, uniq } from '../helpers/factories.js';
import { authHeader, errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createEntry, createFinding, createSite } from '../helpers/vuln-factories.js';

const REQUEST = `mutation($s: ID!, $l: ReportLanguage, $f: VulnFilter) { requestSiteReport(siteId: $s, lang: $l, filter: $f) { id status downloadPath } }`;
const REPORT = 'query($id: ID!) { report(id: $id) { id status error findings bytes downloadPath expiresAt } }';
const LEVEL_ZH = { CRITICAL: '严重', HIGH: '高危', MEDIUM: '中危', LOW: '低危', INFO: '信息' } as const;

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
  beforeAll(async () => (t = await startTestApp({ REPORT_CLEANUP_EVERY_MS: '500' })));
  afterAll(() => t.close());

  async function done(id: string, as: { token: string }) {
    for (let i = 0; i < 200; i++) {
      const r = await t.gql(REPORT, { id }, as);
      if (['DONE', 'FAILED'].includes(r.data?.report.status)) return r.data!.report;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('report not finished in time');
  }
  const download = async (path: string, as: { token: string }) => {
    const res = await t.http().get(path).set(authHeader(as)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    return res;
  };

  it('builds a Chinese report: cover, summary equal to a GROUP BY, chart, every finding; a malicious finding stays valid', async () => {
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
    await t.prisma.site.update({ where: { id: site.id }, data: { securityScore: 61, riskLevel: 'HIGH' } });

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
    // Summary: one row per level, [label, OPEN, FIXED, IGNORED, FALSE_POSITIVE, total], from the source rows.
    const grouped = await t.prisma.$queryRaw<{ level: keyof typeof LEVEL_ZH; status: string; n: number }[]>`
      SELECT level, status, count(*)::int AS n FROM "Finding" WHERE "siteId" = ${site.id} AND "trashedAt" IS NULL GROUP BY level, status`;
    const count = (l: string, s: string) => grouped.find((g) => g.level === l && g.status === s)?.n ?? 0;
    for (const level of Object.keys(LEVEL_ZH) as (keyof typeof LEVEL_ZH)[]) {
      const cells = ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE'].map((s) => count(level, s));
      const row = [LEVEL_ZH[level], ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))];
      const at = texts.indexOf(LEVEL_ZH[level]);
      expect(texts.slice(at, at + 6)).toEqual(row);
    }
    expect(count('HIGH', 'IGNORED')).toBe(1); // the history change is counted
    expect(all).toContain('安全评分: \n61');
    expect(all).toContain('风险等级: \n高');
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
    const zero = { OPEN: 0, FIXED: 0, IGNORED: 0, FALSE_POSITIVE: 0 };
    const now = new Date();
    const file: Buffer = await buildReportFile(
      {
        organization: '组织', site: { name: '站点', url: 'https://a.test', securityScore: null, riskLevel: 'NONE' }, from: null, to: null, generatedAt: now,
        counts: { CRITICAL: zero, HIGH: { ...zero, OPEN: 1 }, MEDIUM: zero, LOW: zero, INFO: zero },
        findings: [{ id: 1, name: '子进程 <a>', level: 'HIGH', status: 'OPEN', url: null, parameter: null, evidence: null, evidenceLength: 0,
          description: null, solution: null, references: [], firstSeen: now, lastSeen: now, history: [] }],
      },
      'zh',
    );
    expect(documentOf(file).texts).toContain('1. 子进程 <a>');
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
});
