// Helpers for parser specs: the real scanner samples (read in place, never copied) and small
// in-memory inputs.
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { fingerprintFinding } from '../../src/ingest/findings/fingerprint.js';
import { collect, parseFile } from '../../src/ingest/parsers/parse-file.js';
import type { ParseOptions } from '../../src/ingest/parsers/limits.js';
import type {
  ParseEvent,
  ParsedBaselineItem,
  ParsedFinding,
  ParsedService,
  RejectedRecord,
  ScanFormat,
} from '../../src/ingest/parsers/types.js';

/** The samples: XSC_SCANS_DIR, else `shared/scans` beside the repository (not the working directory). */
export const SCANS_DIR = process.env.XSC_SCANS_DIR ?? path.resolve(fileURLToPath(import.meta.url), '../../../../shared/scans');

export const samplePath = (relative: string) => path.join(SCANS_DIR, relative);
export const readSample = (relative: string) => readFileSync(samplePath(relative));

export function parseSample(format: ScanFormat, relative: string, options?: ParseOptions) {
  return collect(parseFile(format, createReadStream(samplePath(relative)), options));
}

/** Parses text given as one or more chunks (chunk boundaries are part of what is tested). */
export function parseText(format: ScanFormat, chunks: string | (string | Buffer)[], options?: ParseOptions) {
  const list = typeof chunks === 'string' ? [chunks] : chunks;
  return collect(parseFile(format, Readable.from(list.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), options));
}

/** Splits a text into chunks of `size` bytes, to cross every boundary a stream can have. */
export function chunked(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

export const findingsOf = (events: ParseEvent[]): ParsedFinding[] =>
  events.flatMap((e) => (e.type === 'finding' ? [e.record] : []));
export const servicesOf = (events: ParseEvent[]): ParsedService[] =>
  events.flatMap((e) => (e.type === 'service' ? [e.record] : []));
export const baselineOf = (events: ParseEvent[]): ParsedBaselineItem[] =>
  events.flatMap((e) => (e.type === 'baseline' ? [e.record] : []));
export const rejectionsOf = (events: ParseEvent[]): RejectedRecord[] =>
  events.flatMap((e) => (e.type === 'rejected' ? [e.record] : []));

/** Number of distinct fingerprints the findings get on one site (what dedup will keep). */
export const distinctFingerprints = (findings: ParsedFinding[], siteId = 'site-1') =>
  new Set(findings.map((f) => fingerprintFinding(siteId, f).hash)).size;

export const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});
