import type { Credentials, TestApp } from './test-app.js';

export const SYNC = `mutation($i: SyncVulnsInput!, $f: [SyncVulnRecordInput!]!) { syncVulns(input: $i, findings: $f) {
  id status seq received created updated rejected rejections { index reason } } }`;

/** syncVulns with the chunk's findings given inside `i` (moved to their own argument here). */
export function syncGql(t: TestApp, vars: { i: { findings?: unknown[]; [k: string]: unknown } }, as: Credentials) {
  const { findings = [], ...i } = vars.i;
  return t.gql(SYNC, { i, f: findings }, as);
}
export const COMPLETE = 'mutation($i: CompleteVulnScanInput!) { completeVulnScan(input: $i) { id status seq closed error } }';
export const BATCH = `query($id: ID!) { ingestBatch(id: $id) {
  id kind status received created updated rejected closed error rejections { index reason } } }`;

/** Polls a batch until it is finished (DONE or FAILED), or COMPLETE batches until DONE. */
export async function waitForBatch(t: TestApp, id: string, statuses = ['DONE', 'FAILED'], timeoutMs = 25_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const b = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id } });
    if (statuses.includes(b.status)) return b;
    if (Date.now() > end) throw new Error(`batch ${id} still ${b.status} (${b.error ?? ''})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Rec {
  siteId: number | string;
  name: string;
  level: string;
  checkId?: string;
  url?: string;
  parameter?: string;
  [k: string]: unknown;
}

export const rec = (siteId: number, checkId: string, path = '/', extra: Partial<Rec> = {}): Rec => ({
  siteId,
  checkId,
  name: `Check ${checkId}`,
  level: 'high',
  url: `https://site-${siteId}.test${path}`,
  ...extra,
});
