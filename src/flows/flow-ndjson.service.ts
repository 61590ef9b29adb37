import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { FlowIngestService } from './flow-ingest.service.js';
import { ndjsonItems } from './ndjson.js';
import type { BatchRow } from './flow-batches.js';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl'];

/** The bulk path: streams an NDJSON (optionally gzip) request body into FlowIngestService. */
@Injectable()
export class FlowNdjsonService implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly ingestService: FlowIngestService,
    private readonly config: AppConfig,
  ) {}

  /** Fastify hands NDJSON bodies over unread (its JSON parser would buffer them whole). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    for (const type of NDJSON_TYPES) {
      if (!fastify.hasContentTypeParser(type)) fastify.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
    }
  }

  async ingest(key: ApiKeyPrincipal, chunkKey: string | undefined, req: FastifyRequest): Promise<BatchRow> {
    if (!NDJSON_TYPES.includes(String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase())) {
      throw badInput(`Send the records as ${NDJSON_TYPES.join(' or ')}`);
    }
    try {
      // A replayed chunk key is answered before the body is read (FlowIngestService checks it first).
      const items = ndjsonItems(this.decoded(req), this.config.get('FLOW_MAX_BODY_MB') * 1024 * 1024);
      return await this.ingestService.ingest(key, chunkKey, 'NDJSON', items);
    } finally {
      req.raw.resume(); // whatever was not read (a replay, an error) is drained so the answer reaches the client
    }
  }

  private decoded(req: FastifyRequest): AsyncIterable<Buffer> {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    // Not destroyed when reading stops early: the rest is drained and the error answered.
    if (encoding === 'identity') return req.raw.iterator({ destroyOnReturn: false });
    if (encoding !== 'gzip') throw badInput(`Content-Encoding ${encoding} is not supported (gzip is)`);
    return gunzipped(req.raw);
  }
}

/** The inflated body; a client that goes away or sends broken gzip ends it with an error. */
async function* gunzipped(raw: Readable): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const gone = () => {
    if (!raw.readableEnded) gunzip.destroy(new Error('The client closed the request before its end'));
  };
  raw.on('close', gone);
  raw.pipe(gunzip);
  try {
    for await (const buf of gunzip as AsyncIterable<Buffer>) yield buf;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('Z_')) throw badInput('The body is not valid gzip');
    throw e;
  } finally {
    raw.off('close', gone);
    raw.unpipe(gunzip);
  }
}
