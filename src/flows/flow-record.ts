// One flow record, from xsc's own field names or GoFlow2's JSON output (v2, snake_case), checked
// and normalised. Pure: unit-tested in flow-record.spec.ts.
import ipaddr from 'ipaddr.js';
import { MAX_FUTURE_MS } from './flows.constants.js';

export type FlowAction = 'ALLOW' | 'DENY';

export interface FlowRow {
  /** Epoch milliseconds. */
  start: number;
  end: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  protocol: number;
  bytes: number;
  packets: number;
  action: FlowAction;
}

export type Checked = { row: FlowRow; reason?: undefined } | { row?: undefined; reason: string };

/** The accepted time window: records starting before `oldest` (retention) or ending after now + skew are refused. */
export interface TimeWindow {
  oldest: number;
  now: number;
}

const PROTOCOLS: Record<string, number> = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, GRE: 47, ESP: 50, AH: 51, ICMPV6: 58, SCTP: 132 };

const first = (raw: Record<string, unknown>, ...names: string[]): unknown => {
  for (const n of names) if (raw[n] !== undefined && raw[n] !== null) return raw[n];
  return undefined;
};

class Invalid extends Error {}
const invalid = (reason: string): never => {
  throw new Invalid(reason);
};

/** Checks one decoded JSON object (or syncFlow input) and returns the row or the reason it is refused. */
export function checkFlow(raw: unknown, window: TimeWindow): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { reason: 'a record must be a JSON object' };
  const r = raw as Record<string, unknown>;
  try {
    const start = time(r, 'start', 'time_flow_start_ns');
    const end = time(r, 'end', 'time_flow_end_ns');
    if (start > end) invalid('start is after end');
    if (end > window.now + MAX_FUTURE_MS) invalid('end is in the future');
    if (start < window.oldest) invalid(`start is older than the retention window (${new Date(window.oldest).toISOString()})`);
    return {
      row: {
        start,
        end,
        srcAddr: address(first(r, 'srcAddr', 'src_addr'), 'srcAddr'),
        srcPort: port(first(r, 'srcPort', 'src_port'), 'srcPort'),
        dstAddr: address(first(r, 'dstAddr', 'dst_addr'), 'dstAddr'),
        dstPort: port(first(r, 'dstPort', 'dst_port'), 'dstPort'),
        protocol: protocol(first(r, 'protocol', 'proto')),
        bytes: counter(r.bytes, 'bytes'),
        packets: counter(r.packets, 'packets'),
        action: action(r),
      },
    };
  } catch (e) {
    if (e instanceof Invalid) return { reason: e.message };
    throw e;
  }
}

/** xsc: `start`/`end` as ISO 8601 text or epoch milliseconds; GoFlow2: nanoseconds (number or text). */
function time(r: Record<string, unknown>, own: string, goflow: string): number {
  const v = r[own];
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  else if (v === undefined || v === null) {
    const ns = r[goflow];
    if (ns === undefined || ns === null) return invalid(`${own} is required`);
    ms = typeof ns === 'number' || (typeof ns === 'string' && /^\d+$/.test(ns)) ? Math.floor(Number(ns) / 1e6) : NaN;
  } else ms = NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) invalid(`${own} is not a valid time`);
  return Math.floor(ms); // whole milliseconds (a fractional epoch time is cut, like GoFlow2's nanoseconds)
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Dotted-decimal IPv4 without leading zeros: exactly the canonical form. */
const IPV4_CANONICAL = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** Canonical text of an IPv4 (four-part decimal only) or IPv6 address. */
export function canonicalAddress(v: string): string | null {
  if (IPV4_CANONICAL.test(v)) return v; // the usual case, already canonical: no parsing
  if (ipaddr.IPv4.isValidFourPartDecimal(v)) return ipaddr.IPv4.parse(v).toString();
  if (v.includes(':') && ipaddr.IPv6.isValid(v) && !v.includes('%')) return ipaddr.IPv6.parse(v).toString();
  return null;
}

function address(v: unknown, field: string): string {
  if (v === undefined) return invalid(`${field} is required`);
  const a = typeof v === 'string' ? canonicalAddress(v) : null;
  return a ?? invalid(`${field} is not an IPv4 or IPv6 address`);
}

function port(v: unknown, field: string): number {
  if (v === undefined) return invalid(`${field} is required`);
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) invalid(`${field} must be an integer 0-65535`);
  return v as number;
}

/** IANA protocol number 0-255, or a name (TCP, UDP, ICMP...) as GoFlow2 writes it. */
function protocol(v: unknown): number {
  if (v === undefined) return invalid('protocol is required');
  if (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255) return v as number;
  if (typeof v === 'string' && PROTOCOLS[v.toUpperCase()] !== undefined) return PROTOCOLS[v.toUpperCase()];
  return invalid('protocol must be 0-255 or one of ' + Object.keys(PROTOCOLS).join(', '));
}

function counter(v: unknown, field: string): number {
  if (v === undefined) return invalid(`${field} is required`);
  if (!Number.isSafeInteger(v) || (v as number) < 0) invalid(`${field} must be a non-negative integer`);
  return v as number;
}

/**
 * xsc: `action` ALLOW or DENY. GoFlow2: `forwarding_status` (IPFIX forwardingStatus: 128-191 =
 * dropped -> DENY). Neither: ALLOW (a collector reports traffic that passed).
 */
function action(r: Record<string, unknown>): FlowAction {
  const a = r.action;
  if (a !== undefined && a !== null) {
    if (a === 'ALLOW' || a === 'DENY') return a;
    if (typeof a === 'string' && (a.toUpperCase() === 'ALLOW' || a.toUpperCase() === 'DENY')) return a.toUpperCase() as FlowAction;
    return invalid('action must be ALLOW or DENY');
  }
  const status = r.forwarding_status;
  if (status === undefined || status === null) return 'ALLOW';
  if (!Number.isInteger(status) || (status as number) < 0 || (status as number) > 255) return invalid('forwarding_status must be 0-255');
  return (status as number) >= 128 && (status as number) < 192 ? 'DENY' : 'ALLOW';
}
