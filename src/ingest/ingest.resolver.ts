import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ParseUUIDPipe } from '@nestjs/common';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { Task } from '../tasks/models/task.model.js';
import { IngestService } from './ingest.service.js';
import { MAX_CHUNK_FINDINGS } from './ingest.constants.js';
import { CompleteVulnScanInput, SyncVulnRecordInput, SyncVulnsFailedInput, SyncVulnsInput } from './inputs/sync-vulns.input.js';
import { IngestBatch } from './models/ingest-batch.model.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

@Resolver(() => IngestBatch)
export class IngestResolver {
  constructor(private readonly ingest: IngestService) {}

  @Scopes('sync:vulns')
  @RateLimited('ingest')
  @Mutation(() => IngestBatch, {
    description:
      'Scanners (sync:vulns): pushes one chunk of up to 5,000 findings for a task. The chunk is stored durably and ' +
      'applied by a worker; follow it with ingestBatch(id). Invalid records are rejected one by one (see rejections), ' +
      'the rest are kept. Findings dedupe by fingerprint, so chunks may arrive in any order.',
  })
  syncVulns(
    @CurrentPrincipal() key: ApiKeyPrincipal,
    @Args('input') input: SyncVulnsInput,
    // A separate argument: the validation pipe leaves arrays alone, the worker checks each record.
    @Args('findings', { type: () => [SyncVulnRecordInput], description: `Up to ${MAX_CHUNK_FINDINGS} findings` })
    findings: SyncVulnRecordInput[],
  ) {
    return this.ingest.syncVulns(key, input, findings);
  }

  @Scopes('sync:vulns')
  @Mutation(() => IngestBatch, {
    description:
      'Scanners (sync:vulns): the scan of the task is complete after totalChunks chunks. When all of them are applied, ' +
      "open findings on the task's sites from the same scanner (and the listed checks, if any) that this scan did not " +
      'see become FIXED (with a history entry), findings outside that coverage are left alone, and the task SUCCEEDS. ' +
      'IGNORED and FALSE_POSITIVE findings are never changed. If a chunk FAILED, this batch and the task FAIL with a ' +
      "reason naming the chunk and nothing is closed (the scan's coverage is unknown); retryIngestBatch on that chunk " +
      'brings both back and the completion proceeds once it is applied. A task cancelled or failed before its ' +
      'completion is applied gets nothing closed.',
  })
  completeVulnScan(@CurrentPrincipal() key: ApiKeyPrincipal, @Args('input') input: CompleteVulnScanInput) {
    return this.ingest.complete(key, input);
  }

  @Scopes('sync:vulns')
  @Mutation(() => Task, { description: 'Scanners (sync:vulns): the scan failed; the task becomes FAILED with this reason' })
  syncVulnsFailed(@CurrentPrincipal() key: ApiKeyPrincipal, @Args('input') input: SyncVulnsFailedInput) {
    return this.ingest.failed(key, input);
  }

  @Mutation(() => IngestBatch, {
    description:
      'Retries a FAILED ingest batch by hand (it is applied from scratch, once). Retrying a chunk also brings back ' +
      'the completion it had failed, and its task: the completion proceeds once the chunk is applied',
  })
  retryIngestBatch(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }, new ParseUUIDPipe()) id: string) {
    return this.ingest.retryBatch(p, id);
  }

  @Roles('ADMIN', 'USER')
  // Any API key; the service requires sync:vulns, or sync:baseline for baseline batches.
  @Scopes()
  @Query(() => IngestBatch, {
    description:
      'One ingest batch: status, counts and rejected records with reasons. API keys read their organisation\'s batches: ' +
      'sync:vulns any of them, sync:baseline the baseline ones (BASELINE chunks, KUBE_BENCH and XCCDF files)',
  })
  ingestBatch(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }, new ParseUUIDPipe()) id: string) {
    return this.ingest.readableBatch(p, id);
  }
}
