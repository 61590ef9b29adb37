// httpx JSON lines (-json): one web answer per line {url, host, port, scheme, status_code, title,
// webserver, tech, a: [ips]}. Each answer is a web service on a port of the host's address (the
// first of `a`, else the host when it is an address); the site at that URL gets its liveness and
// title from it. Several paths on one port are one port seen several times.
import { isIP } from 'node:net';
import { isObject, portOf, rejected, str, strList, type ParserContext } from './context.js';
import { jsonLineRecords, requireResults } from './json-records.js';
import { sniff } from './source.js';
import { ParseError, ScanFormat, type ByteSource, type ParseEvent } from './types.js';

export async function* parseHttpx(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const { first, source: bytes } = await sniff(source);
  if (first === undefined) return;
  if (first !== '{') throw new ParseError(ScanFormat.HTTPX, 'expected JSON lines (httpx -json)');
  yield* requireResults(jsonLineRecords(bytes, ctx, (index, value) => [toEvent(index, value, ctx)]), ScanFormat.HTTPX, 'service', 'line of the file is an httpx result');
}

function toEvent(index: number, value: unknown, ctx: ParserContext): ParseEvent {
  const { clip } = ctx;
  if (!isObject(value) || typeof value.status_code !== 'number' || typeof value.url !== 'string') {
    return rejected(index, 'line is not an httpx result {url, status_code, ...}');
  }
  if (value.failed === true) return rejected(index, `httpx could not reach ${value.url}`);
  let url: URL;
  try {
    url = new URL(value.url);
  } catch {
    return rejected(index, `url ${value.url.slice(0, 200)} is not a URL`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = [...strList(value.a), hostname].find((a) => isIP(a));
  const port = portOf(str(value.port) ?? url.port) ?? (url.protocol === 'https:' ? 443 : 80);
  if (!ip) return rejected(index, `no IP address for ${hostname}`);
  const webserver = clip.text('short', str(value.webserver), false, 'product');
  return {
    type: 'service',
    record: {
      scanner: 'httpx', host: ip, ip: ip.toLowerCase(), hostname: isIP(hostname) ? undefined : hostname, port, protocol: 'tcp', state: 'open',
      service: url.protocol === 'https:' ? 'https' : 'http',
      product: webserver,
      web: {
        url: clip.text('url', value.url) as string,
        statusCode: value.status_code,
        title: clip.text('short', str(value.title), false, 'title'),
        webserver,
        tech: clip.list('short', strList(value.tech), 'tech'),
      },
    },
  };
}
