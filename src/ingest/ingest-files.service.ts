import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { badInput, DomainError, forbidden } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { IngestBatchRepository } from './ingest-batch.repository.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestService } from './ingest.service.js';
import { FILE_CHUNK_BYTES } from './ingest.constants.js';
import { BASELINE_FILE_FORMATS, type UploadFileQuery } from './inputs/upload-file.query.js';
import type { IngestBatch } from './models/ingest-batch.model.js';

/**
 * Stores an uploaded scanner file in PostgreSQL (1 MB rows) while it streams in, in one
 * transaction with its batch row, so a worker on any machine can read it and an aborted upload
 * leaves nothing. That transaction lasts as long as the upload: it runs on the uploads' own pool
 * (IngestDb.uploads). Parsing happens in the worker.
 */
@Injectable()
export class IngestFilesService {
  constructor(
    private readonly ingest: IngestService,
    private readonly db: IngestDb,
    private readonly batches: IngestBatchRepository,
    private readonly config: AppConfig,
  ) {}

  async upload(key: ApiKeyPrincipal, q: UploadFileQuery, req: FastifyRequest): Promise<IngestBatch> {
    const baseline = (BASELINE_FILE_FORMATS as readonly string[]).includes(q.format);
    const scope = baseline ? 'sync:baseline' : 'sync:vulns';
    if (!key.scopes.includes(scope)) throw forbidden(`This API key lacks the scope ${scope}`);
    const idempotencyKey = q.idempotencyKey ?? `file:${randomUUID()}`;
    const replay = await this.ingest.replay(key, q.taskId, idempotencyKey);
    if (replay) return replay;
    const task = await this.ingest.openTask(key, q.taskId, baseline ? 'BASELINE' : 'VULN_SCAN');
    if (!req.isMultipart()) throw badInput('Send the file as multipart/form-data');
    const maxBytes = this.config.get('INGEST_MAX_FILE_MB') * 1024 * 1024;
    // limits above one: a second part is answered with a clear BAD_USER_INPUT below, not a limit error
    const parts = req.parts({ limits: { fileSize: maxBytes, files: 2, fields: 1 } });
    const part = expectFilePart((await parts.next()).value);

    const id = await this.db.tx(async (c) => {
      const batchId = await this.batches.insert(
        { organizationId: key.organizationId, apiKeyId: key.id, taskId: task.id, kind: 'FILE', seq: q.seq, idempotencyKey, format: q.format },
        c,
      );
      if (!batchId) {
        part.file.resume(); // a concurrent upload with the same key won: drain and answer with it
        return null;
      }
      let seq = 0;
      let bytes = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (!pendingBytes) return;
        await this.batches.insertFileChunk(c, batchId, seq++, Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      };
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        bytes += chunk.length;
        if (pendingBytes >= FILE_CHUNK_BYTES) await flush();
      }
      if (part.file.truncated) {
        throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than ${this.config.get('INGEST_MAX_FILE_MB')} MB`);
      }
      await flush();
      const extra = (await parts.next()).value as Multipart | undefined;
      if (extra) throw unknownPart(extra); // rolls the batch back: nothing is half-imported
      await this.batches.setFileBytes(c, batchId, bytes);
      return batchId;
    }, this.db.uploads);
    return this.ingest.enqueued(key, id, task.id, idempotencyKey);
  }
}

/** The multipart field that carries the file. */
export const FILE_FIELD = 'file';

/** The body's first part must be the file, in the `file` field; anything else is refused, never ignored. */
function expectFilePart(part: Multipart | undefined): MultipartFile {
  if (!part) throw badInput(`The multipart body has no file part; send the file in the "${FILE_FIELD}" field`, { field: FILE_FIELD });
  if (part.type !== 'file' || part.fieldname !== FILE_FIELD) throw unknownPart(part);
  return part;
}

function unknownPart(part: Multipart): Error {
  if (part.type === 'file') part.file.resume(); // drained, so the client gets the answer without a stalled upload
  const what = part.fieldname === FILE_FIELD ? 'a second file' : `the unknown field "${part.fieldname}"`;
  return badInput(`The multipart body has ${what}; send exactly one part, the file, in the "${FILE_FIELD}" field`, { field: part.fieldname });
}
