import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isAllowedAddress } from './address-policy.js';
import { decodeBody, detectCharset, isHtml, parsePage } from './page-parser.js';

export const PROBE_ERRORS = [
  'DNS_FAILURE', 'CONNECTION_REFUSED', 'CONNECTION_RESET', 'TIMEOUT', 'TLS_ERROR',
  'TOO_MANY_REDIRECTS', 'HTTP_4XX', 'HTTP_5XX', 'BLOCKED_ADDRESS', 'NETWORK_ERROR',
] as const;
export type ProbeErrorKind = (typeof PROBE_ERRORS)[number];

export interface ProbeOptions {
  userAgent: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** PROBE_ALLOW_PRIVATE: also connect to private, loopback and link-local addresses. */
  allowPrivate: boolean;
  /** Name resolution (default: the system resolver, as a browser would use). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

const systemResolve = (hostname: string) => dnsLookup(hostname, { all: true });

export interface ProbeOutcome {
  /** The server answered: any HTTP response (4xx/5xx too), a redirect loop or a failing certificate. */
  alive: boolean;
  httpStatus: number | null;
  title: string | null;
  server: string | null;
  ip: string | null;
  responseTimeMs: number | null;
  error: ProbeErrorKind | null;
  /** The address of the last response (after redirects). */
  finalUrl: string;
  linkHosts: string[];
}

export class ProbeFailure extends Error {
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Kinds of failure where the server still answered something. */
const ANSWERED: ReadonlySet<ProbeErrorKind> = new Set(['TLS_ERROR', 'TOO_MANY_REDIRECTS']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ip: string | null;
  location?: string;
}

/** Fetches a site's home page as a browser would and describes what happened; never throws for network failures. */
export async function probeUrl(url: string, opts: ProbeOptions): Promise<ProbeOutcome> {
  const started = Date.now();
  const deadline = started + opts.totalTimeoutMs;
  let current = new URL(url);
  let last: Hop | null = null;
  let ip: string | null = null;
  const base = (): ProbeOutcome => ({
    alive: false, httpStatus: last?.status ?? null, title: null, server: headerOf(last?.headers.server), ip,
    responseTimeMs: null, error: null, finalUrl: current.href, linkHosts: [],
  });
  try {
    for (let redirects = 0; ; redirects++) {
      last = await fetchOnce(current, opts, deadline, (address) => (ip = address));
      if (!last.location) break;
      if (redirects >= opts.maxRedirects) throw new ProbeFailure('TOO_MANY_REDIRECTS', `More than ${opts.maxRedirects} redirects`);
      const next = new URL(last.location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ProbeFailure('NETWORK_ERROR', 'Redirect to a non-HTTP URL');
      current = next;
    }
  } catch (e) {
    const failure = e instanceof ProbeFailure ? e : classify(e);
    return { ...base(), alive: ANSWERED.has(failure.kind) || last !== null, error: failure.kind, responseTimeMs: Date.now() - started };
  }
  const hop = last;
  const contentType = headerOf(hop.headers['content-type']) ?? undefined;
  const page = isHtml(contentType, hop.body)
    ? parsePage(decodeBody(hop.body, detectCharset(contentType, hop.body)), current.href)
    : { title: null, linkHosts: [] };
  const error: ProbeErrorKind | null = hop.status >= 500 ? 'HTTP_5XX' : hop.status >= 400 ? 'HTTP_4XX' : null;
  return { ...base(), alive: true, error, title: page.title, linkHosts: page.linkHosts, responseTimeMs: Date.now() - started };
}

function headerOf(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v.slice(0, 200) : null;
}

/** A DNS lookup that hands the connector only addresses the policy allows (checked again on connect). */
function guardedLookup(opts: ProbeOptions): LookupFunction {
  return (hostname, options, callback) => {
    (opts.resolve ?? systemResolve)(hostname).then(
      (addresses) => {
        const allowed = addresses.filter((a) => isAllowedAddress(a.address, opts.allowPrivate));
        if (!allowed.length) return callback(new ProbeFailure('BLOCKED_ADDRESS', `${hostname} resolves to an internal address`), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
        callback(null, allowed[0].address, allowed[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function fetchOnce(url: URL, opts: ProbeOptions, deadline: number, onConnect: (ip: string) => void): Promise<Hop> {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isAllowedAddress(literal, opts.allowPrivate)) {
    return Promise.reject(new ProbeFailure('BLOCKED_ADDRESS', `${literal} is an internal address`));
  }
  return new Promise<Hop>((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (err: Error | null, hop?: Hop) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(hop!);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(opts),
      headers: {
        'user-agent': opts.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    const remaining = Math.max(1, deadline - Date.now());
    timers.push(setTimeout(() => finish(new ProbeFailure('TIMEOUT', 'No complete answer in time')), remaining));
    timers.push(
      setTimeout(() => finish(new ProbeFailure('TIMEOUT', 'Connection not established in time')), Math.min(opts.connectTimeoutMs, remaining)),
    );
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        clearTimeout(timers[1]);
        const address = socket.remoteAddress ?? '';
        if (!isAllowedAddress(address, opts.allowPrivate)) {
          finish(new ProbeFailure('BLOCKED_ADDRESS', 'Connected to an internal address'));
          return;
        }
        onConnect(address);
      });
    });
    req.on('error', (e) => finish(e));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      const contentType = res.headers['content-type'];
      // A redirect's body and a non-HTML body are not needed: stop reading instead of draining them.
      if ((REDIRECTS.has(status) && location) || (contentType && !isHtml(contentType, Buffer.alloc(0)))) {
        res.destroy();
        finish(null, { status, headers: res.headers, body: Buffer.alloc(0), ip: null, location: REDIRECTS.has(status) ? location : undefined });
        return;
      }
      readCapped(res, opts.maxBodyBytes).then(
        (body) => finish(null, { status, headers: res.headers, body, ip: null }),
        (e: Error) => finish(e),
      );
    });
    req.end();
  });
}

/** The (decompressed) body up to `max` bytes; the rest is not read. */
function readCapped(res: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase().trim();
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip()
      : encoding === 'deflate' ? zlib.createInflate()
      : encoding === 'br' ? zlib.createBrotliDecompress()
      : null;
    const stream: Readable = decoder ?? res;
    if (decoder) pipeline(res, decoder, () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).subarray(0, max));
    };
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        end();
        res.destroy();
        decoder?.destroy();
      }
    });
    stream.on('end', end);
    // A body cut short (or badly compressed) still gives what arrived; only a total loss is an error.
    stream.on('error', (e) => (size > 0 ? end() : done ? undefined : ((done = true), reject(e))));
    res.on('aborted', end);
  });
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Maps a Node network error to a probe failure kind. */
export function classify(e: unknown): ProbeFailure {
  const code = String((e as NodeJS.ErrnoException)?.code ?? '');
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ProbeFailure) return e;
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA', 'EAI_NONAME', 'ESERVFAIL'].includes(code)) return new ProbeFailure('DNS_FAILURE', message);
  if (code === 'ECONNREFUSED') return new ProbeFailure('CONNECTION_REFUSED', message);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') return new ProbeFailure('CONNECTION_RESET', message);
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new ProbeFailure('TIMEOUT', message);
  if (TLS_CODES.test(code) || /certificate|SSL|TLS/i.test(message)) return new ProbeFailure('TLS_ERROR', message);
  return new ProbeFailure('NETWORK_ERROR', message);
}
