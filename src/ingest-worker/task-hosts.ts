// Which site of a task a finding from an imported file belongs to, by host. A host that is not a
// target is rejected with the option that would have kept it; with the task's autoCreateSites, a
// host under one of the organisation's registered domains becomes a site and a target (in the
// batch's transaction: a failed batch adds no site).
import type pg from 'pg';
import { checkHostname, hostOf, normaliseSiteUrl } from '../sites/site-url.js';
import type { SiteRepository } from '../sites/site.repository.js';
import type { TaskRepository } from '../tasks/task.repository.js';

export class TaskHosts {
  private readonly siteOfHost = new Map<string, number>();
  /** Registrable domains of the organisation's sites, loaded at the first unknown host. */
  private domains: Set<string> | null = null;

  private constructor(
    private readonly c: pg.PoolClient,
    private readonly tasks: TaskRepository,
    private readonly sites: SiteRepository,
    private readonly task: { id: number; organizationId: number; autoCreateSites: boolean },
    targets: { siteId: number; url: string }[],
  ) {
    for (const s of targets) {
      const host = hostOf(s.url);
      if (host) this.siteOfHost.set(host, s.siteId);
    }
  }

  static async load(
    c: pg.PoolClient,
    repos: { tasks: TaskRepository; sites: SiteRepository },
    taskId: number,
    targets: { siteId: number; url: string }[],
  ): Promise<TaskHosts> {
    return new TaskHosts(c, repos.tasks, repos.sites, { id: taskId, ...(await repos.tasks.hostRules(c, taskId)) }, targets);
  }

  /** The site id for a finding's host, or the reason it is rejected. */
  async siteFor(host: string | undefined, url: string | undefined): Promise<number | string> {
    if (!host) return 'the finding names no host, so it matches no target site of this task';
    const h = host.toLowerCase();
    const known = this.siteOfHost.get(h);
    if (known !== undefined) return known;
    const checked = checkHostname(h);
    const domain = checked.ok ? checked.value.domain : null;
    const inside = domain !== null && (await this.registeredDomains()).has(domain);
    if (!inside) {
      return `host ${h} is not a target site of this task, nor under a domain of the organisation's sites ` +
        '(add it as a site and a target of the task to keep its findings)';
    }
    if (!this.task.autoCreateSites) {
      return `host ${h} is not a target site of this task (a task created with autoCreateSites would have added it ` +
        `as a site, since ${domain} is one of the organisation's domains)`;
    }
    const siteId = await this.createSite(h, url);
    this.siteOfHost.set(h, siteId);
    return siteId;
  }

  private async registeredDomains(): Promise<Set<string>> {
    if (!this.domains) {
      const r = await this.c.query<{ domain: string }>('SELECT DISTINCT domain FROM "Site" WHERE "organizationId" = $1', [this.task.organizationId]);
      this.domains = new Set(r.rows.map((x) => x.domain));
    }
    return this.domains;
  }

  /** The site for the finding's origin (the existing one if the organisation has that URL), made a target of the task. */
  private async createSite(host: string, findingUrl: string | undefined): Promise<number> {
    const origin = originOf(findingUrl) ?? `https://${host}`; // a network finding (host:port): the web site of that host
    const site = normaliseSiteUrl(origin);
    if (!site.ok) throw new Error(`cannot make a site of ${origin}: ${site.error}`); // the host passed checkHostname: unreachable
    const { organizationId } = this.task;
    const created = await this.sites.create(organizationId, [{ url: site.value }], this.c);
    const siteId = created.get(site.value.url) ?? (await this.sites.idOf(organizationId, site.value.url, this.c))!;
    await this.tasks.addTarget(this.c, this.task.id, siteId);
    return siteId;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}
