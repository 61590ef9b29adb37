import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { IdArg } from '../common/validation/fields.js';
import { ExposuresService } from './exposures.service.js';
import { CreateMonitoredPortInput, ExposureListArgs, OrganizationArgs, UpdateMonitoredPortInput } from './inputs/monitored-port.input.js';
import { ExposureConnection, ExposureCount, MonitoredPort } from './models/monitored-port.model.js';
import { MonitoredPortsService } from './monitored-ports.service.js';

@Resolver(() => MonitoredPort)
export class MonitoredPortsResolver {
  constructor(
    private readonly ports: MonitoredPortsService,
    private readonly exposuresService: ExposuresService,
  ) {}

  @Query(() => [MonitoredPort], { description: "Monitored ports: the global defaults and the organisation's rules (administrators: every rule, or one organisation's)" })
  monitoredPorts(
    @CurrentPrincipal() p: Principal,
    @Args() { organizationId }: OrganizationArgs,
  ) {
    return this.ports.list(p, organizationId);
  }

  @Mutation(() => MonitoredPort, { description: 'Watches a port (users: for their organisation; administrators: any, or a global default)' })
  createMonitoredPort(@CurrentPrincipal() p: Principal, @Args('input') input: CreateMonitoredPortInput) {
    return this.ports.create(p, input);
  }

  @Mutation(() => MonitoredPort)
  updateMonitoredPort(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateMonitoredPortInput) {
    return this.ports.update(p, input);
  }

  @Mutation(() => MonitoredPort, { description: 'Stops watching a port; its exposures stay (without their rule)' })
  deleteMonitoredPort(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.ports.delete(p, id);
  }

  @Query(() => ExposureConnection, { description: 'Exposures (monitored ports found open), newest first; OPEN ones unless a status is given' })
  exposures(@CurrentPrincipal() p: Principal, @Args() args: ExposureListArgs) {
    return this.exposuresService.list(p, args);
  }

  @Query(() => [ExposureCount], { description: 'OPEN exposures per organisation by risk level' })
  exposureCounts(
    @CurrentPrincipal() p: Principal,
    @Args() { organizationId }: OrganizationArgs,
  ) {
    return this.exposuresService.counts(p, organizationId);
  }
}
