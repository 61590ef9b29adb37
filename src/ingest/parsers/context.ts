// What every parser receives: the field clipper (with its truncation counts) and reader limits.
import type { FieldClipper, ReaderLimits } from './limits.js';
import type { ByteSource, ParseEvent } from './types.js';

export interface ParserContext {
  clip: FieldClipper;
  reader: ReaderLimits;
}

export type ScanParser = (source: ByteSource, ctx: ParserContext) => AsyncGenerator<ParseEvent>;

export const rejected = (index: number, reason: string): ParseEvent => ({ type: 'rejected', record: { index, reason } });

/** Plain object check for values decoded from JSON. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON scalar as a string (numbers and booleans too), else undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A string or a list of strings as a list. */
export function strList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str).filter((v): v is string => v !== undefined);
  const single = str(value);
  return single === undefined ? [] : [single];
}

/** Port number 1-65535 from a number or numeric string, else undefined. */
export function portOf(value: unknown): number | undefined {
  const port = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/** CVE ids upper-cased ("cve-2021-1" -> "CVE-2021-1"); anything else dropped. */
export const cveIds = (values: Iterable<string>): string[] =>
  [...values].map((v) => v.trim().toUpperCase()).filter((v) => /^CVE-\d{4}-\d{4,}$/.test(v));

/** CWE numbers from "CWE-79", "cwe-79" or "79"; ZAP's -1/0 ("none") dropped. */
export const cweIds = (values: Iterable<string>): string[] =>
  [...values].map((v) => v.trim().replace(/^cwe-/i, '')).filter((v) => /^\d+$/.test(v) && Number(v) > 0);
