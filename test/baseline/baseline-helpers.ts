import { readFileSync } from 'node:fs';
import { createAdmin, createApiKey, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { waitForBatch } from '../helpers/ingest-helpers.js';
import { samplePath } from '../helpers/scan-samples.js';
import type { TestApp } from '../helpers/test-app.js';
import { createTask } from '../helpers/vuln-factories.js';
import { insertSite } from '../sites/site-helpers.js';

export const RESULT_FIELDS = `id organizationId siteId taskId scriptId scriptName version isLatest passCount failCount errorCount naCount
  manualCount passWeight scoredWeight score`;
export const SCRIPT_FIELDS = 'id name target targetVersion description source latestVersion current { id version checks { checkId title level expected rationale remediation } }';
export const SYNC = `mutation($i: SyncBaselineInput!, $items: [SyncBaselineItemInput!]!) { syncBaseline(input: $i, items: $items) {
  id kind status seq received created updated rejected rejections { index reason } } }`;
export const SYNC_MANY = `mutation($r: [SyncBaselineResultInput!]!) { syncBaselineResults(results: $r) {
  index idempotencyKey error { code message field } batch { id kind status seq received created updated rejected } } }`;
export const CREATE_SCRIPT = `mutation($i: BaselineScriptInput!) { createBaselineScript(input: $i) { ${SCRIPT_FIELDS} } }`;
export const UPDATE_SCRIPT = `mutation($id: ID!, $i: BaselineScriptInput!) { updateBaselineScript(id: $id, input: $i) { ${SCRIPT_FIELDS} } }`;
export const PASS_RATES = `query($by: BaselineGroupBy!) { baselinePassRates(by: $by) {
  key name results passCount failCount errorCount naCount manualCount passWeight scoredWeight passRate } }`;

export interface CheckIn {
  checkId: string;
  title: string;
  level: string;
  expected?: string;
}

export const checksOf = (n: number, prefix = 'c'): CheckIn[] =>
  Array.from({ length: n }, (_, i) => ({ checkId: `${prefix}-${i + 1}`, title: `Check ${i + 1}`, level: (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const)[i % 5], expected: `value ${i + 1}` }));

export const scriptInput = (checks: CheckIn[] = checksOf(6), name = `script ${uniq()}`) => ({ name, target: 'linux', targetVersion: '22.04', description: 'test script', checks });

/** The baseline world of one organisation: a user, an agent key, sites. */
export async function baselineWorld(t: TestApp, opts: { sites?: number; areaCodes?: (string | null)[]; hosts?: string[] } = {}) {
  const user = await createUser(t);
  const orgId = user.organizationId!;
  const key = await createApiKey(t, orgId, ['sync:baseline']);
  const n = opts.hosts?.length ?? opts.sites ?? opts.areaCodes?.length ?? 1;
  const sites: Awaited<ReturnType<typeof insertSite>>[] = [];
  for (let i = 0; i < n; i++) {
    const host = opts.hosts?.[i];
    sites.push(await insertSite(t, orgId, { areaCode: opts.areaCodes?.[i] ?? null, ...(host ? { url: `https://${host}` } : {}) }));
  }
  const task = (siteIds = sites.map((s) => s.id)) => createTask(t, orgId, siteIds, 'BASELINE');
  const sync = (i: Record<string, unknown>, items: object[], apiKey = key.key) =>
    t.gql(SYNC, { i: { seq: 1, idempotencyKey: `k-${uniq()}`, ...i }, items }, { apiKey });
  /** Pushes and waits for the batch to be applied; returns the batch row. */
  const push = async (i: Record<string, unknown>, items: object[]) => {
    const r = await sync(i, items);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return waitForBatch(t, r.data!.syncBaseline.id);
  };
  /** syncBaselineResults: each result gets seq 1 and a fresh key unless given. */
  const syncMany = (results: Record<string, unknown>[], apiKey = key.key) =>
    t.gql(SYNC_MANY, { r: results.map((r) => ({ seq: 1, idempotencyKey: `k-${uniq()}`, ...r })) }, { apiKey });
  /** Pushes several results in one call and waits for every stored batch. */
  const pushMany = async (results: Record<string, unknown>[]) => {
    const r = await syncMany(results);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const outcomes = r.data!.syncBaselineResults as any[];
    const failed = outcomes.filter((o) => o.error);
    if (failed.length) throw new Error(JSON.stringify(failed));
    return Promise.all(outcomes.map((o) => waitForBatch(t, o.batch.id)));
  };
  const upload = (taskId: number, format: string, file: string | Buffer, apiKey = key.key) =>
    t.http().post('/ingest/files').query({ taskId, format }).set('authorization', `ApiKey ${apiKey}`)
      .attach('file', typeof file === 'string' ? readFileSync(samplePath(file)) : file, 'report');
  return { user, orgId, key, sites, task, sync, push, syncMany, pushMany, upload };
}

export async function adminWithScript(t: TestApp, checks: CheckIn[] = checksOf(6)): Promise<{ admin: UserWithToken; script: any }> {
  const admin = await createAdmin(t);
  const r = await t.gql(CREATE_SCRIPT, { i: scriptInput(checks) }, admin);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return { admin, script: r.data!.createBaselineScript };
}

export const latestResult = (t: TestApp, siteId: number, scriptId: number) =>
  t.prisma.baselineResult.findFirstOrThrow({ where: { siteId, scriptId, isLatest: true } });
