import { IsOptional, Matches } from 'class-validator';

export const CHUNK_KEY = /^[A-Za-z0-9_.:-]{1,200}$/;
export const CHUNK_KEY_MESSAGE = 'chunkKey is 1-200 letters, digits or _.:-';

/** Query string of POST /ingest/flows (the body is NDJSON, gzip allowed). */
export class IngestFlowsQuery {
  /** Makes the request idempotent: a chunk key already stored returns its batch and stores nothing. */
  @IsOptional() @Matches(CHUNK_KEY, { message: CHUNK_KEY_MESSAGE })
  chunkKey?: string;
}
