import { uniq } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';

/** A site straight in the database (for arranging data; the operations under test go through GraphQL). */
export async function insertSite(
  t: TestApp,
  organizationId: number,
  data: Partial<{ url: string; name: string; areaCode: string | null; riskLevel: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' }> = {},
) {
  const host = `s${uniq()}.example.com`;
  return t.prisma.site.create({
    data: {
      organizationId,
      url: data.url ?? `http://${host}`,
      domain: 'example.com',
      name: data.name ?? host,
      areaCode: data.areaCode ?? null,
      riskLevel: data.riskLevel ?? 'NONE',
    },
  });
}

export const SITE_FIELDS = 'id organizationId url domain name areaCode liveness riskLevel title';
