// One deterministic workload driven through a running API's HTTP endpoints (GraphQL and
// POST /ingest/files), and a canonical snapshot of what it produced (no ids, no timestamps), so
// that the results of one process and of several can be compared for equality.
import { readSample } from '../helpers/scan-samples.js';

export const ADMIN = { username: 'multi-admin', password: 'multi-admin-password' };

/** A running API: GraphQL and file uploads over real HTTP. */
export class XscClient {
  constructor(readonly baseUrl: string) {}

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, auth?: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL ${query.slice(0, 60)}: ${res.status} ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  }

  /** POST /ingest/files; answers the batch (202). */
  async uploadFile(apiKey: string, query: Record<string, string | number>, file: Buffer, name: string): Promise<{ id: string }> {
    const form = new FormData();
    form.append('file', new Blob([file]), name);
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const res = await fetch(`${this.baseUrl}/ingest/files?${qs.toString()}`, { method: 'POST', headers: { authorization: apiKey }, body: form });
    if (res.status !== 202) throw new Error(`POST /ingest/files: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  }
}

/** Polls `probe` until it returns a value (not undefined), for up to `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ProbeTargets {
  http: string;
  silent: string;
  closed: string;
}

/** Authorization headers of the administrator, a user of a new organisation and its scanner's API key. */
export interface Organisation {
  admin: string;
  user: string;
  apiKey: string;
  orgId: string;
}

export interface World extends Organisation {
  sites: Record<string, string>;
  tasks: Record<string, string>;
  batches: Record<string, string>;
}

const LEVELS = ['critical', 'high', 'medium', 'low', 'info'];
const CHECKS = 37;

/**
 * Record `i` of the scan on `siteIds`: the same `i` always gives the same record (a duplicate
 * across chunks is identical), and a check always has the same name, level and kind.
 */
function record(i: number, siteIds: string[], siteUrls: string[]) {
  const s = i % siteIds.length;
  const check = i % CHECKS;
  return {
    siteId: siteIds[s],
    checkId: `chk-${check}`,
    name: `Check number ${check}`,
    level: LEVELS[check % LEVELS.length],
    kind: check % 2 ? 'injection' : 'configuration',
    url: new URL(`/path/${i}`, siteUrls[s]).href,
    parameter: i % 4 ? null : `p${i % 7}`,
    evidence: `evidence ${i} `.repeat(5),
  };
}

const SYNC = `mutation($i: SyncVulnsInput!, $f: [SyncVulnRecordInput!]!) { syncVulns(input: $i, findings: $f) { id } }`;
const COMPLETE = 'mutation($i: CompleteVulnScanInput!) { completeVulnScan(input: $i) { id } }';

/**
 * Builds the organisation and runs two scans through `api`: the first pushes six overlapping
 * syncVulns chunks (two of them sent twice at once with the same idempotency key), an Nmap file
 * and an asset chunk, all at the same time, while the sites are probed; the second rescans two
 * sites, closing what it no longer sees. Returns once everything is applied and counted.
 */
export async function runScenario(api: XscClient, probes: ProbeTargets, chunkSize = 600): Promise<World> {
  const org = await newOrganisation(api, 'multi');
  const { user, apiKey } = org;

  const siteUrls: Record<string, string> = {
    portal: `${probes.http}/`,
    missing: `${probes.http}/missing`,
    silent: `${probes.silent}/`,
    closed: `${probes.closed}/`,
    nmapHost: 'https://10.250.195.71/', // the host of the Nmap sample
    outside: 'https://outside.multi.test/', // never a target: records on it are rejected
  };
  const sites: Record<string, string> = {};
  for (const [name, url] of Object.entries(siteUrls)) {
    sites[name] = (await api.gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { url, name } }, user)).createSite.id;
  }
  /** A task made by the user and claimed by the scanner, as a scanner's cycle starts. */
  const claimedTask = async (name: string, siteNames: string[]) => {
    const id = (await api.gql('mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }', { i: { kind: 'VULN_SCAN', name, siteIds: siteNames.map((s) => sites[s]) } }, user)).createTask.id as string;
    const claimed = (await api.gql('mutation { claimTask(input: { kind: VULN_SCAN, scanner: "zap" }) { id } }', {}, apiKey)).claimTask;
    if (claimed?.id !== id) throw new Error(`claimTask gave ${JSON.stringify(claimed)}, not task ${id}`);
    return id;
  };
  const tasks: Record<string, string> = { first: await claimedTask('first scan', ['portal', 'missing', 'silent', 'closed', 'nmapHost']) };
  const batches: Record<string, string> = {};

  // First scan: everything at once.
  const scanned = ['portal', 'missing', 'silent', 'closed'];
  const ids = scanned.map((s) => sites[s]);
  const urls = scanned.map((s) => siteUrls[s]);
  const chunk = (c: number) => [
    ...Array.from({ length: chunkSize }, (_, k) => record(c * Math.floor(chunkSize * 0.75) + k, ids, urls)), // a quarter overlaps the next chunk
    { ...record(c, ids, urls), level: 'urgent' }, // rejected: unknown level
    { ...record(c, ids, urls), siteId: sites.outside }, // rejected: not a target of the task
  ];
  const push = async (label: string, taskId: string, seq: number, findings: unknown[], key = `${label}-key`) => {
    const id = (await api.gql(SYNC, { i: { taskId, seq, idempotencyKey: key, scanner: 'zap' }, f: findings }, apiKey)).syncVulns.id as string;
    if (batches[label] && batches[label] !== id) throw new Error(`${label} sent twice with one idempotency key made two batches`);
    batches[label] = id;
  };
  await Promise.all([
    ...[0, 1, 2, 3, 4, 5].map((c) => push(`first-${c + 1}`, tasks.first, c + 1, chunk(c))),
    push('first-2', tasks.first, 2, chunk(1)), // replays, concurrent with their first sending
    push('first-5', tasks.first, 5, chunk(4)),
    api.uploadFile(apiKey, { taskId: tasks.first, format: 'NMAP', seq: 7, idempotencyKey: 'first-file' }, readSample('nmap/issue4406.xml'), 'issue4406.xml')
      .then((b) => (batches['first-7'] = b.id)),
    api.gql(
      `mutation($i: SyncAssetsInput!, $h: [SyncAssetHostInput!]!, $r: [ScannedPortRangeInput!]) { syncAssets(input: $i, hosts: $h, scanned: $r) { id } }`,
      {
        i: { taskId: tasks.first, seq: 8, idempotencyKey: 'first-assets', scanner: 'nmap' },
        h: [
          { ip: '10.20.0.1', hostnames: ['portal.multi.test'], siteId: sites.portal, osName: 'Linux 5.4', osFamily: 'Linux', osAccuracy: 95, ports: [{ port: 80, service: 'http', state: 'open' }, { port: 443, service: 'https', product: 'nginx', version: '1.24' }] },
          { ip: '10.20.0.2', ports: [{ port: 22, service: 'ssh', product: 'OpenSSH', version: '9.6' }, { port: 3306, service: 'mysql', state: 'filtered' }] },
          { ip: '10.20.0.3', up: false },
        ],
        r: [{ from: 1, to: 10000 }],
      },
      apiKey,
    ).then((d) => (batches['first-8'] = d.syncAssets.id)),
    api.gql('mutation($ids: [ID!]!) { probeSites(ids: $ids) }', { ids }, user),
  ]);
  batches['first-complete'] = (await api.gql(COMPLETE, { i: { taskId: tasks.first, totalChunks: 8 } }, apiKey)).completeVulnScan.id;
  await taskFinished(api, user, tasks.first);

  tasks.rescan = await claimedTask('rescan', ['portal', 'missing']);
  // The rescan of two sites sees a third of their findings again and one new one.
  const seenAgain = Array.from({ length: 5 * chunkSize }, (_, i) => i).filter((i) => i % 3 === 0 && i % 4 < 2).map((i) => record(i, ids, urls));
  await Promise.all([
    push('rescan-1', tasks.rescan, 1, seenAgain.slice(0, seenAgain.length / 2)),
    push('rescan-2', tasks.rescan, 2, [...seenAgain.slice(seenAgain.length / 2), { ...record(0, ids, urls), checkId: 'new-check', name: 'A new check' }]),
  ]);
  batches['rescan-complete'] = (await api.gql(COMPLETE, { i: { taskId: tasks.rescan, totalChunks: 2 } }, apiKey)).completeVulnScan.id;
  await taskFinished(api, user, tasks.rescan);

  await until('the probes', async () => {
    const probed = await Promise.all(ids.map(async (id) => (await api.gql('query($id: ID!) { site(id: $id) { lastProbedAt } }', { id }, user)).site.lastProbedAt));
    return probed.every(Boolean) ? true : undefined;
  });
  await until('the statistics', async () => {
    const d = await api.gql('{ statsLag { pendingSites } }', {}, org.admin);
    const a = await api.gql('{ assetStats { pendingSince } }', {}, user);
    return d.statsLag.pendingSites === 0 && a.assetStats.pendingSince === null ? true : undefined;
  });
  return { ...org, sites, tasks, batches };
}

const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }';

/** An organisation made through the API by the administrator, with a user and a scanner's key. */
export async function newOrganisation(api: XscClient, name: string): Promise<Organisation> {
  const admin = `Bearer ${(await api.gql(LOGIN, { i: ADMIN })).login.accessToken}`;
  const orgId = (await api.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { name } }, admin)).createOrganization.id;
  const credentials = { username: `${name}-user`, password: `${name}-user-password` };
  await api.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { ...credentials, organizationId: orgId, role: 'USER' } }, admin);
  const user = `Bearer ${(await api.gql(LOGIN, { i: credentials })).login.accessToken}`;
  const apiKey = `ApiKey ${(await api.gql(
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
    { i: { name: 'scanner', organizationId: orgId, scopes: ['SYNC_VULNS', 'TASKS_CLAIM'] } },
    admin,
  )).createApiKey.secret}`;
  return { admin, user, apiKey, orgId };
}

async function taskFinished(api: XscClient, auth: string, taskId: string) {
  await until(`task ${taskId}`, async () => {
    const { task } = await api.gql('query($id: ID!) { task(id: $id) { status error } }', { id: taskId }, auth);
    if (task.status === 'FAILED') throw new Error(`task ${taskId} FAILED: ${task.error}`);
    return task.status === 'SUCCEEDED' ? true : undefined;
  }, 90_000);
}

const countBy = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
const byJson = <T>(items: T[]) => [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** What the workload produced, as the API shows it, without ids and timestamps, in a stable order. */
export async function snapshot(api: XscClient, w: World) {
  const q = (query: string, variables: Record<string, unknown> = {}) => api.gql(query, variables, w.user);
  const siteName = Object.fromEntries(Object.entries(w.sites).map(([name, id]) => [id, name]));
  const taskName = Object.fromEntries(Object.entries(w.tasks).map(([name, id]) => [id, name]));

  const findings: unknown[] = [];
  for (let after: string | null = null; ;) {
    const { vulns }: any = await q(`query($after: String) { vulns(first: 100, after: $after, filter: { statuses: [OPEN, FIXED, IGNORED, FALSE_POSITIVE] }) {
      nodes { siteId taskId lastTaskId level status scanner url parameter evidence entry { name key level kind } }
      pageInfo { hasNextPage endCursor } } }`, { after });
    for (const v of vulns.nodes) {
      findings.push({
        ...v,
        siteId: siteName[v.siteId],
        taskId: taskName[v.taskId],
        lastTaskId: taskName[v.lastTaskId],
      });
    }
    if (!vulns.pageInfo.hasNextPage) break;
    after = vulns.pageInfo.endCursor;
  }

  const batches = await Promise.all(Object.entries(w.batches).sort().map(async ([label, id]) => {
    const { ingestBatch: b } = await q('query($id: ID!) { ingestBatch(id: $id) { kind seq status received created updated rejected closed error rejections { index reason } } }', { id });
    return { label, ...b };
  }));
  const { sites } = await q('{ sites(first: 100) { nodes { id url name liveness httpStatus title server ip probeError riskLevel securityScore relatedDomainCount warning } } }');
  const { tasks } = await q('{ tasks(first: 100) { nodes { name kind status progress error scanner siteIds } } }');
  const { assets } = await q('{ assets(first: 100) { nodes { id } } }');
  const assetDetails = await Promise.all(assets.nodes.map(async ({ id }: { id: string }) => {
    const { asset } = await q(`query($id: ID!) { asset(id: $id) { ip hostnames liveness openPorts osName osFamily osAccuracy
      ports { port protocol state service product version extraInfo cpes scanner lastTaskId } sites { name } openFindings { url level } } }`, { id });
    return {
      ...asset,
      ports: byJson(asset.ports.map((p: any) => ({ ...p, lastTaskId: taskName[p.lastTaskId] }))),
      // at most 200, most severe first: which of equally severe ones make the cut goes by id
      openFindings: countBy(asset.openFindings.map((f: { level: string }) => f.level)),
    };
  }));
  const stats = await q(`{
    vulnTotals { level status count }
    vulnLevelStat { level count }
    vulnKindStat { kind count }
    vulnNameStat(first: 100) { name level kind count }
    riskiestSites(first: 10) { name url riskLevel securityScore open { level count } }
    siteRiskDistribution { riskLevel siteCount }
    siteSafeStat { riskLevel siteCount }
    assetStats(top: 10) { liveness { key count } osFamilies { key count } topPorts { key count } topServices { key count } exposuresByRisk { key count } vulnsByLevel { key count } vulnsByKind { key count } riskiestAssets { ip score } }
  }`);

  return {
    findings: byJson(findings),
    batches: batches.map(({ created, updated, ...b }) => b), // which of two chunks with one record created it depends on their order
    createdAndUpdated: Object.fromEntries(Object.keys(w.tasks).map((t) => [t, batches.filter((b) => b.label.startsWith(t)).reduce((n, b) => n + b.created + b.updated, 0)])),
    created: batches.reduce((n, b) => n + b.created, 0),
    sites: byJson(sites.nodes.map(({ id, ...s }: any) => ({ ...s, name: siteName[id] }))),
    tasks: byJson(tasks.nodes.map((t: any) => ({ ...t, siteIds: t.siteIds.map((id: string) => siteName[id]).sort() }))),
    assets: byJson(assetDetails),
    // Entries and sites with equal counts come in id order, and ids differ between databases.
    stats: { ...stats, vulnNameStat: byJson(stats.vulnNameStat), riskiestSites: byJson(stats.riskiestSites) },
  };
}
