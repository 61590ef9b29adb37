import type { Finding, VulnEntry } from '../generated/prisma/client.js';
import type { Vuln } from './models/vuln.model.js';

type FindingRow = Finding & { entry: VulnEntry; site?: { name: string; url: string } | null };

/** A finding row as the GraphQL Vuln type, with the parts its fingerprint was made of. */
export function toVuln(row: FindingRow): Vuln {
  const { site, fingerprintVersion, location, ...rest } = row;
  return {
    ...rest,
    siteName: site?.name ?? null,
    siteUrl: site?.url ?? null,
    fingerprintParts: { version: fingerprintVersion, siteId: row.siteId, entryId: row.entryId, location, parameter: row.parameter },
  };
}
