// The normalised shapes every scanner parser produces. Pure data: no database ids here; the
// ingestion service maps checkId/name to a library entry and the site to a siteId.
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';

/** Raw file formats accepted by POST /ingest/files. */
export enum ScanFormat {
  NUCLEI = 'NUCLEI',
  ZAP = 'ZAP',
  OPENVAS = 'OPENVAS',
  NMAP = 'NMAP',
  KUBE_BENCH = 'KUBE_BENCH',
  XCCDF = 'XCCDF',
  MASSCAN = 'MASSCAN',
  NAABU = 'NAABU',
  HTTPX = 'HTTPX',
}

export const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export type Level = (typeof LEVELS)[number];

export type ScannerName = 'nuclei' | 'zap' | 'openvas' | 'nmap' | 'kube-bench' | 'xccdf';

/** Scanners that report hosts and ports. */
export type PortScannerName = 'nmap' | 'masscan' | 'naabu' | 'httpx';

/** One vulnerability seen by a scanner on one location (the unit xsc fingerprints). */
export interface ParsedFinding {
  scanner: ScannerName;
  /** The scanner's own id of the check: nuclei template-id, ZAP pluginid, OpenVAS NVT OID, vulners id. */
  checkId: string;
  name: string;
  level: Level;
  kind?: string;
  description?: string;
  solution?: string;
  references: string[];
  cve: string[];
  /** CWE numbers as strings without the "CWE-" prefix ("79"). */
  cwe: string[];
  /** Hostname or IP address (lower-case), when the scanner names one. */
  host?: string;
  port?: number;
  /** Absolute URL as the scanner reported it (normalise with normaliseUrl for fingerprints). */
  url?: string;
  parameter?: string;
  evidence?: string;
  /** A few scanner-specific fields (method, confidence, cvss...), bounded in size. */
  extras: Record<string, string | number | boolean>;
}

/** One port/service of one host (Nmap, masscan, naabu, httpx). */
export interface ParsedService {
  scanner: PortScannerName;
  /** The address used to reach the host (IPv4/IPv6, else hostname). */
  host: string;
  ip?: string;
  hostname?: string;
  os?: string;
  port: number;
  protocol: string;
  state: string;
  service?: string;
  product?: string;
  version?: string;
  extraInfo?: string;
  cpes?: string[];
  /** httpx: what the web server answered on this port. */
  web?: ParsedWebPage;
}

/** An HTTP answer (httpx): refreshes the liveness and title of the site at that URL. */
export interface ParsedWebPage {
  url: string;
  statusCode: number;
  title?: string;
  webserver?: string;
  tech: string[];
}

/** One host of a port scan, up or down, before its services (Nmap). */
export interface ParsedHost {
  scanner: 'nmap';
  /** IPv4/IPv6 address (lower-case), when the scan gives one. */
  ip?: string;
  /** Every name the scan gives: the user-given one first, then reverse lookups. */
  hostnames: string[];
  up: boolean;
  os?: { name: string; family?: string; accuracy?: number };
}

/** Ports a scan probed on every host it lists (Nmap <scaninfo>): inclusive ranges. */
export interface ParsedCoverage {
  scanner: 'nmap';
  protocol: string;
  ranges: [number, number][];
}

export type BaselineStatus =
  | 'PASS'
  | 'FAIL'
  | 'WARN'
  | 'INFO'
  | 'ERROR'
  | 'UNKNOWN'
  | 'NOT_APPLICABLE'
  | 'NOT_CHECKED'
  | 'NOT_SELECTED';

/** One configuration check result (kube-bench, XCCDF). */
export interface ParsedBaselineItem {
  scanner: 'kube-bench' | 'xccdf';
  checkId: string;
  title: string;
  status: BaselineStatus;
  passed: boolean;
  level: Level;
  /** Section/group the check belongs to (kube-bench section, XCCDF benchmark id). */
  section?: string;
  /** Target host or node type, when the file names it. */
  target?: string;
  expected?: string;
  actual?: string;
  remediation?: string;
}

/** A record the parser could not turn into a valid item; the rest of the file is kept. */
export interface RejectedRecord {
  /** 1-based line for line formats (JSONL), else 1-based index of the record in the file. */
  index: number;
  reason: string;
}

export type ParseEvent =
  | { type: 'finding'; record: ParsedFinding }
  | { type: 'service'; record: ParsedService }
  | { type: 'host'; record: ParsedHost }
  | { type: 'coverage'; record: ParsedCoverage }
  | { type: 'baseline'; record: ParsedBaselineItem }
  | { type: 'rejected'; record: RejectedRecord };

/** What a parse produced, for the batch's status line. */
export interface ParseSummary {
  format: ScanFormat;
  findings: number;
  services: number;
  baselineItems: number;
  rejected: number;
  /** Number of values cut to their limit, by field name. */
  truncated: Record<string, number>;
}

/** The file is not a readable file of the declared format: the whole batch fails. */
export class ParseError extends DomainError {
  constructor(
    readonly format: ScanFormat,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const at = line === undefined ? '' : ` (line ${line}${column === undefined ? '' : `, column ${column}`})`;
    super(ErrorCode.BAD_USER_INPUT, `Cannot parse ${format} file: ${reason}${at}`, { format, reason, line, column });
    this.name = 'ParseError';
  }
}

/** Anything that yields the bytes of a file: a Node Readable, or any async iterable of chunks. */
export type ByteSource = AsyncIterable<Buffer | Uint8Array | string>;
