import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Site } from '../../generated/prisma/client.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import { RelatedDomainsService } from '../related-domains/related-domains.service.js';
import { probeUrl, type ProbeOptions, type ProbeOutcome } from './http-probe.js';
import { relatedHosts } from './page-parser.js';
import { PROBE_MAX_REDIRECTS } from './probe.constants.js';

/** Probes a site's home page and records the result on the site and its related domains. */
@Injectable()
export class SiteProbeService {
  private readonly logger = new Logger(SiteProbeService.name);
  readonly options: ProbeOptions;

  constructor(
    private readonly prisma: PrismaService,
    private readonly relatedDomains: RelatedDomainsService,
    config: AppConfig,
  ) {
    this.options = {
      userAgent: config.get('PROBE_USER_AGENT'),
      connectTimeoutMs: config.get('PROBE_CONNECT_TIMEOUT_MS'),
      totalTimeoutMs: config.get('PROBE_TIMEOUT_MS'),
      maxBodyBytes: config.get('PROBE_MAX_BODY_BYTES'),
      maxRedirects: PROBE_MAX_REDIRECTS,
      allowPrivate: config.get('PROBE_ALLOW_PRIVATE'),
    };
  }

  probe(url: string): Promise<ProbeOutcome> {
    return probeUrl(url, this.options);
  }

  /** Returns the updated site, or null when it no longer exists. */
  async probeSite(siteId: number): Promise<Site | null> {
    const site = await this.prisma.site.findUnique({ where: { id: siteId } });
    if (!site) return null;
    const outcome = await this.probe(site.url);
    const hosts = [...outcome.linkHosts, new URL(outcome.finalUrl).hostname];
    const related = relatedHosts(hosts, site.domain, new URL(site.url).hostname);
    await this.relatedDomains.record(site.id, related, 'PROBE');
    const updated = await this.prisma.site.updateMany({
      where: { id: site.id },
      data: {
        liveness: outcome.alive ? 'ALIVE' : 'DEAD',
        httpStatus: outcome.httpStatus,
        title: outcome.title,
        ip: outcome.ip,
        server: outcome.server,
        responseTimeMs: outcome.responseTimeMs,
        probeError: outcome.error,
        lastProbedAt: new Date(),
      },
    });
    this.logger.debug(`probed site ${site.id} ${site.url}: ${outcome.alive ? 'alive' : 'dead'} ${outcome.error ?? outcome.httpStatus}`);
    return updated.count ? this.prisma.site.findUnique({ where: { id: site.id } }) : null;
  }
}
