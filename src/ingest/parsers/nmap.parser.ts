// Nmap XML (-oX): one coverage event per <scaninfo> (the ports probed on every host), one host
// event per <host> (up or down), then one service per listed <port> of each host that is up, plus
// one finding per entry of the `vulners` NSE script (CVEs, exploits) on that port. A host's <os>
// comes after its <ports>, so the ports of one host are buffered until </host> (at most 2 x 65535
// small nodes).
import { cvssLevel } from '../findings/levels.js';
import { cveIds, portOf, rejected, type ParserContext } from './context.js';
import { child, childrenNamed, descendants, readXml, type XmlNode } from './xml-stream.js';
import { ScanFormat, type ByteSource, type ParseEvent, type ParsedFinding, type ParsedHost, type ParsedService } from './types.js';

const HOST_PARTS = new Set(['status', 'address', 'hostnames', 'os']);

interface HostState {
  parts: XmlNode[];
  ports: XmlNode[];
}

export async function* parseNmap(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const capture = (name: string, path: readonly string[]) => {
    const parent = path[path.length - 1];
    return (parent === 'host' && HOST_PARTS.has(name)) || (parent === 'ports' && name === 'port');
  };
  let host: HostState | undefined;
  let index = 0;
  for await (const event of readXml(source, { format: ScanFormat.NMAP, rootNames: ['nmaprun'], capture, limits: ctx.reader })) {
    if (event.type === 'open' && event.name === 'host') host = { parts: [], ports: [] };
    else if (event.type === 'open' && event.name === 'scaninfo') {
      const coverage = coverageOf(event.attrs);
      if (coverage) yield coverage;
    }    else if (event.type === 'node' && host) {
      if (event.oversize) yield rejected(++index, `<${event.node.name}> is larger than ${ctx.reader.maxRecordChars} characters`);
      else (event.node.name === 'port' ? host.ports : host.parts).push(event.node);
    } else if (event.type === 'close' && event.name === 'host' && host) {
      yield* hostEvents(host, ctx, () => ++index);
      host = undefined;
    }
  }
}

interface HostInfo {
  address: string;
  ip?: string;
  hostname?: string;
  hostnames: string[];
  os?: string;
  osMatch?: ParsedHost['os'];
}

function* hostEvents(state: HostState, ctx: ParserContext, next: () => number): Generator<ParseEvent> {
  const part = (name: string) => state.parts.find((p) => p.name === name);
  const info = hostInfo(state.parts, part('hostnames'), part('os'), ctx);
  const up = part('status')?.attrs.state !== 'down';
  if (info) yield { type: 'host', record: { scanner: 'nmap', ip: info.ip, hostnames: info.hostnames, up, os: info.osMatch } };
  if (!up) return; // -Pn scans may still list down hosts: their ports say nothing
  if (!info) {
    if (state.ports.length > 0) yield rejected(next(), 'host has no address');
    return;
  }
  for (const port of state.ports) {
    const service = toService(port, info, ctx);
    if (!service) {
      yield rejected(next(), `port of ${info.address} has no valid portid/protocol`);
      continue;
    }
    next();
    yield { type: 'service', record: service };
    for (const finding of vulnersFindings(port, service, ctx)) {
      next();
      yield { type: 'finding', record: finding };
    }
  }
}

function hostInfo(parts: XmlNode[], hostnames: XmlNode | undefined, os: XmlNode | undefined, ctx: ParserContext): HostInfo | undefined {
  const { clip } = ctx;
  const addresses = parts.filter((p) => p.name === 'address');
  const ip = addresses.find((a) => a.attrs.addrtype === 'ipv4' || a.attrs.addrtype === 'ipv6')?.attrs.addr;
  const names = hostnames ? childrenNamed(hostnames, 'hostname') : [];
  // "user" is the name given on the command line, "PTR" the reverse lookup
  const hostname = (names.find((n) => n.attrs.type === 'user') ?? names[0])?.attrs.name;
  const address = clip.text('short', (ip ?? hostname)?.toLowerCase(), false, 'host');
  if (!address) return undefined;
  const best = os ? bestOsMatch(os) : undefined;
  const osName = clip.text('short', best?.attrs.name, false, 'os');
  const family = best ? clip.text('short', childrenNamed(best, 'osclass')[0]?.attrs.osfamily, false, 'os') : undefined;
  const accuracy = Number.parseInt(best?.attrs.accuracy ?? '', 10);
  const ordered = hostname ? [hostname, ...names.map((n) => n.attrs.name)] : names.map((n) => n.attrs.name);
  const all = [...new Set(ordered.filter(Boolean).map((n) => clip.text('short', n.toLowerCase(), false, 'host')!))];
  return {
    address,
    ip: clip.text('short', ip?.toLowerCase(), false, 'host'),
    hostname: clip.text('short', hostname?.toLowerCase(), false, 'host'),
    hostnames: all,
    os: osName,
    osMatch: osName ? { name: osName, family, accuracy: Number.isFinite(accuracy) ? accuracy : undefined } : undefined,
  };
}

function bestOsMatch(os: XmlNode): XmlNode | undefined {
  const matches = childrenNamed(os, 'osmatch');
  matches.sort((a, b) => Number(b.attrs.accuracy ?? 0) - Number(a.attrs.accuracy ?? 0));
  return matches[0];
}

/** <scaninfo protocol="tcp" services="1,3-4,..."/>: the probed ports as ranges. */
function coverageOf(attrs: Record<string, string>): ParseEvent | undefined {
  const protocol = attrs.protocol?.toLowerCase();
  if (!protocol || !attrs.services) return undefined;
  const ranges: [number, number][] = [];
  for (const part of attrs.services.split(',')) {
    const [lo, hi = lo] = part.split('-').map((p) => portOf(p.trim()));
    if (lo !== undefined && hi !== undefined && lo <= hi) ranges.push([lo, hi]);
  }
  return ranges.length ? { type: 'coverage', record: { scanner: 'nmap', protocol, ranges } } : undefined;
}

function toService(port: XmlNode, host: HostInfo, ctx: ParserContext): ParsedService | undefined {
  const { clip } = ctx;
  const number = portOf(port.attrs.portid);
  const protocol = clip.text('short', port.attrs.protocol?.toLowerCase(), false, 'protocol');
  if (number === undefined || !protocol) return undefined;
  const serviceNode = child(port, 'service');
  const service = serviceNode?.attrs ?? {};
  const cpes = serviceNode ? childrenNamed(serviceNode, 'cpe').map((c) => clip.text('short', c.text.trim(), false, 'cpe')).filter((c): c is string => !!c) : [];
  return {
    scanner: 'nmap',
    host: host.address,
    ip: host.ip,
    hostname: host.hostname,
    os: host.os ?? clip.text('short', service.ostype, false, 'os'),
    port: number,
    protocol,
    state: clip.text('short', child(port, 'state')?.attrs.state, false, 'state') ?? 'unknown',
    service: clip.text('short', service.name, false, 'service'),
    product: clip.text('short', service.product, false, 'product'),
    version: clip.text('short', service.version, false, 'version'),
    extraInfo: clip.text('short', service.extrainfo, false, 'extraInfo'),
    cpes,
  };
}

/** vulners output: <table key="cpe:..."><table><elem key="id">CVE-..</elem><elem key="cvss">..</elem>... */
function* vulnersFindings(port: XmlNode, service: ParsedService, ctx: ParserContext): Generator<ParsedFinding> {
  const { clip } = ctx;
  const script = childrenNamed(port, 'script').find((s) => s.attrs.id === 'vulners');
  if (!script) return;
  for (const cpeTable of childrenNamed(script, 'table')) {
    for (const entry of childrenNamed(cpeTable, 'table')) {
      const elem = (key: string) => descendants(entry, 'elem').find((e) => e.attrs.key === key)?.text.trim();
      const id = clip.text('short', elem('id'));
      if (!id) continue;
      const type = elem('type') ?? 'cve';
      const cvss = Number.parseFloat(elem('cvss') ?? '');
      yield {
        scanner: 'nmap',
        checkId: id,
        name: type === 'cve' ? id : `${id} (${type})`,
        level: cvssLevel(cvss),
        kind: clip.text('short', type),
        references: [`https://vulners.com/${encodeURIComponent(type)}/${encodeURIComponent(id)}`],
        cve: cveIds([id]),
        cwe: [],
        host: service.host,
        port: service.port,
        // the component (CPE) is where the flaw is: one port may run several
        parameter: clip.text('parameter', cpeTable.attrs.key),
        evidence: clip.text('evidence', [service.product, service.version].filter(Boolean).join(' ')),
        extras: { cvss: Number.isFinite(cvss) ? cvss : 0, isExploit: elem('is_exploit') === 'true', protocol: service.protocol },
      };
    }
  }
}
