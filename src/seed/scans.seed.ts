// Demo scans for `npm run seed`: for each demo organisation, finished scan tasks that imported the
// real sample reports (Nuclei; ZAP first scan, second scan, then the first again; OpenVAS) through
// POST /ingest/files and completeVulnScan, applied by the worker's own code. So the demo has open,
// FIXED and re-opened findings across levels, with their history. Idempotent: finished tasks are
// kept; a task left half-way is taken up again with the same idempotency keys.
import { BaselineApplierService } from '../baseline/baseline-applier.service.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { ApiKeyScopeEnum } from '../api-keys/models/api-key.model.js';
import type { ApiKeyPrincipal, UserPrincipal } from '../common/auth/principal.js';
import type { SeedContext } from '../seed/seed-context.js';
import { SiteRepository } from '../sites/site.repository.js';
import { SitesService } from '../sites/sites.service.js';
import { TaskRepository } from '../tasks/task.repository.js';
import { TasksService } from '../tasks/tasks.service.js';
import { FindingRepository } from '../vulns/finding.repository.js';
import { BatchApplierService } from '../ingest-worker/batch-applier.service.js';
import { FileImporterService } from '../ingest-worker/file-importer.service.js';
import { IngestBatchRepository } from '../ingest/ingest-batch.repository.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestQueueService } from '../ingest/ingest-queue.service.js';
import { IngestService } from '../ingest/ingest.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** The hosts the sample reports scanned, as sites of each demo organisation. */
const SAMPLE_SITES = [
  { url: 'https://bodgeit.securecodebox-demo.svc', name: 'BodgeIt demo shop' },
  { url: 'https://nuclei-example.com', name: 'Nuclei example' },
  { url: 'http://127.0.0.1:8080', name: 'WebGoat (local)' },
];

/** In order: a later ZAP scan fixes what it no longer sees, the third re-opens what came back. */
const SCANS = [
  { name: 'Demo: Nuclei scan', scanner: 'nuclei', format: 'NUCLEI', file: 'nuclei/many_findings.json' },
  { name: 'Demo: ZAP scan, week 1', scanner: 'zap', format: 'ZAP', file: 'zap/zap-results-first-scan.xml' },
  { name: 'Demo: ZAP scan, week 2', scanner: 'zap', format: 'ZAP', file: 'zap/zap-results-second-scan.xml' },
  { name: 'Demo: ZAP scan, week 3', scanner: 'zap', format: 'ZAP', file: 'zap/zap-results-first-scan.xml' },
  // Its host (192.168.1.1001) is no valid address, so no site matches: the demo shows rejections with reasons.
  { name: 'Demo: OpenVAS scan', scanner: 'openvas', format: 'OPENVAS', file: 'openvas/many_vuln.xml' },
] as const;

/** SCANS_DIR, else ../shared/scans next to the repository (found from this file: dist/ingest or src/ingest). */
export function scansDir(configured: string | undefined): string {
  return path.resolve(configured ?? path.join(import.meta.dirname, '../../../shared/scans'));
}

export async function seedScans(ctx: SeedContext, configuredDir: string | undefined): Promise<string> {
  const dir = scansDir(configuredDir);
  if (!SCANS.every((s) => existsSync(path.join(dir, s.file)))) return `skipped: the sample reports are not in ${dir} (set SCANS_DIR)`;
  const admin = await ctx.prisma.user.findUniqueOrThrow({ where: { username: 'demo-admin' } });
  const principal: UserPrincipal = { kind: 'user', id: admin.id, username: admin.username, role: 'ADMIN', organizationId: null, sessionId: null };
  const run = new ScanImport(ctx.app as NestFastifyApplication, ctx, principal, dir);
  let imported = 0;
  for (const organizationId of ctx.orgIds) imported += await run.organization(organizationId);
  const [tasks, findings] = await Promise.all([
    ctx.prisma.task.count({ where: { organizationId: { in: ctx.orgIds }, name: { in: SCANS.map((s) => s.name) }, status: 'SUCCEEDED' } }),
    ctx.prisma.finding.count({ where: { organizationId: { in: ctx.orgIds } } }),
  ]);
  return `${imported} new scan tasks (${tasks} finished, ${findings} findings)`;
}

class ScanImport {
  private readonly applier: BatchApplierService;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly ctx: SeedContext,
    private readonly admin: UserPrincipal,
    private readonly dir: string,
  ) {
    // The worker's applier: the seed process runs no queue consumers, so it applies its own batches
    // (the queued jobs then find them DONE and do nothing).
    const get = <T>(type: abstract new (...args: never[]) => T): T => app.get(type, { strict: false });
    const [batches, tasks, findings] = [get(IngestBatchRepository), get(TaskRepository), get(FindingRepository)];
    this.applier = new BatchApplierService(
      get(IngestDb), batches, tasks, findings, get(IngestQueueService),
      new FileImporterService(batches, tasks, get(SiteRepository), findings), new BaselineApplierService(tasks), get(MetricsService),
    );
  }

  /** Imports the scans this organisation does not have yet; returns how many tasks it created. */
  async organization(organizationId: number): Promise<number> {
    const siteIds = await this.sites(organizationId);
    let created = 0;
    let key: { principal: ApiKeyPrincipal; secret: string } | null = null;
    try {
      for (const scan of SCANS) {
        let task = await this.ctx.prisma.task.findFirst({ where: { organizationId, name: scan.name } });
        if (task && task.status !== 'PENDING' && task.status !== 'RUNNING') continue; // finished (or given up) before
        key ??= await this.key(organizationId);
        if (!task) {
          const made = await this.app.get(TasksService, { strict: false }).create(this.admin, { kind: 'VULN_SCAN', name: scan.name, siteIds, autoCreateSites: false });
          task = await this.ctx.prisma.task.findUniqueOrThrow({ where: { id: made.id } });
          created++;
        }
        await this.importScan(task.id, scan, key);
      }
    } finally {
      if (key) await this.app.get(ApiKeysService, { strict: false }).revoke(key.principal.id);
    }
    return created;
  }

  /** The sample hosts as sites, created through the sites service like createSite. */
  private async sites(organizationId: number): Promise<number[]> {
    const service = this.app.get(SitesService, { strict: false });
    const ids: number[] = [];
    for (const s of SAMPLE_SITES) {
      const existing = await this.ctx.prisma.site.findUnique({ where: { organizationId_url: { organizationId, url: s.url } } });
      ids.push(existing?.id ?? (await service.create(this.admin, { url: s.url, name: s.name, organizationId })).id);
    }
    return ids;
  }

  /** A short-lived scanner key of the organisation, revoked when its scans are in. */
  private async key(organizationId: number) {
    const made = await this.app.get(ApiKeysService, { strict: false }).create(this.admin, {
      name: 'demo seed import', organizationId, scopes: [ApiKeyScopeEnum.SYNC_VULNS], expiresAt: new Date(Date.now() + 3600_000),
    });
    const principal: ApiKeyPrincipal = { kind: 'apiKey', id: made.apiKey.id, organizationId, scopes: ['sync:vulns'] };
    return { principal, secret: made.secret };
  }

  /** Uploads the report as a scanner would (same idempotency key on a re-run), completes the scan, applies both. */
  private async importScan(taskId: number, scan: (typeof SCANS)[number], key: { principal: ApiKeyPrincipal; secret: string }) {
    const boundary = `xsc-seed-${taskId}`;
    const file = readFileSync(path.join(this.dir, scan.file));
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(scan.file)}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/ingest/files?taskId=${taskId}&format=${scan.format}&seq=1&idempotencyKey=demo-seed-task-${taskId}-file`,
      headers: { authorization: `ApiKey ${key.secret}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    if (res.statusCode !== 202) throw new Error(`demo scan ${scan.name}: POST /ingest/files answered ${res.statusCode} ${res.body}`);
    await this.applier.apply(res.json<{ id: string }>().id);
    const complete = await this.app.get(IngestService, { strict: false }).complete(key.principal, { taskId, totalChunks: 1, scanner: scan.scanner });
    await this.applier.apply(complete.id);
  }
}
