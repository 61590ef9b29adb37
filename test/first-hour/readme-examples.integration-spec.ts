import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createAdmin, createOrg, createUser } from '../helpers/factories.js';
import { samplePath } from '../helpers/scan-samples.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';

const run = promisify(execFile);
const README = path.resolve(import.meta.dirname, '../../README.md');
const ZAP_HOST = 'bodgeit.securecodebox-demo.svc';

/** The ```sh blocks of one README section, in order. */
function shellBlocks(section: string): string[] {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end === -1 ? undefined : end);
  return [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

async function bash(script: string, env: Record<string, string>, cwd: string) {
  // async: the server under test answers from this very process
  const r = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { PATH: process.env.PATH!, ...env }, cwd, timeout: 60_000 });
  return r.stdout;
}

describe('README "Connect a scanner": the curl examples work as written', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    dir = mkdtempSync(path.join(os.tmpdir(), 'xsc-readme-'));
    symlinkSync(samplePath('zap/zap-results-first-scan.xml'), path.join(dir, 'zap-report.xml')); // the README's file name
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('key, task, claim, heartbeat, a chunk, a file, completion, the batch; and a failed scan', async () => {
    const blocks = shellBlocks('Connect a scanner');
    for (const op of ['createApiKey', 'createTask', 'claimTask', 'heartbeatTask', 'syncVulns(', '/ingest/files', 'completeVulnScan', 'ingestBatch', 'syncVulnsFailed']) {
      expect(blocks.some((b) => b.includes(op))).toBe(true);
    }
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    const operator = await createUser(t, { organizationId: org.id });
    const site = await createSite(t, org.id, ZAP_HOST);
    const env = { XSC_URL: url, ADMIN_TOKEN: admin.token, ORG_ID: String(org.id), TOKEN: operator.token, SITE_ID: String(site.id) };

    // Everything but the failure report, in order, as one script; it ends by telling what it made.
    const failing = blocks.filter((b) => b.includes('syncVulnsFailed'));
    const main = blocks.filter((b) => !failing.includes(b)).join('\n') + '\necho "XSC_KEY=$XSC_KEY"; echo "TASK_ID=$TASK_ID"; echo "BATCH_ID=$BATCH_ID"\n';
    const out = await bash(main, env, dir);
    expect(out).not.toContain('"errors"');
    const made = Object.fromEntries([...out.matchAll(/^(XSC_KEY|TASK_ID|BATCH_ID)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(made.XSC_KEY).toMatch(/^xsc_/);
    const taskId = Number(made.TASK_ID);
    const task = await t.prisma.task.findUniqueOrThrow({ where: { id: taskId }, include: { sites: true } });
    expect(task).toMatchObject({ organizationId: org.id, autoCreateSites: true, scanner: 'zap', progress: expect.any(Number) });
    expect(task.sites.map((s) => s.siteId)).toEqual([site.id]);

    // the worker applies the chunk and the file, then the completion
    const end = Date.now() + 30_000;
    let status = '';
    while (Date.now() < end && (status = (await t.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status) !== 'SUCCEEDED') {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('SUCCEEDED');
    const file = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: made.BATCH_ID } });
    expect(file).toMatchObject({ kind: 'FILE', format: 'ZAP', seq: 2, status: 'DONE', received: 130, rejected: 0 });
    const findings = await t.prisma.finding.findMany({ where: { siteId: site.id }, include: { entry: true } });
    expect(findings.some((f) => f.entry.checkId === '10038' && f.url === 'https://shop.example.com/')).toBe(true); // the chunk's finding
    expect(findings.length).toBe(file.created + 1);

    // The failure report, on a task the scanner has (the README's variables carried over).
    const other = await createTask(t, org.id, [site.id]);
    const gqlHelper = blocks.find((b) => b.includes('gql() {'))!;
    const failed = await bash(`${gqlHelper}\n${failing.join('\n')}`, { ...env, XSC_KEY: made.XSC_KEY, TASK_ID: String(other.id) }, dir);
    expect(JSON.parse(failed).data.syncVulnsFailed).toEqual({ id: String(other.id), status: 'FAILED', error: 'zap exited with code 3' });
  }, 90_000);
});
