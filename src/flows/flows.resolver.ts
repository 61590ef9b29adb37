import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Info, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { FlowIngestService } from './flow-ingest.service.js';
import { FlowQueryService } from './flow-query.service.js';
import { MAX_SYNC_RECORDS } from './flows.constants.js';
import { DeniedFlowsArgs, FlowAggregatesArgs, FlowPageArgs, FlowsArgs } from './inputs/flow-query.args.js';
import { FlowRecordScalar } from './flow-record.scalar.js';
import { FlowAggregate } from './models/flow-aggregate.model.js';
import { FlowBatch } from './models/flow-batch.model.js';
import { FlowHourlyConnection } from './models/flow-hourly.model.js';
import { DeniedFlowConnection, FlowConnection } from './models/flow.model.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

@Resolver(() => FlowBatch)
export class FlowsResolver {
  constructor(
    private readonly ingest: FlowIngestService,
    private readonly query: FlowQueryService,
  ) {}

  @Scopes('sync:flows')
  @RateLimited('ingest')
  @Mutation(() => FlowBatch, {
    description:
      `Sensors (sync:flows): stores up to ${MAX_SYNC_RECORDS} flow records, and their hourly aggregates, before answering. ` +
      'Invalid records are refused one by one (see rejections), the rest kept. A chunkKey already stored returns its batch ' +
      'and stores nothing. Bulk senders: POST /ingest/flows (NDJSON).',
  })
  syncFlow(
    @CurrentPrincipal() key: ApiKeyPrincipal,
    @Args('chunkKey', { description: 'Idempotency key of this chunk, 1-200 letters, digits or _.:-' }) chunkKey: string,
    // JSON objects (FlowRecord), checked one by one by the service; the validation pipe leaves them alone.
    @Args('records', { type: () => [FlowRecordScalar] }) records: unknown[],
  ) {
    return this.ingest.sync(key, chunkKey, records);
  }

  @Roles('ADMIN', 'USER')
  @Scopes('sync:flows')
  @Query(() => FlowBatch, { description: 'One pushed chunk of flow records: counts and refused records with reasons' })
  flowBatch(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }, new ParseUUIDPipe()) id: string) {
    return this.query.batch(p, id);
  }

  @Query(() => FlowConnection, { description: 'Flow records in a time range (flowLog), oldest first, with filters' })
  flows(@CurrentPrincipal() p: Principal, @Args() args: FlowsArgs) {
    return this.query.flows(p, args);
  }

  @Query(() => DeniedFlowConnection, {
    description:
      'Denied connections to monitored ports: flow records with action DENY whose destination port and protocol are monitored ' +
      "for the record's organisation and site (monitoredPorts: the organisation's rules and the global defaults, with their " +
      'site and tag limits), with the matching rule and its risk level, oldest first',
  })
  deniedFlows(@CurrentPrincipal() p: Principal, @Args() args: DeniedFlowsArgs) {
    return this.query.deniedFlows(p, args);
  }

  @Query(() => FlowHourlyConnection, {
    description:
      'Hourly flow rows (flowStatis): per hour, site, destination port, protocol and action, with exact distinct sources; ' +
      'whole hours [from, to), in time order, kept FLOW_STATS_RETENTION_DAYS (longer than the records)',
  })
  flowHourly(@CurrentPrincipal() p: Principal, @Args() args: FlowPageArgs) {
    return this.query.hourly(p, args);
  }

  @Query(() => [FlowAggregate], {
    description: 'Flow totals over the whole hours [from, to) grouped by one dimension (flowStatis), from the hourly aggregates',
  })
  flowAggregates(@CurrentPrincipal() p: Principal, @Args() args: FlowAggregatesArgs, @Info() info: GraphQLResolveInfo) {
    const selected = info.fieldNodes[0].selectionSet?.selections ?? [];
    const withSources = selected.some((s) => s.kind !== Kind.FIELD || s.name.value === 'distinctSources');
    return this.query.aggregates(p, args, withSources);
  }
}
