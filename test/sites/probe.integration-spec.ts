import { createUser } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { probeUrl } from '../../src/sites/probe/http-probe.js';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '../../src/queue/queue.constants.js';
import { ProbeQueueService } from '../../src/sites/probe/probe-queue.service.js';
import { SiteProbeService } from '../../src/sites/probe/site-probe.service.js';
import { startProbeServers, type ProbeServers } from './probe-servers.js';

describe('site probe', () => {
  let t: TestApp;
  let s: ProbeServers;
  let probes: SiteProbeService;
  const probe = (url: string) => probes.probe(url);

  beforeAll(async () => {
    s = await startProbeServers();
    t = await startTestApp({
      PROBE_ALLOW_PRIVATE: 'true',
      PROBE_TIMEOUT_MS: '1500',
      PROBE_CONNECT_TIMEOUT_MS: '1000',
      PROBE_MAX_BODY_BYTES: '262144',
      PROBE_SCHEDULE_CRON: '',
    });
    probes = t.app.get(SiteProbeService);
  });
  afterAll(async () => {
    await t.close();
    await s.close();
  });

  it('reads status, title, server, IP and the hosts of links on a normal page', async () => {
    const r = await probe(`${s.http}/`);
    expect(r).toMatchObject({ alive: true, httpStatus: 200, title: 'Example Portal', server: 'xsc-test/1.0', ip: '127.0.0.1', error: null });
    expect(r.responseTimeMs).toEqual(expect.any(Number));
    expect(r.linkHosts.sort()).toEqual(['127.0.0.1', 'elsewhere.org', 'news.example.com', 'static.example.com']);
  });

  it('sends a current browser User-Agent', async () => {
    expect((await probe(`${s.http}/ua`)).title).toMatch(/^Mozilla\/5\.0 .*Chrome\/\d+/);
  });

  it('decodes GBK/GB2312 pages by their <meta> or Content-Type charset, and gzip bodies', async () => {
    expect((await probe(`${s.http}/gbk`)).title).toBe('北京市人民政府门户网站');
    expect((await probe(`${s.http}/gbk-header`)).title).toBe('广东省教育厅');
    expect((await probe(`${s.http}/gzip`)).title).toBe('compressed');
  });

  it('honours a byte-order mark before the Content-Type charset', async () => {
    expect((await probe(`${s.http}/bom-utf8`)).title).toBe('北京 UTF-8');
    expect((await probe(`${s.http}/bom-utf16`)).title).toBe('北京 UTF-16');
  });

  it('follows up to 5 redirects, relative and absolute', async () => {
    const r = await probe(`${s.http}/redirect?n=4`);
    expect(r).toMatchObject({ alive: true, httpStatus: 200, title: 'Example Portal', error: null, finalUrl: `${s.http}/` });
  });

  it('stops after 5 redirects and at a redirect loop: alive, TOO_MANY_REDIRECTS', async () => {
    expect(await probe(`${s.http}/redirect?n=5`)).toMatchObject({ alive: true, error: 'TOO_MANY_REDIRECTS', httpStatus: 302 });
    expect(await probe(`${s.http}/loop`)).toMatchObject({ alive: true, error: 'TOO_MANY_REDIRECTS', title: null });
  });

  it('classifies 404 and 500 answers; the site is still alive', async () => {
    expect(await probe(`${s.http}/missing`)).toMatchObject({ alive: true, httpStatus: 404, error: 'HTTP_4XX', title: 'Not Found' });
    expect(await probe(`${s.http}/broken`)).toMatchObject({ alive: true, httpStatus: 500, error: 'HTTP_5XX' });
  });

  it('a server that never answers is a TIMEOUT; a closed port is CONNECTION_REFUSED; both dead', async () => {
    expect(await probe(s.silent)).toMatchObject({ alive: false, error: 'TIMEOUT', httpStatus: null });
    expect(await probe(s.closed)).toMatchObject({ alive: false, error: 'CONNECTION_REFUSED', httpStatus: null });
  });

  it('a self-signed certificate is a TLS_ERROR', async () => {
    expect(await probe(`${s.https}/`)).toMatchObject({ error: 'TLS_ERROR', httpStatus: null, title: null });
  });

  it('a non-HTML answer has no title', async () => {
    expect(await probe(`${s.http}/json`)).toMatchObject({ alive: true, httpStatus: 200, title: null, error: null, linkHosts: [] });
  });

  it('an endless body is cut at the size cap and its title still read', async () => {
    expect(await probe(`${s.http}/huge`)).toMatchObject({ alive: true, httpStatus: 200, title: 'Huge', error: null });
  });

  it('an unresolvable .invalid host is a DNS_FAILURE', async () => {
    expect(await probe('http://no-such-site.invalid/')).toMatchObject({ alive: false, error: 'DNS_FAILURE', ip: null });
  });

  describe('internal addresses (PROBE_ALLOW_PRIVATE=false)', () => {
    const strict = () => ({ ...probes.options, allowPrivate: false });

    it('refuses loopback, private and mapped addresses given literally', async () => {
      for (const url of [`${s.http}/`, 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]/']) {
        expect(await probeUrl(url, strict())).toMatchObject({ alive: false, error: 'BLOCKED_ADDRESS' });
      }
    });

    it('refuses a host name that resolves to an internal address', async () => {
      const port = new URL(s.http).port;
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      expect(await probeUrl(`http://intranet.example.com:${port}/`, { ...strict(), resolve })).toMatchObject({ error: 'BLOCKED_ADDRESS' });
      const allowed = await probeUrl(`http://intranet.example.com:${port}/`, { ...strict(), allowPrivate: true, resolve });
      expect(allowed).toMatchObject({ alive: true, title: 'Example Portal', ip: '127.0.0.1' });
    });
  });

  it('probeSite records liveness and the subdomains it linked to as related domains', async () => {
    const user = await createUser(t);
    const site = await t.prisma.site.create({
      data: { organizationId: user.organizationId!, url: `${s.http}/`, domain: 'example.com', name: 'local' },
    });
    const updated = await probes.probeSite(site.id);
    expect(updated).toMatchObject({ liveness: 'ALIVE', httpStatus: 200, title: 'Example Portal', probeError: null, ip: '127.0.0.1' });
    const related = await t.prisma.relatedDomain.findMany({ where: { siteId: site.id }, orderBy: { hostname: 'asc' } });
    expect(related.map((r) => [r.hostname, r.source])).toEqual([['news.example.com', 'PROBE'], ['static.example.com', 'PROBE']]);
  });

  it('round trip through the queue: probeSites → job → site updated → the list shows it', async () => {
    const user = await createUser(t);
    const ok = await t.prisma.site.create({ data: { organizationId: user.organizationId!, url: `${s.http}/gbk`, domain: '127.0.0.1', name: 'gbk' } });
    const dead = await t.prisma.site.create({ data: { organizationId: user.organizationId!, url: s.closed, domain: '127.0.0.1', name: 'dead' } });
    const r = await t.gql(`mutation($ids: [ID!]!) { probeSites(ids: $ids) }`, { ids: [String(ok.id), String(dead.id)] }, user);
    expect(r.data?.probeSites).toBe(2);
    const q = `{ sites(sort: { field: NAME, direction: ASC }) { nodes { name liveness httpStatus title probeError lastProbedAt } } }`;
    let nodes: { lastProbedAt: string | null }[] = [];
    for (let i = 0; i < 100; i++) {
      nodes = (await t.gql(q, {}, user)).data?.sites.nodes;
      if (nodes.every((n) => n.lastProbedAt)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(nodes).toEqual([
      { name: 'dead', liveness: 'DEAD', httpStatus: null, title: null, probeError: 'CONNECTION_REFUSED', lastProbedAt: expect.any(String) },
      { name: 'gbk', liveness: 'ALIVE', httpStatus: 200, title: '北京市人民政府门户网站', probeError: null, lastProbedAt: expect.any(String) },
    ]);
  });

  it('registers the schedule from PROBE_SCHEDULE_CRON as one repeatable job, and removes it when emptied', async () => {
    const schedules = async (app: TestApp) =>
      (await app.app.get<Queue>(getQueueToken(QUEUES.probe)).getRepeatableJobs()).filter((j) => j.name === 'probe-due').map((j) => j.cron);
    const first = await startTestApp({ PROBE_SCHEDULE_CRON: '0 3 1 1 *' });
    const second = await startTestApp({ PROBE_SCHEDULE_CRON: '0 4 1 1 *' });
    expect(await schedules(second)).toEqual(['0 4 1 1 *']);
    await first.close();
    await second.close();
    await t.app.get(ProbeQueueService).syncSchedule(); // this app runs with PROBE_SCHEDULE_CRON=''
    expect(await schedules(t)).toEqual([]);
  });

  it('a scheduled run picks sites never probed or not probed for PROBE_DUE_AFTER_MINUTES', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const make = (name: string, lastProbedAt: Date | null) =>
      t.prisma.site.create({ data: { organizationId: org, url: `http://${name}.due.example.com`, domain: 'example.com', name, lastProbedAt } });
    const never = await make('never', null);
    const recent = await make('recent', new Date(Date.now() - 60_000));
    const stale = await make('stale', new Date(Date.now() - 7 * 3600_000));
    const due: number[] = [];
    for await (const page of t.app.get(ProbeQueueService).dueSiteIds()) due.push(...page);
    expect(due).toEqual(expect.arrayContaining([never.id, stale.id]));
    expect(due).not.toContain(recent.id);
    expect(new Set(due).size).toBe(due.length);
  });
});
