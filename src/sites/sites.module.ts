import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { QUEUES } from '../queue/queue.constants.js';
import { AreasResolver } from './areas/areas.resolver.js';
import { AreasService } from './areas/areas.service.js';
import { ProbeQueueService } from './probe/probe-queue.service.js';
import { SiteProbeService } from './probe/site-probe.service.js';
import { RelatedDomainsResolver } from './related-domains/related-domains.resolver.js';
import { RelatedDomainsService } from './related-domains/related-domains.service.js';
import { SiteImportService } from './site-import.service.js';
import { SiteRepository } from './site.repository.js';
import { SiteStatsService } from './site-stats.service.js';
import { SiteFieldsResolver, SitesResolver } from './sites.resolver.js';
import { SitesService } from './sites.service.js';
import { SiteWarningResolver } from './site-warning.resolver.js';
import { TagsResolver } from './tags/tags.resolver.js';
import { TagsService } from './tags/tags.service.js';

/** Sites, tags, related domains, areas and the probe producer (the consumer is ProbeWorkerModule). */
@Module({
  imports: [OrganizationsModule, BullModule.registerQueue({ name: QUEUES.probe })],
  providers: [
    AreasService, AreasResolver,
    SiteRepository, SitesService, SiteImportService, SiteStatsService, SitesResolver, SiteFieldsResolver, SiteWarningResolver,
    TagsService, TagsResolver,
    RelatedDomainsService, RelatedDomainsResolver,
    SiteProbeService, ProbeQueueService,
  ],
  exports: [SiteRepository, SitesService, SiteProbeService, ProbeQueueService, RelatedDomainsService, AreasService],
})
export class SitesModule {}
