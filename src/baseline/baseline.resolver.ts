import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { IdArg } from '../common/validation/fields.js';
import { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import { Task } from '../tasks/models/task.model.js';
import { BaselineResultsService } from './baseline-results.service.js';
import { BaselineStatsService } from './baseline-stats.service.js';
import { BaselineSyncService, MAX_CALL_RESULTS, MAX_CHUNK_ITEMS, type RawResult } from './baseline-sync.service.js';
import { BaselineListArgs, LatestBaselineArgs, PassRateArgs, TopFailedArgs } from './inputs/baseline-args.js';
import { SyncBaselineFailedInput, SyncBaselineInput, SyncBaselineItemInput, SyncBaselineResultInput } from './inputs/sync-baseline.input.js';
import { SyncBaselineOutcome } from './models/sync-baseline.model.js';
import { BaselineChanges, BaselineResult, BaselineResultConnection, BaselineResultDetail, SCORE_DOC } from './models/baseline-result.model.js';
import { BaselineFailedCheck, BaselinePassRate, SitePosture } from './models/baseline-stats.model.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

@Resolver(() => BaselineResult)
export class BaselineResolver {
  constructor(
    private readonly results: BaselineResultsService,
    private readonly stats: BaselineStatsService,
    private readonly sync: BaselineSyncService,
  ) {}

  @Scopes('sync:baseline')
  @RateLimited('ingest')
  @Mutation(() => IngestBatch, {
    description:
      `Baseline agents (sync:baseline): pushes up to ${MAX_CHUNK_ITEMS} checked items of one site against one script. ` +
      'Stored durably and applied by a worker (follow it with ingestBatch). Items go to the result of (task, site, script); ' +
      'a later chunk may add items or replace earlier ones, and the result is rescored. Bad items are rejected one by one. ' +
      SCORE_DOC,
  })
  syncBaseline(
    @CurrentPrincipal() key: ApiKeyPrincipal,
    @Args('input') input: SyncBaselineInput,
    @Args('items', { type: () => [SyncBaselineItemInput], description: `Up to ${MAX_CHUNK_ITEMS} items` }) items: SyncBaselineItemInput[],
  ) {
    return this.sync.sync(key, input, items);
  }

  @Scopes('sync:baseline')
  @Mutation(() => [SyncBaselineOutcome], {
    description:
      `Baseline agents (sync:baseline): pushes several results (or chunks of results) in one call, up to ${MAX_CALL_RESULTS} ` +
      'results and BASELINE_SYNC_MAX_ITEMS items in all (default 10,000). Each result is what syncBaseline takes (its input ' +
      `fields and up to ${MAX_CHUNK_ITEMS} items) and is checked, stored and answered on its own: the answer lists, in order, ` +
      "each result's stored batch (the earlier batch when its idempotencyKey was used before) or its error; the other results " +
      'of the call are kept. Stored durably before the answer; applied by a worker, the results of one task together.',
  })
  syncBaselineResults(
    @CurrentPrincipal() key: ApiKeyPrincipal,
    // A list argument: the validation pipe leaves it alone, the service checks each result.
    @Args('results', { type: () => [SyncBaselineResultInput] }) results: SyncBaselineResultInput[],
  ) {
    return this.sync.syncMany(key, results as unknown as RawResult[]);
  }

  @Scopes('sync:baseline')
  @Mutation(() => Task, { description: 'Baseline agents (sync:baseline): the check failed; the task becomes FAILED with this reason' })
  syncBaselineFailed(@CurrentPrincipal() key: ApiKeyPrincipal, @Args('input') input: SyncBaselineFailedInput) {
    return this.sync.failed(key, input);
  }

  @Query(() => BaselineResultConnection, { description: "A site's baseline results, newest first" })
  baselineList(@CurrentPrincipal() p: Principal, @Args() args: BaselineListArgs) {
    return this.results.list(p, args);
  }

  @Query(() => BaselineResultConnection, { description: 'The latest result of every site and script (optionally one site or script), newest first' })
  latestBaselineResults(@CurrentPrincipal() p: Principal, @Args() args: LatestBaselineArgs) {
    return this.results.latest(p, args);
  }

  @Query(() => BaselineResultDetail, { description: 'One baseline result with its items' })
  baselineResult(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.results.detail(p, id);
  }

  @Query(() => BaselineChanges, { description: 'Items newly failing or newly passing since the previous result of the same site and script' })
  baselineChanges(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.results.changes(p, id);
  }

  @Mutation(() => Boolean, { description: 'Deletes a baseline result; the previous result of its site and script becomes the latest' })
  baselineDelete(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.results.delete(p, id);
  }

  @Query(() => [BaselinePassRate], { description: 'Pass rates over the latest results, by script, organisation or area (precomputed)' })
  baselinePassRates(@CurrentPrincipal() p: Principal, @Args() args: PassRateArgs) {
    return this.stats.passRates(p, args);
  }

  @Query(() => [BaselineFailedCheck], { description: 'The checks failed by the most sites (latest results)' })
  baselineTopFailedChecks(@CurrentPrincipal() p: Principal, @Args() args: TopFailedArgs) {
    return this.stats.topFailed(p, args);
  }

  @Query(() => SitePosture, { description: "A site's posture: one number from its vulnerability, baseline and questionnaire scores" })
  sitePosture(@CurrentPrincipal() p: Principal, @IdArg('siteId') siteId: number) {
    return this.stats.posture(p, siteId);
  }
}
