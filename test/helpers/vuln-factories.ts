// Rows for vulns/tasks/ingest tests, created directly with Prisma (sites have their own module).
import { createHash } from 'node:crypto';
import type { FindingStatus, VulnLevel } from '../../src/generated/prisma/enums.js';
import { uniq } from './factories.js';
import type { TestApp } from './test-app.js';

export async function createSite(t: TestApp, organizationId: number, host = `${uniq()}.example.test`) {
  return t.prisma.site.create({ data: { organizationId, url: `https://${host}`, domain: host, name: `site ${host}` } });
}

export async function createEntry(t: TestApp, opts: { name?: string; level?: VulnLevel; kind?: string } = {}) {
  const name = opts.name ?? `entry ${uniq()}`;
  return t.prisma.vulnEntry.create({
    data: { key: `name:${name.toLowerCase()}`, name, level: opts.level ?? 'HIGH', kind: opts.kind ?? 'injection' },
  });
}

export async function createFinding(
  t: TestApp,
  opts: { organizationId: number; siteId: number; entryId: number; status?: FindingStatus; level?: VulnLevel; url?: string },
) {
  const url = opts.url ?? `https://x.test/${uniq()}`;
  return t.prisma.finding.create({
    data: {
      organizationId: opts.organizationId,
      siteId: opts.siteId,
      entryId: opts.entryId,
      scanner: 'test',
      url,
      location: url,
      level: opts.level ?? 'HIGH',
      status: opts.status ?? 'OPEN',
      fingerprint: createHash('sha256').update(uniq() + url).digest('hex'),
    },
  });
}

export async function createTask(t: TestApp, organizationId: number, siteIds: number[], kind: 'VULN_SCAN' | 'BASELINE' = 'VULN_SCAN') {
  return t.prisma.task.create({
    data: { organizationId, kind, name: `task ${uniq()}`, sites: { create: siteIds.map((siteId) => ({ siteId })) } },
  });
}
