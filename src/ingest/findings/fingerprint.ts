// A finding's fingerprint: the same vulnerability on the same place of the same site always
// hashes the same, whatever scan reported it. The components are kept next to the hash so a
// user can see why two findings matched.
import { createHash } from 'node:crypto';
import type { ParsedFinding } from '../parsers/types.js';
import { normaliseUrl } from './normalise-url.js';

export const FINGERPRINT_VERSION = 1;

export interface FingerprintInput {
  siteId: string;
  /** The library entry the finding belongs to (its id, or entryKeyOf() before it exists). */
  entryKey: string;
  /** Where: an http(s) URL (normalised here) or a network location from locationOf(). */
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

export function fingerprintOf(input: FingerprintInput): Fingerprint {
  const components: FingerprintComponents = {
    version: FINGERPRINT_VERSION,
    siteId: input.siteId,
    entryKey: input.entryKey,
    location: canonicalLocation(input.location),
    parameter: emptyToNull(input.parameter),
  };
  return { hash: hashComponents(components), components };
}

/** JSON of a fixed-order array: every field is quoted and escaped, so no two inputs collide. */
export function hashComponents(c: FingerprintComponents): string {
  const canonical = JSON.stringify([c.version, c.siteId, c.entryKey, c.location, c.parameter]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Default library-entry key for a parsed finding: the scanner plus its check id. */
export const entryKeyOf = (f: Pick<ParsedFinding, 'scanner' | 'checkId'>) => `${f.scanner}:${f.checkId}`;

/** Where a finding is: its URL when it has one, else its host and port ("//10.0.0.1:22"). */
export function locationOf(f: Pick<ParsedFinding, 'url' | 'host' | 'port'>): string | null {
  const url = normaliseUrl(f.url);
  if (url) return url;
  if (!f.host) return null;
  const host = f.host.trim().toLowerCase();
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host; // bare IPv6
  return `//${bracketed}${f.port === undefined ? '' : `:${f.port}`}`;
}

/** Fingerprint of a parsed finding on a site, with the default entry key unless one is given. */
export const fingerprintFinding = (siteId: string, f: ParsedFinding, entryKey = entryKeyOf(f)): Fingerprint =>
  fingerprintOf({ siteId, entryKey, location: locationOf(f), parameter: f.parameter });

function canonicalLocation(location: string | null | undefined): string | null {
  if (!location) return null;
  return normaliseUrl(location) ?? emptyToNull(location.toLowerCase());
}

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
