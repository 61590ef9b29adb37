// Asset rows for query and statistics tests, written directly (the import path has its own tests).
import type { AssetLiveness, PortState } from '../../src/generated/prisma/enums.js';
import type { TestApp } from './test-app.js';

export interface AssetSpec {
  ip: string;
  hostnames?: string[];
  osName?: string;
  osFamily?: string;
  liveness?: AssetLiveness;
  siteIds?: number[];
  ports?: { port: number; state?: PortState; service?: string; protocol?: 'TCP' | 'UDP' }[];
}

export async function createAsset(t: TestApp, organizationId: number, a: AssetSpec) {
  return t.prisma.asset.create({
    data: {
      organizationId,
      ip: a.ip,
      hostnames: a.hostnames ?? [],
      osName: a.osName,
      osFamily: a.osFamily,
      liveness: a.liveness ?? 'UP',
      sites: { create: (a.siteIds ?? []).map((siteId) => ({ siteId })) },
      ports: {
        create: (a.ports ?? []).map((p) => ({
          organizationId, port: p.port, protocol: p.protocol ?? 'TCP', state: p.state ?? 'OPEN', service: p.service, scanner: 'nmap',
        })),
      },
    },
  });
}
