import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { buildSchema, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { createApiKey, createUser, uniq } from '../helpers/factories.js';
import { waitForBatch } from '../helpers/ingest-helpers.js';
import { samplePath } from '../helpers/scan-samples.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';

const ZAP_HOST = 'bodgeit.securecodebox-demo.svc';
const sample = (f: string) => readFileSync(samplePath(f));

/** The GraphQL IngestBatch type: its field names and a selection of all of them. */
function ingestBatchType() {
  const schema = buildSchema(readFileSync(path.resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'));
  const type = schema.getType('IngestBatch') as GraphQLObjectType;
  const fields = Object.values(type.getFields());
  const selection = fields
    .map((f) => {
      const named = getNamedType(f.type);
      return isObjectType(named) ? `${f.name} { ${Object.keys(named.getFields()).join(' ')} }` : f.name;
    })
    .join(' ');
  return { names: fields.map((f) => f.name).sort(), selection };
}

describe('scanners over REST: POST /ingest/files and its OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const site = await createSite(t, orgId, ZAP_HOST);
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const task = await createTask(t, orgId, [site.id]);
    const upload = (q: Record<string, string | number> = {}) =>
      t.http().post('/ingest/files').query({ taskId: task.id, format: 'ZAP', ...q }).set('authorization', `ApiKey ${key.key}`);
    return { user, orgId, site, key, task, upload };
  }

  it('answers with the batch exactly as the GraphQL ingestBatch query shows it', async () => {
    const w = await world();
    const idempotencyKey = `zap-${uniq()}`;
    const first = await w.upload({ idempotencyKey }).attach('file', sample('zap/5_zap_sample_one.xml'), 'scan.xml');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ taskId: String(w.task.id), kind: 'FILE', format: 'ZAP', seq: 1, idempotencyKey });
    await waitForBatch(t, first.body.id);
    // the same key again answers with the (now finished) batch: compare it with GraphQL's view of it
    const again = await w.upload({ idempotencyKey }).attach('file', sample('zap/5_zap_sample_one.xml'), 'scan.xml');
    const { names, selection } = ingestBatchType();
    const gql = await t.gql(`query($id: ID!) { ingestBatch(id: $id) { ${selection} } }`, { id: first.body.id }, w.user);
    expect(gql.errors).toBeUndefined();
    expect(Object.keys(again.body).sort()).toEqual(names);
    expect(again.body).toEqual(gql.data?.ingestBatch);
    expect(again.body).toMatchObject({ status: 'DONE', received: expect.any(Number), fileBytes: sample('zap/5_zap_sample_one.xml').length });
  });

  it('refuses any multipart field but one file in "file", with BAD_USER_INPUT, and stores nothing', async () => {
    const w = await world();
    const body = sample('zap/5_zap_sample_one.xml');
    const cases = [
      ['a file in another field', w.upload().attach('upload', body, 'scan.xml'), /unknown field "upload"/],
      ['a text field first', w.upload().field('note', 'x').attach('file', body, 'scan.xml'), /unknown field "note"/],
      ['a text field after the file', w.upload().attach('file', body, 'scan.xml').field('note', 'x'), /unknown field "note"/],
      ['two files', w.upload().attach('file', body, 'a.xml').attach('file', body, 'b.xml'), /a second file/],
    ] as const;
    for (const [what, request, message] of cases) {
      const r = await request;
      expect({ what, status: r.status }).toEqual({ what, status: 400 });
      expect(r.body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) });
      expect(r.body.error.message).toMatch(/"file" field/);
    }
    expect(await t.prisma.ingestBatch.count({ where: { taskId: w.task.id } })).toBe(0);
    expect((await w.upload().attach('file', body, 'scan.xml')).status).toBe(202); // and the right way works
  });

  it('a failed batch is logged at warn level with its id, task and reason', async () => {
    const w = await world();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const up = await w.upload().attach('file', Buffer.from('<OWASPZAPReport><site'), 'cut.xml');
      const b = await waitForBatch(t, up.body.id);
      expect(b.status).toBe('FAILED');
      const logged = warn.mock.calls.map((c) => c[0] as Record<string, unknown>).find((m) => typeof m === 'object' && m.batchId === b.id);
      expect(logged).toMatchObject({ batchId: b.id, taskId: w.task.id, reason: b.error, msg: expect.stringContaining(`task ${w.task.id} FAILED`) });
    } finally {
      warn.mockRestore();
    }
  });

  it('autoCreateSites: unknown hosts under the organisation domains become sites; every rejection names the option that would have kept it', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const www = await t.prisma.site.create({ data: { organizationId: orgId, url: 'https://www.nuclei-example.com', domain: 'nuclei-example.com', name: 'www' } });
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const CREATE = 'mutation($i: CreateTaskInput!) { createTask(input: $i) { id autoCreateSites siteIds } }';
    const taskOf = async (autoCreateSites?: boolean) => {
      const r = await t.gql(CREATE, { i: { kind: 'VULN_SCAN', name: `nuclei ${uniq()}`, siteIds: [String(www.id)], ...(autoCreateSites === undefined ? {} : { autoCreateSites }) } }, user);
      expect(r.errors).toBeUndefined();
      return r.data!.createTask as { id: string; autoCreateSites: boolean };
    };
    const importInto = async (taskId: string) => {
      const up = await t.http().post('/ingest/files').query({ taskId, format: 'NUCLEI' }).set('authorization', `ApiKey ${key.key}`)
        .attach('file', sample('nuclei/many_findings.json'), 'nuclei.json');
      const b = await waitForBatch(t, up.body.id);
      const r = await t.gql('query($id: ID!) { ingestBatch(id: $id) { status received rejected rejections { reason } } }', { id: b.id }, user);
      return r.data!.ingestBatch as { status: string; received: number; rejected: number; rejections: { reason: string }[] };
    };

    const strict = await taskOf();
    expect(strict.autoCreateSites).toBe(false); // the default
    const kept = await importInto(strict.id);
    expect(kept).toMatchObject({ status: 'DONE', received: 18, rejected: 18 });
    const reasons = kept.rejections.map((r) => r.reason);
    expect(reasons.filter((r) => /^host nuclei-example\.com is not a target site of this task \(a task created with autoCreateSites would have added it/.test(r))).toHaveLength(13);
    expect(reasons.filter((r) => /^host 127\.0\.0\.1 is not a target site .*nor under a domain of the organisation's sites \(add it as a site and a target of the task/.test(r))).toHaveLength(5);
    expect(await t.prisma.site.count({ where: { organizationId: orgId } })).toBe(1);

    const open = await taskOf(true);
    expect(open.autoCreateSites).toBe(true);
    const added = await importInto(open.id);
    expect(added).toMatchObject({ status: 'DONE', received: 18, rejected: 5 });
    expect(added.rejections.every((r) => /127\.0\.0\.1 .*add it as a site/.test(r.reason))).toBe(true);
    const created = await t.prisma.site.findMany({ where: { organizationId: orgId, id: { not: www.id } } });
    expect(created.map((s) => [s.url, s.domain, s.name])).toEqual([['https://nuclei-example.com', 'nuclei-example.com', 'nuclei-example.com']]);
    const targets = await t.prisma.taskSite.findMany({ where: { taskId: Number(open.id) }, orderBy: { siteId: 'asc' } });
    expect(targets.map((x) => x.siteId)).toEqual([www.id, created[0].id]);
    expect(await t.prisma.finding.count({ where: { siteId: created[0].id } })).toBeGreaterThan(0);
    // again on another task: the site is found, not created twice
    expect(await importInto((await taskOf(true)).id)).toMatchObject({ status: 'DONE', rejected: 5 });
    expect(await t.prisma.site.count({ where: { organizationId: orgId } })).toBe(2);
  });

  it('serves an OpenAPI document of the REST endpoints, JSON and YAML', async () => {
    const r = await t.http().get('/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\./);
    const op = doc.paths['/ingest/files'].post;
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['query:taskId', 'query:format', 'query:seq', 'query:idempotencyKey']);
    expect(op.parameters.find((p: { name: string }) => p.name === 'format').schema.enum).toEqual(['NUCLEI', 'ZAP', 'OPENVAS', 'NMAP', 'MASSCAN', 'NAABU', 'HTTPX', 'KUBE_BENCH', 'XCCDF']);
    expect(op.requestBody.content['multipart/form-data'].schema).toMatchObject({ required: ['file'], properties: { file: { type: 'string', format: 'binary' } } });
    expect(op.security).toEqual([{ ApiKey: [] }]);
    expect(doc.components.securitySchemes.ApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    const answer = op.responses['202'].content['application/json'].schema.$ref.split('/').at(-1);
    expect(Object.keys(doc.components.schemas[answer].properties).sort()).toEqual(ingestBatchType().names);
    for (const status of ['400', '401', '403', '404', '409', '413', '429']) expect(op.responses[status]).toBeDefined();
    expect(op.responses['429'].description).toMatch(/^RATE_LIMITED/);
    expect(op.responses['429'].headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 1 });
    expect(doc.paths['/exports/findings.csv'].get.responses['429']).toBeDefined();
    expect(doc.paths['/health'].get).toBeDefined();
    expect(Object.keys(doc.paths).some((p) => p.includes('ide'))).toBe(false);
    const yaml = await t.http().get('/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.text).toContain('/ingest/files:');
  });
});
