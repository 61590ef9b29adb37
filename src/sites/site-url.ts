import { parse as parseDomain } from 'tldts';

export const MAX_URL_LENGTH = 2048;

export interface NormalisedSiteUrl {
  /** The stored form: lower-case scheme and host, no default port, no fragment, no lone `/`. */
  url: string;
  hostname: string;
  /** Registrable domain from the public-suffix list; the address itself for IP sites. */
  domain: string;
  isIp: boolean;
}

export type UrlCheck = { ok: true; value: NormalisedSiteUrl } | { ok: false; error: string };

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Validates and normalises a site address as users type it: `example.com`, `https://Example.com:443/`,
 * `http://1.2.3.4:8080/app`. Only http(s), no credentials, a dotted host name or an IP address.
 */
export function normaliseSiteUrl(input: string): UrlCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, error: 'URL is empty' };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, error: `URL is longer than ${MAX_URL_LENGTH} characters` };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, error: 'URL is not valid' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, error: 'Only http and https URLs are allowed' };
  if (u.username || u.password) return { ok: false, error: 'URL must not contain credentials' };
  u.hash = '';
  const hostname = u.hostname.replace(/\.$/, '');
  const check = checkHostname(hostname);
  if (!check.ok) return check;
  u.hostname = hostname;
  const path = u.pathname === '/' && !u.search ? '' : u.pathname;
  const url = `${u.protocol}//${u.host}${path}${u.search}`;
  if (url.length > MAX_URL_LENGTH) return { ok: false, error: `URL is longer than ${MAX_URL_LENGTH} characters` };
  return { ok: true, value: { url, hostname: check.value.hostname, domain: check.value.domain, isIp: check.value.isIp } };
}

/** A host name (already IDNA/punycode, lower case) or IP address, with its registrable domain. */
export function checkHostname(
  input: string,
): { ok: true; value: { hostname: string; domain: string; isIp: boolean } } | { ok: false; error: string } {
  const hostname = input.trim().toLowerCase().replace(/\.$/, '');
  if (!hostname || hostname.length > 253) return { ok: false, error: 'Host name is empty or too long' };
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const parsed = parseDomain(bare);
  if (parsed.isIp) return { ok: true, value: { hostname, domain: bare, isIp: true } };
  const labels = hostname.split('.');
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l))) {
    return { ok: false, error: 'Host name is not valid' };
  }
  if (/^\d+$/.test(labels.at(-1) ?? '')) return { ok: false, error: 'Host name is not valid' };
  return { ok: true, value: { hostname, domain: parsed.domain ?? hostname, isIp: false } };
}

/** Normalises a hostname typed by a user or scanner (may be Unicode) to its ASCII form, or null. */
export function toAsciiHostname(input: string): string | null {
  const trimmed = input.trim().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253 || /[\s/?#@:]/.test(trimmed)) return null;
  try {
    return new URL(`http://${trimmed}`).hostname;
  } catch {
    return null;
  }
}

/** A site's host name ("https://Example.com:8443/x" -> "example.com"), also for URLs WHATWG rejects. */
export function siteHost(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '').toLowerCase();
}
