// A finding's fingerprint: the same vulnerability on the same place of the same site always
// hashes the same, whatever scan reported it. The components are kept next to the hash so a
// user can see why two findings matched.
import { createHash } from 'node:crypto';
import type { ParsedFinding } from '../parsers/types.js';
import { entryKey } from '../../vulns/entry-key.js';
import { normaliseUrl } from './normalise-url.js';

export const FINGERPRINT_VERSION = 1;

export interface FingerprintInput {
  siteId: string;
  /** The library entry the finding belongs to (its id, or entryKey() before it exists). */
  entryKey: string;
  /** Where, already canonical: locationOf() or normaliseUrl() output. */
  location?: string | null;
  parameter?: string | null;
}

export interface FingerprintComponents {
  version: number;
  siteId: string;
  entryKey: string;
  /** Normalised URL, or "//host:port" for findings that are not on a web URL. */
  location: string | null;
  parameter: string | null;
}

export interface Fingerprint {
  /** sha256 (hex) of the canonical serialisation of `components`. */
  hash: string;
  components: FingerprintComponents;
}

/**
 * The one fingerprint function: ingestion (finding-writer.ts) and every other caller use it. The
 * location comes canonical (locationOf(), normaliseUrl()), so no URL is parsed a second time.
 */
export function fingerprintOf(input: FingerprintInput): Fingerprint {
  const components: FingerprintComponents = {
    version: FINGERPRINT_VERSION,
    siteId: input.siteId,
    entryKey: input.entryKey,
    location: input.location || null,
    parameter: input.parameter?.trim() || null,
  };
  return { hash: hashComponents(components), components };
}

/** JSON of a fixed-order array: every field is quoted and escaped, so no two inputs collide. */
export function hashComponents(c: FingerprintComponents): string {
  const canonical = JSON.stringify([c.version, c.siteId, c.entryKey, c.location, c.parameter]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Where a finding is: its URL when it has one, else its host and port ("//10.0.0.1:22"). */
export function locationOf(f: Pick<ParsedFinding, 'url' | 'host' | 'port'>): string | null {
  const url = normaliseUrl(f.url);
  if (url) return url;
  if (!f.host) return null;
  const host = f.host.trim().toLowerCase();
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host; // bare IPv6
  return `//${bracketed}${f.port === undefined ? '' : `:${f.port}`}`;
}

/** Fingerprint of a parsed finding on a site, with its library entry key unless an entry id is given. */
export const fingerprintFinding = (siteId: string, f: ParsedFinding, entry = entryKey(f.scanner, f.checkId, f.name)): Fingerprint =>
  fingerprintOf({ siteId, entryKey: entry, location: locationOf(f), parameter: f.parameter });
