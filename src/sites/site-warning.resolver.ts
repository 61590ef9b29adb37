import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AppConfig } from '../config/app-config.js';
import { Site } from './models/site.model.js';
import { siteAddressWarning } from './site-address-warning.js';

/** Site.warning: said when a site is created (and on every read), since the probe's policy applies throughout. */
@Resolver(() => Site)
export class SiteWarningResolver {
  constructor(private readonly config: AppConfig) {}

  @ResolveField(() => String, {
    nullable: true,
    description:
      'Why the site probe will not reach this site, when its address tells: a private or loopback address ' +
      '(the probe reports BLOCKED_ADDRESS unless PROBE_ALLOW_PRIVATE is set). Null otherwise.',
  })
  warning(@Parent() site: Site): string | null {
    return siteAddressWarning(site.url, this.config.get('PROBE_ALLOW_PRIVATE'));
  }
}
