// PostgreSQL's binary COPY format for flows.record rows and the rollup's staging rows: the
// server stores the values as sent, with no text parsing of timestamps and addresses (the
// costliest part of a text COPY), and the API builds each row in a reused buffer instead of a
// string per record (no garbage per record for V8 to collect).
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
import ipaddr from 'ipaddr.js';
import type { FlowRow } from './flow-record.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC), in milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;
/** Largest row: field count, three int4, two int8 times, two IPv6 inet, two int4 ports, int2, two int8, 'ALLOW' (153 bytes). */
const MAX_ROW = 160;
/** Largest staging row: field count, int8 hour, two int4, int2, 'ALLOW', IPv6 inet, two int8 (91 bytes). */
const MAX_STAGE_ROW = 96;

export const RECORD_COLUMNS =
  'organization_id, site_id, asset_id, time_start, time_end, src_addr, src_port, dst_addr, dst_port, protocol, bytes, packets, action';

/** Rows encoded for `COPY ... FROM STDIN (FORMAT binary)` in a reused buffer. */
class BinaryRows {
  protected readonly buf: Buffer;
  protected pos = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxRow: number,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes waiting. */
  get length(): number {
    return this.pos;
  }

  /** Starts a COPY stream: the signature, no flags, no header extension. */
  header(): void {
    SIGNATURE.copy(this.buf, this.pos);
    this.pos += SIGNATURE.length;
    this.pos = this.buf.writeInt32BE(0, this.pos);
    this.pos = this.buf.writeInt32BE(0, this.pos);
  }

  /** Ends a COPY stream. */
  trailer(): void {
    this.pos = this.buf.writeInt16BE(-1, this.pos);
  }

  /** Whether another row may not fit: take() first. */
  get full(): boolean {
    return this.pos + this.maxRow > this.capacity;
  }

  /** The bytes so far (a copy), the buffer then reused. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

/** Rows of flows.record (columns RECORD_COLUMNS). */
export class RecordEncoder extends BinaryRows {
  constructor(capacity = 256 * 1024) {
    super(capacity, MAX_ROW);
  }

  /** One checked record (whole-millisecond times, canonical addresses, safe-integer counters). */
  add(organizationId: number, siteId: number | undefined, assetId: number | undefined, r: FlowRow): void {
    const b = this.buf;
    let p = b.writeInt16BE(13, this.pos);
    p = int4(b, p, organizationId);
    p = siteId === undefined ? b.writeInt32BE(-1, p) : int4(b, p, siteId);
    p = assetId === undefined ? b.writeInt32BE(-1, p) : int4(b, p, assetId);
    p = int8(b, p, (r.start - PG_EPOCH_MS) * 1000);
    p = int8(b, p, (r.end - PG_EPOCH_MS) * 1000);
    p = inet(b, p, r.srcAddr);
    p = int4(b, p, r.srcPort);
    p = inet(b, p, r.dstAddr);
    p = int4(b, p, r.dstPort);
    p = b.writeInt32BE(2, p);
    p = b.writeInt16BE(r.protocol, p);
    p = int8(b, p, r.bytes);
    p = int8(b, p, r.packets);
    p = b.writeInt32BE(r.action.length, p);
    p += b.write(r.action, p, 'latin1');
    this.pos = p;
  }
}

/** Staging rows of the hourly rollup (flow_stage: hour, site_id, dst_port, protocol, action, src_addr, bytes, packets). */
export class StageEncoder extends BinaryRows {
  constructor(capacity = 256 * 1024) {
    super(capacity, MAX_STAGE_ROW);
  }

  /** The staging row of a checked record starting in the hour that begins at `hour` (epoch ms). */
  add(hour: number, siteId: number | undefined, r: FlowRow): void {
    const b = this.buf;
    let p = b.writeInt16BE(8, this.pos);
    p = int8(b, p, (hour - PG_EPOCH_MS) * 1000);
    p = siteId === undefined ? b.writeInt32BE(-1, p) : int4(b, p, siteId);
    p = int4(b, p, r.dstPort);
    p = b.writeInt32BE(2, p);
    p = b.writeInt16BE(r.protocol, p);
    p = b.writeInt32BE(r.action.length, p);
    p += b.write(r.action, p, 'latin1');
    p = inet(b, p, r.srcAddr);
    p = int8(b, p, r.bytes);
    p = int8(b, p, r.packets);
    this.pos = p;
  }
}

function int4(b: Buffer, p: number, v: number): number {
  p = b.writeInt32BE(4, p);
  return b.writeInt32BE(v, p);
}

/** A whole number within ±2^53 as a big-endian int8. */
function int8(b: Buffer, p: number, v: number): number {
  p = b.writeInt32BE(8, p);
  const high = Math.floor(v / TWO_32);
  p = b.writeInt32BE(high, p);
  return b.writeUInt32BE(v - high * TWO_32, p);
}

/** An inet value (a host address: full mask, not a cidr) from its canonical text. */
function inet(b: Buffer, p: number, address: string): number {
  if (!address.includes(':')) {
    p = b.writeInt32BE(8, p);
    b[p++] = 2; // PGSQL_AF_INET
    b[p++] = 32;
    b[p++] = 0;
    b[p++] = 4;
    let octet = 0;
    for (let i = 0; i < address.length; i++) {
      const c = address.charCodeAt(i);
      if (c === 46) {
        b[p++] = octet;
        octet = 0;
      } else octet = octet * 10 + c - 48;
    }
    b[p++] = octet;
    return p;
  }
  p = b.writeInt32BE(20, p);
  b[p++] = 3; // PGSQL_AF_INET6
  b[p++] = 128;
  b[p++] = 0;
  b[p++] = 16;
  for (const byte of ipaddr.IPv6.parse(address).toByteArray()) b[p++] = byte;
  return p;
}
