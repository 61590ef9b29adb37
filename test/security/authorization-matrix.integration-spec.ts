import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { StatsWriterService } from '../../src/stats/stats-writer.service.js';
import { authHeader, startTestApp, type TestApp } from '../helpers/test-app.js';
import { A_VALUES, buildFixtures, CALLERS, isB, type Caller, type Fixtures } from './authorization-fixtures.js';
import { MATRIX, type Answer, type Request } from './authorization-matrix.js';

/**
 * Every GraphQL operation and HTTP endpoint, tried by every kind of caller on organisation A's
 * objects, must answer what the table (authorization-matrix.ts) says; no answer to B may hold A's
 * data. All differences are collected and reported together.
 */

/**
 * Routes the matrix leaves to other tests, and why:
 * - /graphql: the transport of every operation above, each of which has its row;
 * - the IDE page assets: public static files, no data (test/foundation covers the IDE);
 * - /health: public by design, for load balancers, no organisation data;
 * - /metrics and /admin/queues: their own callers (a metrics token, an admin cookie), tested in test/ops.
 */
const NOT_IN_MATRIX = [/^\/graphql$/, /^\/graphql-ide\//, /^\/health$/, /^\/metrics$/, /^\/admin\/queues/];
// HEAD and OPTIONS routes are Fastify's own companions of GET (and CORS preflight), not endpoints.
const COMPANION_METHODS = new Set(['HEAD', 'OPTIONS']);

/** Fastify's route tree (`printRoutes({ commonPrefix: false })`) as "METHOD /path" lines. */
function routesOf(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    if (!m[3]) continue;
    const path = stack.join('').replace(/\/+/g, '/');
    for (const method of m[3].split(', ')) out.push(`${method} ${path.startsWith('/') ? path : `/${path}`}`);
  }
  return out;
}

describe('security: the authorisation matrix of every operation', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    // Thousands of requests from one address: no rate limit may answer in the caller's place.
    t = await startTestApp({ RATE_LIMIT_EXPORT: '100000', RATE_LIMIT_EXPORT_PER_IP: '100000', RATE_LIMIT_REPORT: '100000', RATE_LIMIT_REPORT_PER_IP: '100000', CAPTCHA_MAX_PER_IP_PER_MINUTE: '100000' });
    f = await buildFixtures(t);
    await statsSettled();
  }, 120_000);
  afterAll(() => t?.close());

  /** Until the statistics count every fixture finding. */
  async function statsSettled() {
    const end = Date.now() + 60_000;
    while ((await t.prisma.statDirtySite.count()) > 0) {
      if (Date.now() > end) throw new Error('statistics still behind');
      if (!(await t.app.get(StatsWriterService).drain())) await new Promise((res) => setTimeout(res, 100));
    }
  }

  function operationsInSchema(): string[] {
    const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    return [
      ...Object.keys(schema.getQueryType()!.getFields()).map((n) => `Query.${n}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((n) => `Mutation.${n}`),
    ];
  }

  function endpointsServed(): string[] {
    const tree = t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    return routesOf(tree).filter((r) => {
      const [method, path] = r.split(' ');
      return !COMPANION_METHODS.has(method) && !NOT_IN_MATRIX.some((re) => re.test(path));
    });
  }

  it('has exactly one row per operation of schema.graphql and per HTTP endpoint', () => {
    const served = [...operationsInSchema(), ...endpointsServed()];
    const rows = Object.keys(MATRIX);
    expect({ withoutRow: served.filter((o) => !rows.includes(o)), rowWithoutOperation: rows.filter((r) => !served.includes(r)) })
      .toEqual({ withoutRow: [], rowWithoutOperation: [] });
  });

  async function send(req: Request, c: Caller): Promise<Answer> {
    if ('gql' in req) {
      const res = await t.http().post('/graphql').set('content-type', 'application/json')
        .set(authHeader(req.newSession ? f.newSession(c) : f.credentials(c))).send({ query: req.gql, variables: req.vars });
      const body = res.body as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      const outcome = body.errors?.length ? (body.errors[0].extensions?.code ?? 'NO_CODE') : body.data ? 'ok' : `HTTP ${res.status}`;
      return { outcome, body, text: JSON.stringify(body) };
    }
    let r = req.method === 'GET' ? t.http().get(req.path) : t.http().post(req.path);
    r = r.set(authHeader(f.credentials(c)));
    if (req.query) r = r.query(req.query);
    if (req.file) r = r.attach('file', req.file, 'report.jsonl');
    else if (req.body !== undefined) r = r.set('content-type', req.contentType ?? 'application/json').send(req.body);
    const res = await r.buffer(true);
    const text = Buffer.isBuffer(res.body) ? res.body.toString('latin1') : (res.text ?? JSON.stringify(res.body));
    let body: any;
    try {
      body = JSON.parse(res.text ?? '');
    } catch {
      body = text;
    }
    const outcome = res.status < 300 ? 'ok' : (body?.error?.code ?? `HTTP ${res.status}`);
    return { outcome, body, text };
  }

  /** What of A's an answer to B holds: A's strings anywhere, A's ids in data. */
  function leaks(req: Request, a: Answer): string[] {
    const found = Object.entries(A_VALUES).filter(([, v]) => a.text.includes(v)).map(([k]) => k);
    const data = JSON.stringify((a.body as { data?: unknown } | undefined)?.data ?? null);
    const asked = JSON.stringify(req); // an id B sent and gets back is not A's data
    return found.concat(f.aIds.filter((id) => data.includes(`"${id}"`) && !asked.includes(id)).map((id) => `id ${id}`));
  }

  it('answers every operation to every caller as the table says, and nothing of A to B', async () => {
    const cases = Object.entries(MATRIX).flatMap(([op, row]) => CALLERS.map((c) => ({ op, row, c })));
    const problems: string[] = [];
    const seenByA = new Set<string>(); // A's values found in answers to A: the leak check can see each of them
    const BATCH = 8;
    for (let i = 0; i < cases.length; i += BATCH) {
      await Promise.all(cases.slice(i, i + BATCH).map(async ({ op, row, c }) => {
        let req: Request;
        let a: Answer;
        try {
          req = await row.request(f, c);
          a = await send(req, c);
        } catch (e) {
          problems.push(`${op} as ${c}: the request failed: ${(e as Error).message}`);
          return;
        }
        const outcome = (row.outcome?.(a) ?? a.outcome);
        const expected = row.expect[c];
        if (outcome !== expected) problems.push(`${op} as ${c}: expected ${expected}, got ${outcome}${outcome === 'ok' ? '' : ` (${a.text.slice(0, 200)})`}`);
        if (c === 'userA') leaks(req, a).forEach((v) => seenByA.add(v));
        if (isB(c)) {
          const leaked = leaks(req, a);
          if (leaked.length) problems.push(`${op} as ${c}: A's data in the answer: ${leaked.join(', ')}`);
        }
        const wrong = row.check?.(a, c, f);
        if (wrong) problems.push(`${op} as ${c}: ${wrong}`);
      }));
    }
    const neverSeen = Object.keys(A_VALUES).filter((k) => !seenByA.has(k));
    if (neverSeen.length) problems.push(`no answer to A shows ${neverSeen.join(', ')}: the leak check could not notice them`);
    expect(problems.sort().join('\n')).toBe('');
  }, 600_000);
});
