// Incoming findings (syncVulns records and parsed files) checked one by one: a bad record is
// rejected with its reason, the rest of the batch is kept.
import { normaliseUrl } from './findings/normalise-url.js';
import { locationOf } from './findings/fingerprint.js';
import type { ParsedFinding } from './parsers/types.js';
import { clip, isStorable } from '../common/text/unicode.js';

export const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export type IncomingLevel = (typeof LEVELS)[number];

/** A finding ready to be written: its site is a target of the task, every field within limits. */
export interface IncomingFinding {
  siteId: number;
  scanner: string;
  checkId: string | null;
  name: string;
  level: IncomingLevel;
  kind: string | null;
  description: string | null;
  solution: string | null;
  references: string[];
  cve: string[];
  cwe: string[];
  url: string | null;
  /** Normalised URL, or //host:port: part of the fingerprint. */
  location: string | null;
  parameter: string | null;
  evidence: string | null;
}

export interface Rejection {
  /** 0-based position of the record in the chunk (or 1-based record/line number of a file). */
  index: number;
  reason: string;
}

/** What applying one chunk (records or a file) of a batch did. */
export interface ImportResult {
  received: number;
  created: number;
  updated: number;
  rejected: number;
  rejections: Rejection[];
}

const LIMITS = { checkId: 200, name: 300, kind: 100, description: 20_000, solution: 20_000, url: 4096, parameter: 500, evidence: 20_000 };
const MAX_LIST = 50;
const MAX_REF = 2000;

/** The shape a syncVulns record arrives in (GraphQL has checked the types, not the values). */
export interface SyncRecord {
  siteId: string | number;
  checkId?: string | null;
  name: string;
  level: string;
  kind?: string | null;
  description?: string | null;
  solution?: string | null;
  references?: string[] | null;
  cve?: string[] | null;
  cwe?: string[] | null;
  url?: string | null;
  parameter?: string | null;
  evidence?: string | null;
}

const clipOrNull = (v: string | null | undefined, max: number): string | null => (v === null || v === undefined ? null : clip(v, max));

const TEXT_FIELDS = ['scanner', 'checkId', 'name', 'kind', 'description', 'solution', 'url', 'parameter', 'evidence'] as const;
const LIST_FIELDS = ['references', 'cve', 'cwe'] as const;

/**
 * The first field PostgreSQL cannot store as it is (a NUL character, half of a surrogate pair),
 * as a rejection reason: such a record is rejected alone instead of failing its whole batch.
 */
export function unstorable(f: IncomingFinding): string | undefined {
  const field = TEXT_FIELDS.find((k) => f[k] !== null && !isStorable(f[k])) ?? LIST_FIELDS.find((k) => f[k].some((v) => !isStorable(v)));
  return field && `${field} holds a NUL character or half of a surrogate pair, which cannot be stored`;
}

const blankToNull = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** Checks one pushed record; returns the finding or the reason it is rejected. */
export function checkSyncRecord(raw: SyncRecord, scanner: string, siteIds: ReadonlySet<number>): IncomingFinding | string {
  const siteId = Number(raw.siteId);
  if (!Number.isInteger(siteId) || !siteIds.has(siteId)) return `site ${clip(String(raw.siteId), 40)} is not a target of this task (only the sites in the task's siteIds take findings)`;
  const name = blankToNull(raw.name);
  if (!name) return 'name is empty';
  const level = String(raw.level ?? '').trim().toUpperCase();
  if (!(LEVELS as readonly string[]).includes(level)) return `level must be one of ${LEVELS.join(', ').toLowerCase()}`;
  const f: IncomingFinding = {
    siteId,
    scanner,
    checkId: blankToNull(raw.checkId),
    name,
    level: level as IncomingLevel,
    kind: blankToNull(raw.kind),
    description: blankToNull(raw.description),
    solution: blankToNull(raw.solution),
    references: raw.references ?? [],
    cve: (raw.cve ?? []).map((c) => c.trim().toUpperCase()),
    cwe: (raw.cwe ?? []).map((c) => c.trim().replace(/^cwe-/i, '')),
    url: blankToNull(raw.url),
    location: null,
    parameter: blankToNull(raw.parameter),
    evidence: raw.evidence ?? null,
  };
  const broken = unstorable(f);
  if (broken) return broken;
  const tooLong = (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).find((k) => (f[k]?.length ?? 0) > LIMITS[k]);
  if (tooLong) return `${tooLong} is longer than ${LIMITS[tooLong]} characters`;
  for (const list of ['references', 'cve', 'cwe'] as const) {
    if (f[list].length > MAX_LIST) return `${list} has more than ${MAX_LIST} entries`;
    if (f[list].some((v) => typeof v !== 'string' || v.length > MAX_REF)) return `${list} has an entry longer than ${MAX_REF} characters`;
  }
  if (f.cve.some((c) => !/^CVE-\d{4}-\d{4,}$/.test(c))) return 'cve entries must look like CVE-2021-44228';
  if (f.cwe.some((c) => !/^\d{1,6}$/.test(c))) return 'cwe entries must be numbers like 79';
  if (f.url) {
    f.location = normaliseUrl(f.url) ?? null;
    if (!f.location) return 'url is not an absolute http(s) URL';
  }
  return f;
}

/** A parsed scanner-file finding on a site (the parsers have already bounded its fields). */
export function fromParsed(p: ParsedFinding, siteId: number): IncomingFinding {
  return {
    siteId,
    scanner: p.scanner,
    checkId: blankToNull(p.checkId),
    name: clip(p.name.trim(), LIMITS.name) || p.checkId,
    level: p.level,
    kind: clipOrNull(blankToNull(p.kind), LIMITS.kind),
    description: clipOrNull(blankToNull(p.description), LIMITS.description),
    solution: clipOrNull(blankToNull(p.solution), LIMITS.solution),
    references: p.references.slice(0, MAX_LIST).map((r) => clip(r, MAX_REF)),
    cve: p.cve.slice(0, MAX_LIST),
    cwe: p.cwe.slice(0, MAX_LIST),
    url: clipOrNull(blankToNull(p.url), LIMITS.url),
    location: clipOrNull(locationOf(p), LIMITS.url),
    parameter: clipOrNull(blankToNull(p.parameter), LIMITS.parameter),
    evidence: clipOrNull(p.evidence, LIMITS.evidence),
  };
}
