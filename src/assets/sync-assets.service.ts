import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import type { ScannedPortRangeInput, SyncAssetHostInput, SyncAssetsInput } from './inputs/sync-assets.input.js';

/** Hosts per syncAssets chunk. */
export const MAX_CHUNK_HOSTS = 1000;
/** Port records per syncAssets chunk (all hosts together). */
export const MAX_CHUNK_PORTS = 50_000;

/**
 * syncAssets: a chunk of hosts is stored as an ASSETS ingest batch (durable before it is queued,
 * idempotent by key) and applied by the ingest worker like any other chunk; completeVulnScan
 * counts these chunks too.
 */
@Injectable()
export class SyncAssetsService {
  constructor(private readonly ingest: IngestService) {}

  async sync(key: ApiKeyPrincipal, input: SyncAssetsInput, hosts: SyncAssetHostInput[], scanned: ScannedPortRangeInput[]): Promise<IngestBatch> {
    if (hosts.length > MAX_CHUNK_HOSTS) throw badInput(`A chunk holds at most ${MAX_CHUNK_HOSTS} hosts; split it`, { field: 'hosts' });
    const ports = hosts.reduce((n, h) => n + (h.ports?.length ?? 0), 0);
    if (ports > MAX_CHUNK_PORTS) throw badInput(`A chunk holds at most ${MAX_CHUNK_PORTS} ports; split it`, { field: 'hosts' });
    for (const r of scanned) {
      if (r.from > r.to || !['tcp', 'udp'].includes((r.protocol ?? 'tcp').toLowerCase())) {
        throw badInput('scanned ranges are tcp or udp with from <= to', { field: 'scanned' });
      }
    }
    const replay = await this.ingest.replay(key, input.taskId, input.idempotencyKey);
    if (replay) return replay;
    const task = await this.ingest.openTask(key, input.taskId);
    const scanner = this.ingest.scannerOf(task, input.scanner);
    const id = await this.ingest.store(key, {
      taskId: task.id, kind: 'ASSETS', seq: input.seq, idempotencyKey: input.idempotencyKey,
      payload: { scanner, scanned, hosts },
    });
    return this.ingest.enqueued(key, id, input.taskId, input.idempotencyKey);
  }
}
