// OpenVAS / Greenbone GMP XML report: one finding per <result> of <results>. The NVT (by OID)
// is the library entry; the result's own <description> is detection output, i.e. evidence.
import { openvasLevel } from '../findings/levels.js';
import { cveIds, portOf, rejected, type ParserContext } from './context.js';
import { child, childText, childrenNamed, readXml, type XmlNode } from './xml-stream.js';
import { ScanFormat, type ByteSource, type ParseEvent, type ParsedFinding } from './types.js';

export async function* parseOpenvas(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  // <result> also appears nested in deltas/overrides; only direct children of <results> count
  const capture = (name: string, path: readonly string[]) => name === 'result' && path[path.length - 1] === 'results';
  // GMP wraps the report: <report><report>...; a bare <get_reports_response> export is accepted too
  const rootNames = ['report', 'get_reports_response'];
  for await (const event of readXml(source, { format: ScanFormat.OPENVAS, rootNames, capture, limits: ctx.reader })) {
    if (event.type !== 'node') continue;
    if (event.oversize) yield rejected(event.index, `result is larger than ${ctx.reader.maxRecordChars} characters`);
    else yield resultEvent(event.node, event.index, ctx);
  }
}

function resultEvent(result: XmlNode, index: number, ctx: ParserContext): ParseEvent {
  const nvt = child(result, 'nvt');
  const oid = nvt?.attrs.oid?.trim();
  if (!nvt || !oid) return rejected(index, 'result has no NVT oid');
  const host = childText(result, 'host')?.trim();
  if (!host) return rejected(index, 'result has no host');
  return { type: 'finding', record: toFinding(result, nvt, oid, host, ctx) };
}

function toFinding(result: XmlNode, nvt: XmlNode, oid: string, host: string, ctx: ParserContext): ParsedFinding {
  const { clip } = ctx;
  const tags = parseTags(childText(nvt, 'tags'));
  const refs = childrenNamed(child(nvt, 'refs') ?? nvt, 'ref');
  const refIds = (type: string) => refs.filter((r) => r.attrs.type?.toLowerCase() === type).map((r) => r.attrs.id ?? '');
  const port = childText(result, 'port')?.trim(); // "443/tcp", "general/tcp" or "0"
  const name = childText(result, 'name') ?? childText(nvt, 'name');
  const description = [tags.get('summary'), tags.get('insight')].filter(Boolean).join('\n\n');
  const hostname = childText(child(result, 'host') as XmlNode, 'hostname')?.trim();
  return {
    scanner: 'openvas',
    checkId: clip.text('short', oid) as string,
    name: clip.text('name', name) ?? oid,
    level: openvasLevel(childText(result, 'threat'), childText(result, 'severity')),
    kind: clip.text('short', childText(nvt, 'family')),
    description: clip.text('description', description, child(nvt, 'tags')?.cut),
    // GMP 8+ has <solution> in the NVT; older reports only the tag
    solution: clip.text('solution', childText(nvt, 'solution') ?? tags.get('solution')),
    references: clip.list('reference', [...refIds('url'), ...refIds('cert-bund'), ...refIds('dfn-cert')]),
    cve: clip.list('short', cveIds([...refIds('cve'), ...splitList(childText(nvt, 'cve'))]), 'cve'),
    cwe: [],
    host: clip.text('short', host.toLowerCase(), false, 'host'),
    port: portOf(port?.split('/')[0]),
    evidence: clip.text('evidence', childText(result, 'description'), child(result, 'description')?.cut),
    extras: extrasOf(result, nvt, port, hostname, clip.limits.extra),
  };
}

function extrasOf(result: XmlNode, nvt: XmlNode, port: string | undefined, hostname: string | undefined, max: number) {
  const out: Record<string, string | number> = {};
  const put = (key: string, value: string | undefined) => {
    const text = value?.trim();
    if (text) out[key] = text.slice(0, max);
  };
  put('port', port);
  put('hostname', hostname);
  put('threat', childText(result, 'threat'));
  const severity = Number.parseFloat(childText(result, 'severity') ?? '');
  if (Number.isFinite(severity)) out.severity = severity;
  put('cvssBase', childText(nvt, 'cvss_base'));
  put('qod', childText(child(result, 'qod') ?? result, 'value'));
  put('resultId', result.attrs.id);
  return out;
}

/** NVT tags: "summary=...|insight=...|solution=..." (values may span lines). */
function parseTags(text: string | undefined): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of (text ?? '').split('|')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return tags;
}

/** Old reports list CVEs as "CVE-1, CVE-2" (or "NOCVE"). */
const splitList = (text: string | undefined) => (text ?? '').split(/[,\s]+/).filter(Boolean);
