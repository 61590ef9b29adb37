import { load } from 'cheerio/slim';
import iconv from 'iconv-lite';
import { toAsciiHostname } from '../site-url.js';
import { getDomain } from 'tldts';

/** How far into the body a `<meta charset>` is looked for (the HTML spec says 1024 bytes; pages are sloppier). */
const META_SNIFF_BYTES = 4096;
const MAX_TITLE_LENGTH = 500;
const MAX_LINK_HOSTS = 500;

/**
 * A byte-order mark first (it wins over the header, as in the HTML spec and cheerio's
 * encoding-sniffer), then the Content-Type charset, then the page's own `<meta>`; `utf-8` otherwise.
 */
export function detectCharset(contentType: string | undefined, body: Buffer): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (fromHeader && iconv.encodingExists(fromHeader)) return canonical(fromHeader);
  const head = body.subarray(0, META_SNIFF_BYTES).toString('latin1');
  const fromMeta =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  if (fromMeta && iconv.encodingExists(fromMeta)) return canonical(fromMeta);
  return 'utf-8';
}

/** GB2312 and GBK pages routinely use characters only GB18030 (their superset) defines. */
function canonical(charset: string): string {
  const c = charset.toLowerCase();
  return c === 'gb2312' || c === 'gbk' || c === 'x-gbk' ? 'gb18030' : c;
}

export function decodeBody(body: Buffer, charset: string): string {
  return iconv.decode(body, charset);
}

export function isHtml(contentType: string | undefined, body: Buffer): boolean {
  if (contentType) return /\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
  return /^\s*(<!doctype html|<html|<head|<title)/i.test(body.subarray(0, 512).toString('latin1'));
}

export interface ParsedPage {
  title: string | null;
  /** Lower-case ASCII host names of every absolute or relative link on the page. */
  linkHosts: string[];
}

/** The page title (whitespace collapsed) and the hosts its links, scripts, frames and forms point to. */
export function parsePage(html: string, pageUrl: string): ParsedPage {
  const $ = load(html);
  const rawTitle = $('title').first().text().replace(/\s+/g, ' ').trim();
  const title = rawTitle ? rawTitle.slice(0, MAX_TITLE_LENGTH) : null;
  const hosts = new Set<string>();
  $('a[href], area[href], link[href], iframe[src], frame[src], script[src], img[src], form[action]').each((_, el) => {
    if (hosts.size >= MAX_LINK_HOSTS) return false;
    const ref = $(el).attr('href') ?? $(el).attr('src') ?? $(el).attr('action');
    const host = hostOf(ref, pageUrl);
    if (host) hosts.add(host);
    return undefined;
  });
  return { title, linkHosts: [...hosts] };
}

function hostOf(ref: string | undefined, base: string): string | null {
  if (!ref || ref.length > 2048) return null;
  try {
    const u = new URL(ref.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return toAsciiHostname(u.hostname);
  } catch {
    return null;
  }
}

/** Hosts under `domain` (the site's registrable domain) other than the site's own host. */
export function relatedHosts(hosts: Iterable<string>, domain: string, ownHost: string): string[] {
  const out = new Set<string>();
  for (const host of hosts) {
    if (host !== ownHost && host !== domain && getDomain(host) === domain) out.add(host);
  }
  return [...out];
}
