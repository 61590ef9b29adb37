// Nuclei results: JSON lines (`-jsonl`, also nuclei v2 `-json`) or one JSON array (v3 `-je`).
// The first meaningful character decides: "[" = array (streamed with stream-json), "{" = lines.
import { parseWebUrl } from '../findings/normalise-url.js';
import { nucleiLevel } from '../findings/levels.js';
import { cveIds, cweIds, isObject, portOf, rejected, str, strList, type ParserContext } from './context.js';
import { jsonArrayRecords, jsonLineRecords, requireResults } from './json-records.js';
import { sniff } from './source.js';
import { ParseError, ScanFormat, type ByteSource, type ParseEvent, type ParsedFinding } from './types.js';

export async function* parseNuclei(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const { first, source: bytes } = await sniff(source);
  if (first === undefined) return; // nuclei writes an empty file when it finds nothing
  if (first !== '[' && first !== '{') {
    throw new ParseError(ScanFormat.NUCLEI, `expected a JSON array or JSON lines, the file starts with ${describeChar(first)}`);
  }
  // records but not one nuclei result: another tool's JSON, not a nuclei file with a few bad lines
  const map = (index: number, value: unknown, cut?: boolean) => [toEvent(index, value, ctx, cut)];
  const records = first === '[' ? jsonArrayRecords(bytes, ScanFormat.NUCLEI, ctx, map, 'result') : jsonLineRecords(bytes, ctx, map);
  yield* requireResults(records, ScanFormat.NUCLEI, 'finding', 'record of the file is a Nuclei result');
}

function toEvent(index: number, value: unknown, ctx: ParserContext, cut = false): ParseEvent {
  if (!isObject(value)) return rejected(index, 'result is not a JSON object');
  const checkId = str(value['template-id'] ?? value.templateID ?? value.template_id);
  if (!checkId?.trim()) return rejected(index, 'result has no template-id');
  if (cut) ctx.clip.count('json-string');
  return { type: 'finding', record: toFinding(checkId, value, ctx) };
}

function toFinding(checkId: string, raw: Record<string, unknown>, ctx: ParserContext): ParsedFinding {
  const { clip } = ctx;
  const info = isObject(raw.info) ? raw.info : {};
  const classification = isObject(info.classification) ? info.classification : {};
  const where = locate(raw);
  return {
    scanner: 'nuclei',
    checkId: clip.text('short', checkId) as string,
    name: clip.text('name', str(info.name)) ?? (clip.text('short', checkId) as string),
    level: nucleiLevel(info.severity),
    kind: clip.text('short', str(raw.type)),
    description: clip.text('description', str(info.description)),
    solution: clip.text('solution', str(info.remediation)),
    references: clip.list('reference', referenceList(info.reference)),
    cve: clip.list('short', cveIds(strList(classification['cve-id'])), 'cve'),
    cwe: clip.list('short', cweIds(strList(classification['cwe-id'])), 'cwe'),
    host: clip.text('short', where.host?.toLowerCase(), false, 'host'),
    port: where.port,
    url: clip.text('url', where.url),
    // several matchers of one template are different findings (missing header X vs Y)
    parameter: clip.text('parameter', str(raw['matcher-name'] ?? raw.matcher_name)),
    evidence: clip.text('evidence', strList(raw['extracted-results'] ?? raw.extracted_results).join('\n') || str(raw['matched-line'])),
    extras: extras(raw, classification, clip.limits.extra),
  };
}

interface Location {
  url?: string;
  host?: string;
  port?: number;
}

/** matched-at (v3) / matched (v2) is where it was found: a URL, or "host:port" for network checks. */
function locate(raw: Record<string, unknown>): Location {
  const matched = str(raw['matched-at'] ?? raw.matched);
  const candidates = matched ? [matched] : [str(raw.url), str(raw.host)];
  for (const candidate of candidates) {
    const fixed = candidate?.replace(/^\/(?=[a-z][a-z0-9+.-]*:\/\/)/i, ''); // v3 javascript templates: url "/http://..."
    const url = parseWebUrl(fixed);
    if (url) return { url: fixed?.trim(), host: url.hostname, port: portOf(url.port) ?? defaultPort(url.protocol) };
  }
  if (matched) return hostPort(matched);
  const host = str(raw.host);
  const hostUrl = parseWebUrl(host);
  if (hostUrl) return { host: hostUrl.hostname };
  return host ? hostPort(host) : { host: str(raw.ip) };
}

function hostPort(value: string): Location {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text); // [IPv6]:port
  if (bracketed) return { host: bracketed[1], port: portOf(bracketed[2]) };
  const parts = text.split(':');
  if (parts.length === 2) return { host: parts[0], port: portOf(parts[1]) };
  return { host: text }; // a hostname, or a bare IPv6 address
}

const defaultPort = (protocol: string) => (protocol === 'https:' || protocol === 'wss:' ? 443 : 80);

/** info.reference is a list, a single URL, or (v2) one string of "- url" lines. */
function referenceList(value: unknown): string[] {
  return strList(value).flatMap((item) =>
    item
      .split(/\r?\n/)
      .map((line) => line.replace(/^\s*-\s*/, '').trim())
      .filter(Boolean),
  );
}

function extras(raw: Record<string, unknown>, classification: Record<string, unknown>, max: number) {
  const out: Record<string, string | number | boolean> = {};
  const put = (key: string, value: unknown) => {
    const text = str(value);
    if (text !== undefined && text !== '') out[key] = typeof value === 'string' ? text.slice(0, max) : (value as number | boolean);
  };
  put('ip', raw.ip);
  put('timestamp', raw.timestamp);
  put('cvssScore', classification['cvss-score']);
  put('cvssMetrics', classification['cvss-metrics']);
  return out;
}

function describeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code >= 0x20 && code < 0x7f ? `"${char}"` : `byte 0x${code.toString(16).padStart(2, '0')}`;
}
