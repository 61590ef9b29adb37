// Size limits for every string a parser keeps, and the counter of values that were cut.
// A scanner file is untrusted input: no single field may grow a record without bound.
import { clip } from '../../common/text/unicode.js';

export interface FieldLimits {
  name: number;
  description: number;
  solution: number;
  evidence: number;
  url: number;
  parameter: number;
  /** Any other short string (ids, hosts, product names, kinds). */
  short: number;
  /** Each reference link. */
  reference: number;
  /** How many references / CVEs / CWEs one record keeps. */
  listItems: number;
  /** Each value in `extras`. */
  extra: number;
}

export const DEFAULT_FIELD_LIMITS: FieldLimits = {
  name: 1024,
  description: 64 * 1024,
  solution: 64 * 1024,
  evidence: 8 * 1024,
  url: 8 * 1024,
  parameter: 1024,
  short: 512,
  reference: 2048,
  listItems: 100,
  extra: 1024,
};

/** Limits of the streaming readers themselves (before fields are clipped). */
export interface ReaderLimits {
  /** Longest text kept for one XML element or JSON string; longer text is cut while reading. */
  maxTextChars: number;
  /** Largest XML subtree / JSON value assembled as one record; larger ones are rejected. */
  maxRecordChars: number;
  /** Longest JSONL line parsed; a longer line is skipped as a rejection without being buffered. */
  maxLineBytes: number;
  /** ZAP: instances buffered per alert while waiting for the alert's closing fields. */
  maxInstancesPerAlert: number;
  /** Deepest XML element / JSON container nesting accepted (deeper = not a scanner file). */
  maxDepth: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxTextChars: 64 * 1024,
  maxRecordChars: 4 * 1024 * 1024,
  maxLineBytes: 16 * 1024 * 1024,
  maxInstancesPerAlert: 50_000,
  maxDepth: 256,
};

export interface ParseOptions {
  fields?: Partial<FieldLimits>;
  reader?: Partial<ReaderLimits>;
}

/** Clips values to their field's limit and counts what it cut, per field name. */
export class FieldClipper {
  readonly limits: FieldLimits;
  readonly truncated: Record<string, number> = {};

  constructor(limits: Partial<FieldLimits> = {}) {
    this.limits = { ...DEFAULT_FIELD_LIMITS, ...limits };
  }

  /** Trimmed, clipped text or undefined when empty. `cut` marks text the reader already cut. */
  text(field: keyof FieldLimits, value: string | undefined | null, cut = false, countAs: string = field): string | undefined {
    if (value === undefined || value === null) return undefined;
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const max = this.limits[field];
    if (trimmed.length <= max && !cut) return trimmed;
    this.count(countAs);
    return clip(trimmed, max);
  }

  /** Distinct, non-empty, clipped items, at most `listItems` of them. */
  list(field: keyof FieldLimits, values: Iterable<string | undefined | null>, countAs: string = field): string[] {
    const out = new Set<string>();
    for (const value of values) {
      const item = this.text(field, value, false, countAs);
      if (item === undefined) continue;
      if (out.size >= this.limits.listItems) {
        this.count(`${countAs}[]`);
        break;
      }
      out.add(item);
    }
    return [...out];
  }

  count(field: string): void {
    this.truncated[field] = (this.truncated[field] ?? 0) + 1;
  }
}
