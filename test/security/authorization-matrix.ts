// The authorisation matrix: every GraphQL operation and HTTP endpoint, the request it is tried
// with (on organisation A's objects), and what each caller must get. A new operation adds its row
// here; authorization-matrix.integration-spec.ts fails for an operation without one.
import { API_KEY_SCOPES, type ApiKeyScope } from '../../src/common/auth/principal.js';
import { flow, hoursAgo, ndjson } from '../flows/flow-helpers.js';
import { uniq } from '../helpers/factories.js';
import { demoContent } from '../questionnaires/questionnaire-helpers.js';
import { A_CRITICAL_FINDINGS, CALLERS, type Caller, type Fixtures } from './authorization-fixtures.js';

/** `ok`, or the error code (GraphQL `extensions.code`, REST `error.code`) the caller must get. */
export type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'SERVICE_UNAVAILABLE';
export type Expect = Record<Caller, Outcome>;

export type Request =
  | { gql: string; vars?: Record<string, unknown>; newSession?: boolean }
  | { method: 'GET' | 'POST'; path: string; query?: Record<string, string | number>; body?: string; contentType?: string; file?: Buffer };

/** What a request got: its outcome and the parsed answer (GraphQL `{data, errors}`, REST body). */
export interface Answer {
  outcome: string;
  body: unknown;
  text: string;
}

export interface Row {
  expect: Expect;
  request: (f: Fixtures, c: Caller) => Request | Promise<Request>;
  /** An extra check of an answer; returns what is wrong, if anything. */
  check?: (a: Answer, c: Caller, f: Fixtures) => string | undefined;
  /** Where the outcome is not the first error's code (errors reported per item of a list). */
  outcome?: (a: Answer) => string | undefined;
}

// ---- outcome classes ----------------------------------------------------------------------------
const everyone = (o: Outcome): Expect => Object.fromEntries(CALLERS.map((c) => [c, o])) as Expect;
/** Open to anyone, signed in or not, with a key or not. */
const PUBLIC = everyone('ok');
/** Any signed-in user; lists and statistics answer B with B's data only. */
const SIGNED_IN: Expect = { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', userA: 'ok', userB: 'ok', admin: 'ok' };
const ADMIN_ONLY: Expect = { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', admin: 'ok' };
/** A's object: its users and administrators; B answers like a missing object. */
const ORG_OBJECT: Expect = { ...SIGNED_IN, userB: 'NOT_FOUND' };
/** API keys with `scope` on A's object: A's key succeeds, B's key answers like a missing object. */
const keys = (scope: ApiKeyScope, a: Outcome = 'ok', b: Outcome = 'NOT_FOUND'): Partial<Expect> => ({ [`keyA ${scope}`]: a, [`keyB ${scope}`]: b });
/** Scanners only (users are refused): A's key with the scope, B's key answers like a missing object. */
const SCANNER = (scope: ApiKeyScope, b: Outcome = 'NOT_FOUND'): Expect => ({ ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', ...keys(scope, 'ok', b) });
const ANY_KEY: Expect = { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', ...Object.fromEntries(CALLERS.filter((c) => c.startsWith('key')).map((c) => [c, 'ok'])) };

// ---- request helpers ----------------------------------------------------------------------------
const q = (gql: string, vars?: Record<string, unknown>): Request => ({ gql, vars });
const NOW = Date.now();
// Whole hours (flowAggregates takes nothing else), from two days ago to the next hour.
const RANGE = { from: new Date(hoursAgo(48)).toISOString(), to: new Date(hoursAgo(-1)).toISOString() };
const VULN = 'id url level siteName siteUrl organizationId entry { name kind }';
const SITE = 'id name url domain organizationId organization { name } tags { name }';

/** The count of CRITICAL in a [{level, count}] list (summed over statuses). */
function criticalCount(list: { level: string; count: number }[] | undefined): number | undefined {
  return list?.filter((x) => x.level === 'CRITICAL').reduce((n, x) => n + x.count, 0);
}
/** A's seven CRITICAL findings count for A and administrators, never for B. */
function countsCriticalsRight(field: string) {
  return (a: Answer, c: Caller) => {
    const n = criticalCount((a.body as any)?.data?.[field]);
    if (c === 'userA' && n !== A_CRITICAL_FINDINGS) return `A sees ${n} CRITICAL findings, not ${A_CRITICAL_FINDINGS}`;
    if (c === 'admin' && (n ?? 0) < A_CRITICAL_FINDINGS) return `the administrator sees ${n} CRITICAL findings, fewer than A's ${A_CRITICAL_FINDINGS}`;
    if (c === 'userB' && n !== 0) return `B sees ${n} CRITICAL findings (B has none: A's are counted)`;
    return undefined;
  };
}

const keyOf = (f: Fixtures, c: Caller) => (c.startsWith('key') ? f.keys[c as keyof Fixtures['keys']] : undefined);

// ---- the table ----------------------------------------------------------------------------------
export const MATRIX: Record<string, Row> = {
  // ---- queries
  'Query.adminNews': { expect: ADMIN_ONLY, request: (f) => q('query($id: ID!) { adminNews(id: $id) { id title } }', { id: f.newsId }) },
  'Query.adminNewsList': { expect: ADMIN_ONLY, request: () => q('{ adminNewsList { totalCount nodes { id } } }') },
  'Query.apiKeyWhoAmI': { expect: ANY_KEY, request: () => q('{ apiKeyWhoAmI { id name organizationId scopes organization { name } } }') },
  'Query.apiKeys': { expect: ADMIN_ONLY, request: () => q('{ apiKeys { totalCount nodes { id name } } }') },
  'Query.areas': { expect: SIGNED_IN, request: () => q('{ areas { code name } }') },
  'Query.asset': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { asset(id: $id) { id ip hostnames osName ports { port service } sites { name } openFindings { id } } }', { id: f.assetA }) },
  'Query.assetStats': { expect: SIGNED_IN, request: () => q('{ assetStats { liveness { key count } osFamilies { key count } topPorts { key count } topServices { key count } exposuresByRisk { key count } riskiestAssets { assetId ip score } vulnsByLevel { key count } vulnsByKind { key count } } }') },
  'Query.assets': { expect: SIGNED_IN, request: () => q('{ assets(first: 100) { totalCount nodes { id ip hostnames osName organizationId } } }') },
  'Query.baselineChanges': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { baselineChanges(id: $id) { resultId newlyFailing { checkId } } }', { id: f.baselineResultA }) },
  'Query.baselineList': { expect: ORG_OBJECT, request: (f) => q('query($s: ID!) { baselineList(siteId: $s) { totalCount nodes { id siteId } } }', { s: f.siteA }) },
  'Query.baselinePassRates': { expect: SIGNED_IN, request: () => q('{ baselinePassRates(by: ORGANIZATION) { key name results passCount failCount } }') },
  'Query.baselineResult': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { baselineResult(id: $id) { id siteId items { checkId actual } } }', { id: f.baselineResultA }) },
  'Query.baselineScript': { expect: { ...SIGNED_IN, ...keys('sync:baseline', 'ok', 'ok') }, request: (f) => q('query($id: ID!) { baselineScript(id: $id) { id name } }', { id: f.scriptId }) },
  'Query.baselineScriptVersion': { expect: { ...SIGNED_IN, ...keys('sync:baseline', 'ok', 'ok') }, request: (f) => q('query($id: ID!, $v: Int!) { baselineScriptVersion(id: $id, version: $v) { id version } }', { id: f.scriptId, v: f.scriptVersion }) },
  'Query.baselineScriptVersions': { expect: { ...SIGNED_IN, ...keys('sync:baseline', 'ok', 'ok') }, request: (f) => q('query($id: ID!) { baselineScriptVersions(id: $id) { id version } }', { id: f.scriptId }) },
  'Query.baselineScripts': { expect: { ...SIGNED_IN, ...keys('sync:baseline', 'ok', 'ok') }, request: () => q('{ baselineScripts { id name } }') },
  'Query.baselineTopFailedChecks': { expect: SIGNED_IN, request: () => q('{ baselineTopFailedChecks(limit: 100) { checkId scriptId failingSites } }') },
  'Query.captcha': { expect: PUBLIC, request: () => q('{ captcha { id } }') },
  'Query.deniedFlows': { expect: SIGNED_IN, request: () => q('query($from: DateTime!, $to: DateTime!) { deniedFlows(from: $from, to: $to, first: 100) { nodes { id dstAddr dstPort assetId siteId } } }', RANGE) },
  'Query.exposureCounts': { expect: SIGNED_IN, request: () => q('{ exposureCounts { organizationId total high } }') },
  'Query.exposures': { expect: SIGNED_IN, request: () => q('{ exposures(first: 100) { totalCount nodes { id ip port organizationId assetId } } }') },
  'Query.flowAggregates': { expect: SIGNED_IN, request: () => q('query($from: DateTime!, $to: DateTime!) { flowAggregates(from: $from, to: $to, groupBy: SITE) { key bytes connections } }', RANGE) },
  'Query.flowBatch': { expect: { ...ORG_OBJECT, ...keys('sync:flows') }, request: (f) => q('query($id: ID!) { flowBatch(id: $id) { id chunkKey accepted } }', { id: f.flowBatchA }) },
  'Query.flowHourly': { expect: SIGNED_IN, request: () => q('query($from: DateTime!, $to: DateTime!) { flowHourly(from: $from, to: $to, first: 100) { nodes { hour siteId bytes distinctSources } } }', RANGE) },
  // Another organisation's site must answer NOT_FOUND. Fails as userB until branch `flows` (which makes it so) is merged: it answers an empty list today.
  'Query.flows': { expect: ORG_OBJECT, request: (f) => q('query($from: DateTime!, $to: DateTime!, $s: ID!) { flows(from: $from, to: $to, siteId: $s, first: 100) { nodes { id dstAddr siteId } } }', { ...RANGE, s: f.siteA }) },
  // B's keys, whatever their scope, answer like a missing batch (the organisation is checked before the scope).
  'Query.ingestBatch': { expect: { ...ORG_OBJECT, ...keys('sync:vulns'), ...Object.fromEntries(API_KEY_SCOPES.map((s) => [`keyB ${s}`, 'NOT_FOUND'])) }, request: (f) => q('query($id: ID!) { ingestBatch(id: $id) { id status idempotencyKey } }', { id: f.batchA }) },
  'Query.latestBaselineResults': { expect: SIGNED_IN, request: () => q('{ latestBaselineResults(first: 100) { totalCount nodes { id siteId organizationId } } }') },
  'Query.me': { expect: SIGNED_IN, request: () => q('{ me { id username organization { name } } }') },
  'Query.monitoredPorts': { expect: SIGNED_IN, request: () => q('{ monitoredPorts { id port note organizationId } }') },
  'Query.news': { expect: PUBLIC, request: (f) => q('query($id: ID!) { news(id: $id) { id title } }', { id: f.newsId }) },
  'Query.newsCategories': { expect: PUBLIC, request: () => q('{ newsCategories { id name } }') },
  'Query.newsList': { expect: PUBLIC, request: () => q('{ newsList { totalCount nodes { id } } }') },
  'Query.organizationLatestScore': { expect: ORG_OBJECT, request: (f) => q('query($fam: ID!, $o: ID!) { organizationLatestScore(familyId: $fam, organizationId: $o) { id organizationId items { text } } }', { fam: f.familyId, o: f.orgA }) },
  'Query.organizations': { expect: SIGNED_IN, request: () => q('{ organizations { id name } }') },
  'Query.questionnaire': { expect: SIGNED_IN, request: (f) => q('query($id: ID!) { questionnaire(id: $id) { id title } }', { id: f.questionnaireId }) },
  'Query.questionnaireAnswer': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { questionnaireAnswer(id: $id) { id organizationId items { text } } }', { id: f.answerA }) },
  'Query.questionnaireAnswers': { expect: SIGNED_IN, request: () => q('{ questionnaireAnswers(first: 100) { totalCount nodes { id organizationId items { text } } } }') },
  'Query.questionnaireScore': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { questionnaireScore(answerId: $id) { score maxScore } }', { id: f.answerA }) },
  'Query.questionnaireVersions': { expect: ADMIN_ONLY, request: (f) => q('query($fam: ID!) { questionnaireVersions(familyId: $fam) { id } }', { fam: f.familyId }) },
  'Query.questionnaires': { expect: SIGNED_IN, request: () => q('{ questionnaires { totalCount nodes { id } } }') },
  // Sites the caller may not see count zero, exactly like missing ones.
  'Query.relatedDomainCounts': { expect: SIGNED_IN, request: (f) => q('query($s: [ID!]!) { relatedDomainCounts(siteIds: $s) { siteId count } }', { s: [f.siteA] }) },
  'Query.relatedDomainStat': { expect: SIGNED_IN, request: () => q('{ relatedDomainStat(first: 100) { total organizations { organizationId name count } sites { siteId name count } } }') },
  'Query.relatedDomains': { expect: SIGNED_IN, request: () => q('{ relatedDomains(first: 100) { totalCount nodes { id hostname siteId } } }') },
  'Query.report': { expect: { ...ORG_OBJECT, ...keys('read:vulns') }, request: (f) => q('query($id: ID!) { report(id: $id) { id status downloadPath } }', { id: f.reportA }) },
  'Query.riskiestSites': { expect: SIGNED_IN, request: () => q('{ riskiestSites(first: 100) { siteId name url organizationId open { level count } } }') },
  'Query.runningTaskCount': { expect: SIGNED_IN, request: () => q('{ runningTaskCount }') },
  'Query.site': { expect: ORG_OBJECT, request: (f) => q(`query($id: ID!) { site(id: $id) { ${SITE} } }`, { id: f.siteA }) },
  'Query.siteAreaStat': { expect: SIGNED_IN, request: () => q('{ siteAreaStat { areaCode siteCount } }') },
  'Query.siteOrgList': { expect: SIGNED_IN, request: () => q('{ siteOrgList { organizationId name siteCount } }') },
  'Query.sitePosture': { expect: ORG_OBJECT, request: (f) => q('query($s: ID!) { sitePosture(siteId: $s) { siteId score } }', { s: f.siteA }) },
  'Query.siteRiskDistribution': { expect: SIGNED_IN, request: () => q('{ siteRiskDistribution { riskLevel siteCount } }') },
  'Query.siteSafeStat': { expect: SIGNED_IN, request: () => q('{ siteSafeStat { riskLevel siteCount } }') },
  'Query.siteServicePorts': { expect: ORG_OBJECT, request: (f) => q('query($s: ID!) { siteServicePorts(siteId: $s) { totalCount nodes { id ip port } } }', { s: f.siteA }) },
  'Query.siteVulns': { expect: ORG_OBJECT, request: (f) => q(`query($s: ID!) { siteVulns(siteId: $s, first: 100) { totalCount nodes { ${VULN} } } }`, { s: f.siteA }) },
  'Query.sites': { expect: SIGNED_IN, request: () => q(`{ sites(first: 100) { totalCount nodes { ${SITE} } } }`) },
  'Query.statsLag': { expect: ADMIN_ONLY, request: () => q('{ statsLag { pendingSites } }') },
  'Query.tags': { expect: SIGNED_IN, request: () => q('{ tags(first: 100) { totalCount nodes { id name organizationId } } }') },
  'Query.task': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { task(id: $id) { id name siteIds } }', { id: f.taskA }) },
  'Query.taskVulns': { expect: ORG_OBJECT, request: (f) => q(`query($id: ID!) { taskVulns(taskId: $id, first: 100) { totalCount nodes { ${VULN} } } }`, { id: f.taskA }) },
  'Query.tasks': { expect: SIGNED_IN, request: () => q('{ tasks(first: 100) { totalCount nodes { id name organizationId siteIds } } }') },
  'Query.trashedVulns': { expect: SIGNED_IN, request: () => q(`{ trashedVulns(first: 100) { totalCount nodes { ${VULN} } } }`) },
  'Query.user': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { user(id: $id) { id username organization { name } } }', { id: f.userA.id }) },
  'Query.users': { expect: ADMIN_ONLY, request: () => q('{ users { totalCount } }') },
  'Query.vuln': { expect: ORG_OBJECT, request: (f) => q(`query($id: ID!) { vuln(id: $id) { ${VULN} } }`, { id: f.findingA }) },
  'Query.vulnAreaStat': { expect: SIGNED_IN, request: () => q('{ vulnAreaStat { areaCode count byLevel { level count } } }') },
  'Query.vulnEntries': { expect: SIGNED_IN, request: () => q('{ vulnEntries(first: 100) { totalCount nodes { id name organizationId } } }') },
  'Query.vulnEntry': { expect: ORG_OBJECT, request: (f) => q('query($id: ID!) { vulnEntry(id: $id) { id name } }', { id: f.entryA }) },
  'Query.vulnKindStat': { expect: SIGNED_IN, request: () => q('{ vulnKindStat { kind count } }') },
  'Query.vulnLevelStat': { expect: SIGNED_IN, request: () => q('{ vulnLevelStat { level count } }'), check: countsCriticalsRight('vulnLevelStat') },
  'Query.vulnNameStat': { expect: SIGNED_IN, request: () => q('{ vulnNameStat(first: 100) { entryId name kind count } }') },
  'Query.vulnTimeline': {
    expect: SIGNED_IN,
    request: () => q('query($from: DateTime!, $to: DateTime!) { vulnTimeline(from: $from, to: $to) { current { totals { level opened openAtEnd } } } }', RANGE),
    check: (a, c) => (c === 'userB' ? countsCriticalsRight('x')({ ...a, body: { data: { x: (a.body as any)?.data?.vulnTimeline?.current?.totals?.map((t: any) => ({ level: t.level, count: t.openAtEnd })) } } }, c) : undefined),
  },
  'Query.vulnTotals': { expect: SIGNED_IN, request: () => q('{ vulnTotals { level status count } }'), check: countsCriticalsRight('vulnTotals') },
  'Query.vulns': { expect: SIGNED_IN, request: () => q(`{ vulns(first: 100) { totalCount nodes { ${VULN} } } }`) },

  // ---- mutations (anything they change or destroy is made for the request)
  'Mutation.baselineDelete': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { baselineDelete(id: $id) }', { id: await f.fresh.baselineResult() }) },
  'Mutation.cancelTask': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { cancelTask(id: $id) { id status } }', { id: await f.fresh.task() }) },
  // A wrong current password: the guard lets every signed-in user through, the service refuses.
  'Mutation.changePassword': { expect: { ...SIGNED_IN, userA: 'BAD_USER_INPUT', userB: 'BAD_USER_INPUT', admin: 'BAD_USER_INPUT' }, request: () => q('mutation { changePassword(input: { currentPassword: "not-the-password", newPassword: "another-password-1" }) }') },
  // B's key claims from B's tasks only (null or B's task: the leak check makes sure it is never A's).
  'Mutation.claimTask': { expect: SCANNER('tasks:claim', 'ok'), request: () => q('mutation { claimTask(input: { kind: VULN_SCAN, scanner: "matrix" }) { id name organizationId siteIds } }') },
  'Mutation.completeVulnScan': { expect: SCANNER('sync:vulns'), request: async (f) => q('mutation($i: CompleteVulnScanInput!) { completeVulnScan(input: $i) { id } }', { i: { taskId: await f.fresh.task(), totalChunks: 1 } }) },
  'Mutation.createApiKey': { expect: ADMIN_ONLY, request: (f) => q('mutation($o: ID!) { createApiKey(input: { name: "matrix", organizationId: $o, scopes: [READ_VULNS] }) { apiKey { id } } }', { o: f.orgA }) },
  'Mutation.createBaselineScript': { expect: ADMIN_ONLY, request: () => q('mutation($i: BaselineScriptInput!) { createBaselineScript(input: $i) { id } }', { i: { name: `script ${uniq()}`, target: 'linux', checks: [{ checkId: 'c1', title: 'one', level: 'LOW' }] } }) },
  'Mutation.createMonitoredPort': { expect: SIGNED_IN, request: () => q('mutation($p: Int!) { createMonitoredPort(input: { port: $p, protocol: UDP, riskLevel: LOW }) { id } }', { p: 1 + Math.floor(Math.random() * 19_999) }) },
  'Mutation.createNews': { expect: ADMIN_ONLY, request: () => q('mutation { createNews(input: { title: "matrix", content: "x" }) { id } }') },
  'Mutation.createNewsCategory': { expect: ADMIN_ONLY, request: () => q('mutation($n: String!) { createNewsCategory(input: { name: $n }) { id } }', { n: `category ${uniq()}` }) },
  'Mutation.createOrganization': { expect: ADMIN_ONLY, request: () => q('mutation($n: String!) { createOrganization(input: { name: $n }) { id } }', { n: `org ${uniq()}` }) },
  'Mutation.createQuestionnaire': { expect: ADMIN_ONLY, request: () => q('mutation($i: QuestionnaireContentInput!) { createQuestionnaire(input: $i) { id } }', { i: demoContent() }) },
  // Naming A as the organisation: B answers like a missing organisation.
  'Mutation.createSite': { expect: ORG_OBJECT, request: (f) => q('mutation($o: ID!, $u: String!) { createSite(input: { url: $u, organizationId: $o }) { id } }', { o: f.orgA, u: `https://new-${uniq()}.example.test` }) },
  'Mutation.createSites': { expect: ORG_OBJECT, request: (f) => q('mutation($o: ID!, $u: String!) { createSites(input: { organizationId: $o, rows: [{ url: $u }] }) { created } }', { o: f.orgA, u: `https://new-${uniq()}.example.test` }) },
  'Mutation.createTag': { expect: ORG_OBJECT, request: (f) => q('mutation($o: ID!, $n: String!) { createTag(input: { name: $n, organizationId: $o }) { id } }', { o: f.orgA, n: `tag-${uniq()}` }) },
  'Mutation.createTask': { expect: ORG_OBJECT, request: (f) => q('mutation($s: ID!) { createTask(input: { kind: VULN_SCAN, name: "matrix", siteIds: [$s] }) { id } }', { s: f.siteA }) },
  // No upload provider is configured in the tests: the guard lets users through, the service answers SERVICE_UNAVAILABLE.
  'Mutation.createUploadCredential': { expect: { ...SIGNED_IN, userA: 'SERVICE_UNAVAILABLE', userB: 'SERVICE_UNAVAILABLE', admin: 'SERVICE_UNAVAILABLE' }, request: () => q('mutation { createUploadCredential(input: { kind: IMAGE, filename: "a.png", size: 10 }) { url } }') },
  'Mutation.createUser': { expect: ADMIN_ONLY, request: (f) => q('mutation($o: ID!, $u: String!) { createUser(input: { username: $u, password: "password-123456", organizationId: $o }) { id } }', { o: f.orgA, u: `u-${uniq()}` }) },
  'Mutation.createVulnEntry': { expect: ADMIN_ONLY, request: () => q('mutation($n: String!) { createVulnEntry(input: { name: $n, level: LOW }) { id } }', { n: `entry ${uniq()}` }) },
  'Mutation.deleteBaselineScript': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteBaselineScript(id: $id) }', { id: await f.fresh.script() }) },
  'Mutation.deleteMonitoredPort': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { deleteMonitoredPort(id: $id) { id } }', { id: await f.fresh.monitoredPort() }) },
  'Mutation.deleteNews': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteNews(id: $id) }', { id: await f.fresh.news() }) },
  'Mutation.deleteNewsCategory': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteNewsCategory(id: $id) }', { id: await f.fresh.newsCategory() }) },
  'Mutation.deleteOrganization': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteOrganization(id: $id) }', { id: await f.fresh.org() }) },
  'Mutation.deleteQuestionnaireDraft': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteQuestionnaireDraft(id: $id) }', { id: await f.fresh.questionnaireDraft() }) },
  'Mutation.deleteRelatedDomains': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { deleteRelatedDomains(ids: [$id]) }', { id: await f.fresh.related() }) },
  'Mutation.deleteSites': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { deleteSites(ids: [$id]) }', { id: await f.fresh.site() }) },
  'Mutation.deleteTag': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { deleteTag(id: $id) }', { id: await f.fresh.tag() }) },
  'Mutation.deleteTask': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { deleteTask(id: $id) }', { id: await f.fresh.task() }) },
  'Mutation.deleteVulnEntry': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { deleteVulnEntry(id: $id) }', { id: await f.fresh.entry() }) },
  // A task claimed by the calling key (A's tasks:claim key); B's key answers like a missing task.
  'Mutation.heartbeatTask': {
    expect: SCANNER('tasks:claim'),
    request: async (f) => {
      const key = keyOf(f, 'keyA tasks:claim')!;
      const id = await f.fresh.task('VULN_SCAN', { status: 'RUNNING', claimedByKeyId: key.id, leaseExpiresAt: new Date(NOW + 600_000) });
      return q('mutation($id: ID!) { heartbeatTask(input: { taskId: $id, progress: 5 }) { id progress } }', { id });
    },
  },
  'Mutation.importSitesCsv': { expect: ORG_OBJECT, request: (f) => q('mutation($o: ID!, $c: String!) { importSitesCsv(input: { organizationId: $o, csv: $c }) { created } }', { o: f.orgA, c: `url\nhttps://csv-${uniq()}.example.test\n` }) },
  'Mutation.login': { expect: PUBLIC, request: (f) => q('mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }', { u: f.neutral.username, p: f.neutral.password }) },
  'Mutation.logout': { expect: SIGNED_IN, request: () => ({ gql: 'mutation { logout }', newSession: true }) },
  'Mutation.probeSites': { expect: ORG_OBJECT, request: (f) => q('mutation($id: ID!) { probeSites(ids: [$id]) }', { id: f.siteA }) },
  'Mutation.publishQuestionnaire': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { publishQuestionnaire(id: $id) { id } }', { id: await f.fresh.questionnaireDraft() }) },
  'Mutation.purgeVulns': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { purgeVulns(input: { ids: [$id] }) { changed } }', { id: await f.fresh.finding('TRASHED') }) },
  'Mutation.reconcileStats': { expect: ADMIN_ONLY, request: () => q('mutation { reconcileStats { sitesChecked } }') },
  'Mutation.refreshToken': {
    expect: PUBLIC,
    request: async (f) => {
      const login = await f.t.gql('mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { refreshToken } }', { u: f.neutral.username, p: f.neutral.password });
      return q('mutation($r: String!) { refreshToken(input: { refreshToken: $r }) { accessToken } }', { r: login.data!.login.refreshToken });
    },
  },
  // Public, and always behind a captcha: without one everyone gets past the guard to the same refusal.
  'Mutation.register': { expect: everyone('BAD_USER_INPUT'), request: () => q('mutation($u: String!) { register(input: { username: $u, password: "password-123456" }) { accessToken } }', { u: `reg-${uniq()}` }) },
  'Mutation.renameOrganization': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!, $n: String!) { renameOrganization(input: { id: $id, name: $n }) { id } }', { id: await f.fresh.org(), n: `renamed ${uniq()}` }) },
  'Mutation.renameTag': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!, $n: String!) { renameTag(input: { id: $id, name: $n }) { id } }', { id: await f.fresh.tag(), n: `renamed-${uniq()}` }) },
  'Mutation.requestSiteReport': { expect: { ...ORG_OBJECT, ...keys('read:vulns') }, request: (f) => q('mutation($s: ID!) { requestSiteReport(siteId: $s) { id } }', { s: f.siteA2 }) },
  'Mutation.requestSmsCode': { expect: PUBLIC, request: () => q('mutation($p: String!) { requestSmsCode(input: { phone: $p }) { expiresAt } }', { p: `+8613${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}` }) },
  'Mutation.resetUserPassword': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { resetUserPassword(input: { id: $id, newPassword: "password-654321" }) { id } }', { id: await f.fresh.user() }) },
  'Mutation.restoreVulns': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { restoreVulns(input: { ids: [$id] }) { changed } }', { id: await f.fresh.finding('TRASHED') }) },
  'Mutation.retryIngestBatch': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { retryIngestBatch(id: $id) { id status } }', { id: await f.fresh.failedBatch() }) },
  'Mutation.retryTask': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { retryTask(id: $id) { id status } }', { id: await f.fresh.task('VULN_SCAN', { status: 'FAILED', error: 'failed on purpose' }) }) },
  'Mutation.revokeApiKey': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: await f.fresh.apiKey() }) },
  'Mutation.setRelatedDomainToSite': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { setRelatedDomainToSite(id: $id) { id } }', { id: await f.fresh.related() }) },
  'Mutation.setVulnStatus': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { setVulnStatus(input: { ids: [$id], status: IGNORED }) { changed } }', { id: await f.fresh.finding() }) },
  // Public, with a code that was never sent: everyone gets past the guard to the same refusal.
  'Mutation.smsRegister': { expect: everyone('BAD_USER_INPUT'), request: () => q('mutation { smsRegister(input: { phone: "+8613900000000", code: "000000", password: "password-123456" }) { accessToken } }') },
  // Public; partner sign-on is not configured in the tests, so everyone gets the same refusal.
  'Mutation.ssoLogin': { expect: everyone('FORBIDDEN'), request: () => q('mutation { ssoLogin(input: { token: "not-a-token" }) { accessToken } }') },
  'Mutation.submitQuestionnaireAnswer': { expect: ORG_OBJECT, request: (f) => q('mutation($q: ID!, $o: ID!, $a: [AnswerInput!]!) { submitQuestionnaireAnswer(input: { questionnaireId: $q, organizationId: $o, answers: $a }) { id } }', { q: f.questionnaireId, o: f.orgA, a: f.answers }) },
  'Mutation.syncAssets': {
    expect: SCANNER('sync:vulns'),
    request: async (f) => q('mutation($i: SyncAssetsInput!, $h: [SyncAssetHostInput!]!) { syncAssets(input: $i, hosts: $h) { id } }',
      { i: { taskId: await f.fresh.task(), seq: 1, idempotencyKey: uniq(), scanner: 'nmap' }, h: [{ ip: '198.51.100.200', ports: [{ port: 80 }] }] }),
  },
  'Mutation.syncBaseline': {
    expect: SCANNER('sync:baseline'),
    request: async (f) => q('mutation($i: SyncBaselineInput!) { syncBaseline(input: $i, items: [{ checkId: "c-1", status: "PASS" }]) { id } }',
      { i: { taskId: await f.fresh.task('BASELINE'), siteId: f.siteA, scriptId: f.scriptId, seq: 1, idempotencyKey: uniq() } }),
  },
  'Mutation.syncBaselineFailed': { expect: SCANNER('sync:baseline'), request: async (f) => q('mutation($id: ID!) { syncBaselineFailed(input: { taskId: $id, reason: "matrix" }) { id status } }', { id: await f.fresh.task('BASELINE') }) },
  // Each result answers on its own: the outcome is the first result's error code, or ok.
  'Mutation.syncBaselineResults': {
    expect: SCANNER('sync:baseline'),
    request: async (f) => q('mutation($r: [SyncBaselineResultInput!]!) { syncBaselineResults(results: $r) { index error { code message } batch { id } } }',
      { r: [{ taskId: await f.fresh.task('BASELINE'), siteId: f.siteA, scriptId: f.scriptId, seq: 1, idempotencyKey: uniq(), items: [{ checkId: 'c-1', status: 'PASS' }] }] }),
    outcome: (a) => (a.body as any)?.data?.syncBaselineResults?.[0]?.error?.code,
  },
  // Flow records belong to the key's organisation: B's key stores B's records.
  'Mutation.syncFlow': { expect: SCANNER('sync:flows', 'ok'), request: () => q('mutation($k: String!, $r: [FlowRecord!]!) { syncFlow(chunkKey: $k, records: $r) { id accepted } }', { k: uniq(), r: [flow(hoursAgo(2))] }) },
  'Mutation.syncRelatedDomains': { expect: { ...ORG_OBJECT, ...keys('sync:vulns') }, request: (f) => q('mutation($s: ID!, $h: [String!]!) { syncRelatedDomains(input: { siteId: $s, hostnames: $h }) { accepted } }', { s: f.siteA2, h: [`m${uniq()}.example.test`] }) },
  'Mutation.syncVulns': {
    expect: SCANNER('sync:vulns'),
    request: async (f) => q('mutation($i: SyncVulnsInput!) { syncVulns(input: $i, findings: []) { id } }', { i: { taskId: await f.fresh.task(), seq: 1, idempotencyKey: uniq() } }),
  },
  'Mutation.syncVulnsFailed': { expect: SCANNER('sync:vulns'), request: async (f) => q('mutation($id: ID!) { syncVulnsFailed(input: { taskId: $id, reason: "matrix" }) { id status } }', { id: await f.fresh.task() }) },
  'Mutation.tagSites': { expect: ORG_OBJECT, request: async (f) => q('mutation($s: ID!, $t: ID!) { tagSites(input: { siteIds: [$s], tagIds: [$t] }) }', { s: f.siteA2, t: await f.fresh.tag() }) },
  'Mutation.trashVulns': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { trashVulns(input: { ids: [$id] }) { changed } }', { id: await f.fresh.finding() }) },
  'Mutation.untagSites': { expect: ORG_OBJECT, request: async (f) => q('mutation($s: ID!, $t: ID!) { untagSites(input: { siteIds: [$s], tagIds: [$t] }) }', { s: f.siteA2, t: await f.fresh.tag() }) },
  'Mutation.updateBaselineScript': {
    expect: ADMIN_ONLY,
    request: async (f) => q('mutation($id: ID!, $i: BaselineScriptInput!) { updateBaselineScript(id: $id, input: $i) { id } }',
      { id: await f.fresh.script(), i: { name: `script ${uniq()}`, target: 'linux', checks: [{ checkId: 'c1', title: 'one', level: 'LOW' }] } }),
  },
  'Mutation.updateMonitoredPort': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { updateMonitoredPort(input: { id: $id, riskLevel: MEDIUM }) { id } }', { id: await f.fresh.monitoredPort() }) },
  'Mutation.updateNews': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { updateNews(input: { id: $id, title: "renamed" }) { id } }', { id: await f.fresh.news() }) },
  'Mutation.updateNewsCategory': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!, $n: String!) { updateNewsCategory(input: { id: $id, name: $n }) { id } }', { id: await f.fresh.newsCategory(), n: `renamed ${uniq()}` }) },
  'Mutation.updateProfile': { expect: SIGNED_IN, request: () => q('mutation { updateProfile(input: { displayName: "matrix" }) { id } }') },
  'Mutation.updateQuestionnaire': {
    expect: ADMIN_ONLY,
    request: async (f) => {
      const { title, sections } = demoContent();
      return q('mutation($i: UpdateQuestionnaireInput!) { updateQuestionnaire(input: $i) { id } }', { i: { id: await f.fresh.questionnaireDraft(), title, sections } });
    },
  },
  'Mutation.updateSite': { expect: ORG_OBJECT, request: async (f) => q('mutation($id: ID!) { updateSite(input: { id: $id, name: "renamed" }) { id } }', { id: await f.fresh.site() }) },
  'Mutation.updateUser': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { updateUser(input: { id: $id, displayName: "renamed" }) { id } }', { id: await f.fresh.user() }) },
  'Mutation.updateVulnEntry': { expect: ADMIN_ONLY, request: async (f) => q('mutation($id: ID!) { updateVulnEntry(input: { id: $id, solution: "patch" }) { id } }', { id: await f.fresh.entry() }) },

  // ---- HTTP endpoints
  // Any key reaches the service, which asks for sync:vulns (NUCLEI); B's key answers like a missing task.
  'POST /ingest/files': {
    expect: SCANNER('sync:vulns'),
    request: async (f) => ({ method: 'POST', path: '/ingest/files', query: { taskId: await f.fresh.task(), format: 'NUCLEI' }, file: Buffer.from('{"template-id":"x","info":{"name":"x","severity":"low"},"host":"https://x.example.test","matched-at":"https://x.example.test/"}\n') }),
  },
  'POST /ingest/flows': { expect: SCANNER('sync:flows', 'ok'), request: () => ({ method: 'POST', path: '/ingest/flows', query: { chunkKey: uniq() }, contentType: 'application/x-ndjson', body: ndjson([flow(hoursAgo(3))]) }) },
  'GET /reports/:file': { expect: { ...ORG_OBJECT, ...keys('read:vulns') }, request: (f) => ({ method: 'GET', path: `/reports/${f.reportA}.docx` }) },
  'GET /sites/:id/report.docx': { expect: { ...ORG_OBJECT, ...keys('read:vulns') }, request: (f) => ({ method: 'GET', path: `/sites/${f.siteA}/report.docx`, query: { lang: 'en' } }) },
  // A list: B gets its own findings (none of A's, checked below).
  'GET /exports/findings.csv': { expect: { ...SIGNED_IN, ...keys('read:vulns', 'ok', 'ok') }, request: () => ({ method: 'GET', path: '/exports/findings.csv', query: { lang: 'en' } }) },
  'GET /openapi.json': { expect: PUBLIC, request: () => ({ method: 'GET', path: '/openapi.json' }) },
  'GET /openapi.yaml': { expect: PUBLIC, request: () => ({ method: 'GET', path: '/openapi.yaml' }) },
};
