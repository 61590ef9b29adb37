import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import { ScannedPortRangeInput, SyncAssetHostInput, SyncAssetsInput } from './inputs/sync-assets.input.js';
import { MAX_CHUNK_HOSTS, SyncAssetsService } from './sync-assets.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

@Resolver()
export class SyncAssetsResolver {
  constructor(private readonly sync: SyncAssetsService) {}

  // sync:vulns, not a scope of its own: port scans run under vulnerability-scan tasks, and an Nmap
  // file (ports and vulners CVEs) is uploaded with the same key through POST /ingest/files.
  @Scopes('sync:vulns')
  @RateLimited('ingest')
  @Mutation(() => IngestBatch, {
    description:
      `Scanners (sync:vulns): pushes one chunk of up to ${MAX_CHUNK_HOSTS} hosts with their ports for a task; stored durably, ` +
      'applied by a worker (follow it with ingestBatch). Each host lists ALL its ports found by the scan (never split a host ' +
      'across chunks): ports of those hosts inside `scanned` that an earlier scan by the same scanner saw and this one does ' +
      'not list become CLOSED. Bad host records are rejected one by one. The same idempotencyKey twice has the effect of once.',
  })
  syncAssets(
    @CurrentPrincipal() key: ApiKeyPrincipal,
    @Args('input') input: SyncAssetsInput,
    @Args('hosts', { type: () => [SyncAssetHostInput] }) hosts: SyncAssetHostInput[],
    @Args('scanned', { type: () => [ScannedPortRangeInput], nullable: true, description: 'Ports probed on every host of the chunk' })
    scanned?: ScannedPortRangeInput[],
  ) {
    return this.sync.sync(key, input, hosts, scanned ?? []);
  }
}
