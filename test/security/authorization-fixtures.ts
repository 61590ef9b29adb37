// The two organisations the authorisation matrix asks about: A owns everything the requests name,
// B is the outsider whose answers must never show A's data. Built once, mostly with Prisma.
import { createHash, randomUUID } from 'node:crypto';
import { AccessTokenService } from '../../src/common/auth/access-token.service.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../src/common/auth/principal.js';
import { CREATE_SCRIPT, checksOf, scriptInput, SYNC as SYNC_BASELINE } from '../baseline/baseline-helpers.js';
import { flow, hoursAgo, SYNC_FLOW } from '../flows/flow-helpers.js';
import { createAdmin, createApiKey, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { waitForBatch } from '../helpers/ingest-helpers.js';
import type { Credentials, TestApp } from '../helpers/test-app.js';
import { createTask } from '../helpers/vuln-factories.js';
import { demoContent, idsOf, publishedQuestionnaire, SUBMIT } from '../questionnaires/questionnaire-helpers.js';

/** The callers every operation is tried with: anonymous, users of A and B, an administrator, and API keys of A and of B with each single scope. */
export type Caller = 'anonymous' | 'userA' | 'userB' | 'admin' | `keyA ${ApiKeyScope}` | `keyB ${ApiKeyScope}`;
export const CALLERS: Caller[] = [
  'anonymous', 'userA', 'userB', 'admin',
  ...API_KEY_SCOPES.map((s) => `keyA ${s}` as const),
  ...API_KEY_SCOPES.map((s) => `keyB ${s}` as const),
];
export const isB = (c: Caller) => c === 'userB' || c.startsWith('keyB ');

// A's ids are far above anything a sequence hands out, so finding one in B's data is never a coincidence.
const ID = { org: 7_340_001, user: 7_340_011, site: 7_340_021, task: 7_340_031, baselineTask: 7_340_032, entry: 7_340_041, finding: 7_340_051, asset: 7_340_071, tag: 7_340_081, related: 7_340_091 };
export const A_CRITICAL_FINDINGS = 7;

/** A's values that must never appear in an answer to B: strings anywhere, ids inside data. */
export const A_VALUES = {
  orgName: 'Aardvark Holdings 7340',
  host: 'aardvark-7340.example.test',
  siteName: 'Aardvark storefront',
  entryName: 'Aardvark-only deserialisation flaw',
  findingUrl: 'https://aardvark-7340.example.test/checkout-7340',
  ip: '203.0.113.73',
  taskName: 'aardvark weekly scan',
  tagName: 'aardvark-tag',
  username: `aardvark-user-${uniq()}`,
  answerText: 'Aardvark patches every Tuesday',
};

export interface Fixtures {
  t: TestApp;
  orgA: number;
  orgB: number;
  userA: UserWithToken;
  userB: UserWithToken;
  admin: UserWithToken;
  keys: Record<`keyA ${ApiKeyScope}` | `keyB ${ApiKeyScope}`, { id: number; key: string }>;
  /** A signed-in neutral user (no organisation) whose password the public auth operations use. */
  neutral: UserWithToken;
  siteA: number;
  /** A's second site: fresh findings for status changes go there, so the statistics of siteA stay as built. */
  siteA2: number;
  siteB: number;
  taskA: number;
  baselineTaskA: number;
  entryA: number;
  findingA: number;
  assetA: number;
  tagA: number;
  relatedA: number;
  monitoredPortA: number;
  exposureA: number;
  batchA: string;
  flowBatchA: string;
  scriptId: number;
  scriptVersion: number;
  baselineResultA: number;
  questionnaireId: number;
  familyId: number;
  answerA: number;
  /** Answers to every required question of that questionnaire. */
  answers: { questionId: string; choiceIds?: string[]; text?: string }[];
  /** A's library entry for the findings made per request. */
  freshEntryA: number;
  reportA: string;
  newsId: number;
  newsCategoryId: number;
  /** A's ids whose appearance in B's data would be a leak. */
  aIds: string[];
  credentials(c: Caller): Credentials;
  /** A new session of the caller (for logout, which ends the session it is called with). */
  newSession(c: Caller): Credentials;
  fresh: ReturnType<typeof freshMakers>;
}

async function gqlOrThrow(t: TestApp, q: string, v: Record<string, unknown>, as: Credentials) {
  const r = await t.gql(q, v, as);
  if (r.errors) throw new Error(`fixture: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

const fingerprint = () => createHash('sha256').update(randomUUID()).digest('hex');

export async function buildFixtures(t: TestApp): Promise<Fixtures> {
  const p = t.prisma;
  const orgA = (await p.organization.create({ data: { id: ID.org, name: A_VALUES.orgName } })).id;
  const orgB = (await p.organization.create({ data: { name: `B org ${uniq()}` } })).id;
  const userA = await createUser(t, { organizationId: orgA, username: A_VALUES.username });
  const userB = await createUser(t, { organizationId: orgB });
  const admin = await createAdmin(t);
  const neutral = await createUser(t, { organizationId: null });
  const keys = {} as Fixtures['keys'];
  for (const s of API_KEY_SCOPES) {
    keys[`keyA ${s}`] = await createApiKey(t, orgA, [s]);
    keys[`keyB ${s}`] = await createApiKey(t, orgB, [s]);
  }

  const siteA = (await p.site.create({ data: { id: ID.site, organizationId: orgA, url: `https://${A_VALUES.host}`, domain: A_VALUES.host, name: A_VALUES.siteName } })).id;
  const siteA2 = (await p.site.create({ data: { organizationId: orgA, url: `https://second-${uniq()}.example.test`, domain: 'example.test', name: 'second' } })).id;
  const siteB = (await p.site.create({ data: { organizationId: orgB, url: `https://b-${uniq()}.example.test`, domain: 'example.test', name: 'B site' } })).id;
  const taskA = (await p.task.create({ data: { id: ID.task, organizationId: orgA, kind: 'VULN_SCAN', name: A_VALUES.taskName, sites: { create: [{ siteId: siteA }] } } })).id;
  const baselineTaskA = (await p.task.create({ data: { id: ID.baselineTask, organizationId: orgA, kind: 'BASELINE', name: `${A_VALUES.taskName} (baseline)`, sites: { create: [{ siteId: siteA }] } } })).id;
  await createTask(t, orgB, [siteB]);

  // A: seven CRITICAL findings of its own library entry; B: two HIGH ones. Statistics must keep them apart.
  const entryA = (await p.vulnEntry.create({ data: { id: ID.entry, organizationId: orgA, key: `name:${A_VALUES.entryName.toLowerCase()}`, name: A_VALUES.entryName, level: 'CRITICAL', kind: 'aardvark-kind' } })).id;
  const entryB = await p.vulnEntry.create({ data: { key: `name:b ${uniq()}`, name: `B entry ${uniq()}`, level: 'HIGH', kind: 'injection' } });
  for (let i = 0; i < A_CRITICAL_FINDINGS; i++) {
    const url = i === 0 ? A_VALUES.findingUrl : `${A_VALUES.findingUrl}/${i}`;
    await p.finding.create({ data: { id: ID.finding + i, organizationId: orgA, siteId: siteA, entryId: entryA, scanner: 'aardvark-scanner', url, location: url, level: 'CRITICAL', status: 'OPEN', fingerprint: fingerprint(), taskId: taskA, lastTaskId: taskA } });
  }
  for (let i = 0; i < 2; i++) {
    await p.finding.create({ data: { organizationId: orgB, siteId: siteB, entryId: entryB.id, scanner: 'test', url: `https://b.test/${i}`, location: `https://b.test/${i}`, level: 'HIGH', status: 'OPEN', fingerprint: fingerprint() } });
  }

  const assetA = (await p.asset.create({
    data: {
      id: ID.asset, organizationId: orgA, ip: A_VALUES.ip, hostnames: [A_VALUES.host], liveness: 'UP', osName: 'Aardvark OS', osFamily: 'aardvark',
      sites: { create: [{ siteId: siteA }] },
      ports: { create: [22, 8443].map((port) => ({ organizationId: orgA, port, protocol: 'TCP' as const, state: 'OPEN' as const, service: 'aardvark-svc', scanner: 'nmap' })) },
    },
    include: { ports: true },
  }));
  const monitoredPortA = (await p.monitoredPort.create({ data: { organizationId: orgA, port: 8443, protocol: 'TCP', riskLevel: 'HIGH', note: 'aardvark watch' } })).id;
  const port8443 = assetA.ports.find((x) => x.port === 8443)!;
  const exposureA = (await p.exposure.create({
    data: { organizationId: orgA, assetId: assetA.id, servicePortId: port8443.id, monitoredPortId: monitoredPortA, port: 8443, protocol: 'TCP', service: 'aardvark-svc', riskLevel: 'HIGH', openedAt: new Date(), lastSeen: new Date() },
  })).id;
  const tagA = (await p.tag.create({ data: { id: ID.tag, organizationId: orgA, name: A_VALUES.tagName, sites: { create: [{ siteId: siteA }] } } })).id;
  const relatedA = (await p.relatedDomain.create({ data: { id: ID.related, siteId: siteA, hostname: `api.${A_VALUES.host}`, source: 'PROBE' } })).id;

  // Pushed the scanners' way: an ingest batch, a flow batch, a baseline result.
  const batchA = (await gqlOrThrow(t, 'mutation($i: SyncVulnsInput!) { syncVulns(input: $i, findings: []) { id } }',
    { i: { taskId: taskA, seq: 1, idempotencyKey: `a-${uniq()}`, scanner: 'aardvark-scanner' } }, { apiKey: keys['keyA sync:vulns'].key })).syncVulns.id as string;
  const flowBatchA = (await gqlOrThrow(t, SYNC_FLOW, { k: `aardvark-${uniq()}`, r: [flow(hoursAgo(1), { dstAddr: A_VALUES.ip, dstPort: 8443, action: 'DENY' })] },
    { apiKey: keys['keyA sync:flows'].key })).syncFlow.id as string;
  const script = (await gqlOrThrow(t, CREATE_SCRIPT, { i: scriptInput(checksOf(4)) }, admin)).createBaselineScript;
  const baselineBatch = (await gqlOrThrow(t, SYNC_BASELINE, {
    i: { taskId: baselineTaskA, siteId: siteA, scriptId: script.id, seq: 1, idempotencyKey: `a-${uniq()}` },
    items: checksOf(4).map((c, i) => ({ checkId: c.checkId, status: i % 2 ? 'PASS' : 'FAIL', actual: 'aardvark value' })),
  }, { apiKey: keys['keyA sync:baseline'].key })).syncBaseline.id as string;
  await waitForBatch(t, baselineBatch, ['DONE']);
  const baselineResultA = (await p.baselineResult.findFirstOrThrow({ where: { siteId: siteA, scriptId: Number(script.id) } })).id;

  const questionnaire = await publishedQuestionnaire(t, admin);
  const q = idsOf(questionnaire);
  const answers = [{ questionId: q.mfa.id, choiceIds: [q.mfa.choices[2].id] }, { questionId: q.patch.id, text: A_VALUES.answerText }];
  const answerA = (await gqlOrThrow(t, SUBMIT, { i: { questionnaireId: questionnaire.id, answers } }, userA)).submitQuestionnaireAnswer.id as string;

  const reportA = (await gqlOrThrow(t, 'mutation($s: ID!) { requestSiteReport(siteId: $s, lang: EN) { id } }', { s: siteA }, userA)).requestSiteReport.id as string;
  for (let i = 0; ; i++) {
    const r = await p.report.findUniqueOrThrow({ where: { id: reportA } });
    if (r.status === 'DONE') break;
    if (r.status === 'FAILED' || i > 300) throw new Error(`fixture report ${r.status} ${r.error ?? ''}`);
    await new Promise((res) => setTimeout(res, 100));
  }

  const category = await p.newsCategory.create({ data: { name: `category ${uniq()}` } });
  const news = await p.news.create({ data: { title: `news ${uniq()}`, content: 'public news', categoryId: category.id, published: true, publishedAt: new Date() } });

  const signer = t.app.get(AccessTokenService);
  const userOf = (c: Caller) => ({ userA, userB, admin } as Record<string, UserWithToken>)[c];
  const f: Fixtures = {
    t, orgA, orgB, userA, userB, admin, keys, neutral, siteA, siteA2, siteB, taskA, baselineTaskA, entryA, findingA: ID.finding, assetA: assetA.id, tagA,
    relatedA, monitoredPortA, exposureA, batchA, flowBatchA, scriptId: Number(script.id), scriptVersion: script.latestVersion, baselineResultA,
    questionnaireId: Number(questionnaire.id), familyId: Number(questionnaire.familyId), answerA: Number(answerA), answers, reportA,
    freshEntryA: (await p.vulnEntry.create({ data: { organizationId: orgA, key: 'name:fresh', name: 'fresh', level: 'LOW' } })).id,
    newsId: news.id, newsCategoryId: category.id,
    aIds: [orgA, siteA, taskA, baselineTaskA, entryA, assetA.id, tagA, relatedA, ...Array.from({ length: A_CRITICAL_FINDINGS }, (_, i) => ID.finding + i)]
      .map(String).concat([batchA, flowBatchA, reportA]),
    credentials(c) {
      if (c === 'anonymous') return {};
      const user = userOf(c);
      return user ? { token: user.token } : { apiKey: keys[c as keyof Fixtures['keys']].key };
    },
    newSession(c) {
      const user = userOf(c);
      return user ? { token: signer.sign(user, randomUUID()) } : f.credentials(c);
    },
    fresh: undefined as never,
  };
  f.fresh = freshMakers(f);
  return f;
}

/** Objects made for one request, for operations that change or destroy what they are given. */
function freshMakers(f: Fixtures) {
  const { t } = f;
  const p = t.prisma;
  const asAdmin = (q: string, v: Record<string, unknown>) => gqlOrThrow(t, q, v, f.admin);
  return {
    site: async () => (await p.site.create({ data: { organizationId: f.orgA, url: `https://fresh-${uniq()}.example.test`, domain: 'example.test', name: 'fresh' } })).id,
    task: async (kind: 'VULN_SCAN' | 'BASELINE' = 'VULN_SCAN', data: Record<string, unknown> = {}) =>
      (await p.task.create({ data: { organizationId: f.orgA, kind, name: `fresh ${uniq()}`, scanner: 'fresh-scanner', sites: { create: [{ siteId: f.siteA }] }, ...data } })).id,
    finding: async (status: 'OPEN' | 'TRASHED' = 'OPEN') => {
      const url = `https://fresh.test/${uniq()}`;
      return (await p.finding.create({ data: { organizationId: f.orgA, siteId: f.siteA2, entryId: f.freshEntryA, scanner: 'test', url, location: url, level: 'LOW', status: 'OPEN', fingerprint: fingerprint(), ...(status === 'TRASHED' ? { trashedAt: new Date() } : {}) } })).id;
    },
    tag: async () => (await p.tag.create({ data: { organizationId: f.orgA, name: `t-${uniq()}` } })).id,
    related: async () => (await p.relatedDomain.create({ data: { siteId: f.siteA2, hostname: `${uniq()}.example.test`, source: 'PROBE' } })).id,
    monitoredPort: async () => (await p.monitoredPort.create({ data: { organizationId: f.orgA, port: 20_000 + Math.floor(Math.random() * 40_000), protocol: 'UDP', riskLevel: 'LOW' } })).id,
    user: async () => (await createUser(t, { organizationId: f.orgA })).id,
    org: async () => (await p.organization.create({ data: { name: `fresh org ${uniq()}` } })).id,
    apiKey: async () => (await createApiKey(t, f.orgA, ['read:vulns'])).id,
    entry: async () => (await p.vulnEntry.create({ data: { key: `name:fresh ${uniq()}`, name: `fresh ${uniq()}`, level: 'LOW' } })).id,
    script: async () => Number((await asAdmin(CREATE_SCRIPT, { i: scriptInput(checksOf(2)) })).createBaselineScript.id),
    newsCategory: async () => (await p.newsCategory.create({ data: { name: `category ${uniq()}` } })).id,
    news: async () => (await p.news.create({ data: { title: `news ${uniq()}`, content: 'x' } })).id,
    questionnaireDraft: async () => Number((await asAdmin(`mutation($i: QuestionnaireContentInput!) { createQuestionnaire(input: $i) { id } }`, { i: demoContent() })).createQuestionnaire.id),
    failedBatch: async () => {
      const taskId = await freshMakers(f).task();
      return (await p.ingestBatch.create({ data: { organizationId: f.orgA, taskId, kind: 'FINDINGS', seq: 1, idempotencyKey: uniq(), payload: { scanner: 'x', findings: [] }, status: 'FAILED', error: 'failed on purpose' } })).id;
    },
    baselineResult: async () => {
      const version = await p.baselineScriptVersion.findFirstOrThrow({ where: { scriptId: f.scriptId } });
      return (await p.baselineResult.create({ data: { organizationId: f.orgA, siteId: f.siteA2, scriptId: f.scriptId, versionId: version.id, isLatest: false } })).id;
    },
  };
}
