// Imports an uploaded scanner file: streams its stored chunks back from PostgreSQL through the
// streaming parser and writes findings every FILE_FLUSH_SIZE records, all inside the batch's
// transaction, so a file that turns out unreadable (even at its very end) changes nothing.
import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { AssetImport } from '../assets/import/asset-import.js';
import { SiteRepository } from '../sites/site.repository.js';
import { hostOf } from '../sites/site-url.js';
import { TaskRepository } from '../tasks/task.repository.js';
import { FindingRepository } from '../vulns/finding.repository.js';
import { writeFindings, type WriteContext } from '../ingest/finding-writer.js';
import { fromParsed, unstorable, type ImportResult, type IncomingFinding, type Rejection } from '../ingest/incoming-finding.js';
import { IngestBatchRepository } from '../ingest/ingest-batch.repository.js';
import { FILE_FLUSH_SIZE, MAX_STORED_REJECTIONS } from '../ingest/ingest.constants.js';
import { parseFile } from '../ingest/parsers/parse-file.js';
import type { ScanFormat } from '../ingest/parsers/types.js';
import { TaskHosts } from './task-hosts.js';

@Injectable()
export class FileImporterService {
  constructor(
    private readonly batches: IngestBatchRepository,
    private readonly tasks: TaskRepository,
    private readonly sites: SiteRepository,
    private readonly findings: FindingRepository,
  ) {}

  async importFile(
    c: pg.PoolClient,
    ctx: WriteContext,
    batch: { id: string; format: string | null },
    sites: { siteId: number; url: string }[],
  ): Promise<ImportResult> {
    const hosts = await TaskHosts.load(c, { tasks: this.tasks, sites: this.sites }, ctx.taskId, sites);
    const result: ImportResult = { received: 0, created: 0, updated: 0, rejected: 0, rejections: [] };
    const reject = (r: Rejection) => {
      result.rejected++;
      if (result.rejections.length < MAX_STORED_REJECTIONS) result.rejections.push(r);
    };
    let pending: IncomingFinding[] = [];
    const flush = async () => {
      const w = await writeFindings(this.findings, c, ctx, pending);
      result.created += w.created;
      result.updated += w.updated;
      pending = [];
    };
    const assets = new AssetImport(c, { ...ctx, scanner: batch.format!.toLowerCase() });
    for await (const event of parseFile(batch.format as ScanFormat, this.chunks(batch.id))) {
      if (event.type === 'rejected') {
        reject(event.record);
        continue;
      }
      if (event.type === 'host') assets.addHost(event.record);
      if (event.type === 'coverage') assets.addCoverage(event.record);
      if (event.type === 'service') {
        result.received++;
        const problem = assets.addService(event.record);
        if (problem) reject({ index: result.received, reason: problem });
        if (assets.full) await assets.flush();
      }
      if (event.type !== 'finding') continue;
      result.received++;
      const host = event.record.host ?? (event.record.url ? hostOf(event.record.url) : undefined);
      const siteId = await hosts.siteFor(host, event.record.url);
      if (typeof siteId === 'string') {
        reject({ index: result.received, reason: siteId });
        continue;
      }
      const finding = fromParsed(event.record, siteId);
      const broken = unstorable(finding);
      if (broken) reject({ index: result.received, reason: broken });
      else pending.push(finding);
      if (pending.length >= FILE_FLUSH_SIZE) await flush();
    }
    await flush();
    const a = await assets.finish();
    result.created += a.created;
    result.updated += a.updated;
    return result;
  }

  /** The stored file, one 1 MB chunk at a time (never the whole file in memory). */
  async *chunks(batchId: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const data = await this.batches.fileChunk(batchId, seq);
      if (!data) return;
      yield data;
    }
  }
}
