// OWASP ZAP "traditional" XML report. One finding per alert INSTANCE (uri + param + evidence);
// the alert item (plugin) is the library entry. An alert's solution/reference/cweid come after
// its <instances>, so instances are buffered per alert (bounded by maxInstancesPerAlert).
import { parseWebUrl } from '../findings/normalise-url.js';
import { zapLevel } from '../findings/levels.js';
import { cweIds, portOf, rejected, type ParserContext } from './context.js';
import { childCut, childText, readXml, type XmlNode } from './xml-stream.js';
import { ScanFormat, type ByteSource, type ParseEvent, type ParsedFinding } from './types.js';

interface Site {
  name?: string;
  host?: string;
  port?: number;
}

interface AlertState {
  fields: Map<string, XmlNode>;
  instances: XmlNode[];
  dropped: number;
}

export async function* parseZap(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const capture = (name: string, path: readonly string[]) => {
    const parent = path[path.length - 1];
    return (parent === 'alertitem' && name !== 'instances') || (parent === 'instances' && name === 'instance');
  };
  let site: Site = {};
  let alert: AlertState | undefined;
  let index = 0;
  for await (const event of readXml(source, { format: ScanFormat.ZAP, rootNames: ['OWASPZAPReport'], capture, limits: ctx.reader })) {
    if (event.type === 'open' && event.name === 'site') site = siteOf(event.attrs);
    else if (event.type === 'open' && event.name === 'alertitem') alert = { fields: new Map(), instances: [], dropped: 0 };
    else if (event.type === 'node' && alert) {
      if (event.node.name !== 'instance') alert.fields.set(event.node.name, event.node);
      else if (event.oversize) yield rejected(++index, `instance is larger than ${ctx.reader.maxRecordChars} characters`);
      else if (alert.instances.length < ctx.reader.maxInstancesPerAlert) alert.instances.push(event.node);
      else alert.dropped++;
    } else if (event.type === 'close' && event.name === 'alertitem' && alert) {
      yield* alertEvents(alert, site, ctx, () => ++index);
      alert = undefined;
    }
  }
}

const siteOf = (attrs: Record<string, string>): Site => ({ name: attrs.name, host: attrs.host, port: portOf(attrs.port) });

/** The findings of one closed alert item; `next` numbers records for rejection reasons. */
function* alertEvents(alert: AlertState, site: Site, ctx: ParserContext, next: () => number): Generator<ParseEvent> {
  const template = alertTemplate(alert.fields, ctx);
  if (!template) return yield rejected(next(), 'alert item has no pluginid');
  const alertNode: XmlNode = { name: 'alertitem', attrs: {}, children: [...alert.fields.values()], text: '', cut: false };
  // ZAP < 2.6 put uri/param/evidence on the alert item itself, without <instances>
  const instances = alert.instances.length > 0 ? alert.instances : [alertNode];
  for (const instance of instances) {
    next();
    yield { type: 'finding', record: instanceFinding(template, instance, site, ctx) };
  }
  if (alert.dropped > 0) {
    yield rejected(next(), `alert ${template.checkId} has more than ${ctx.reader.maxInstancesPerAlert} instances: ${alert.dropped} dropped`);
  }
}

type Template = Omit<ParsedFinding, 'host' | 'port' | 'url' | 'parameter' | 'evidence'>;

function alertTemplate(fields: Map<string, XmlNode>, ctx: ParserContext): Template | undefined {
  const { clip } = ctx;
  const text = (name: string) => fields.get(name)?.text;
  const cut = (name: string) => fields.get(name)?.cut ?? false;
  const pluginId = clip.text('short', text('pluginid'));
  if (!pluginId) return undefined;
  // alertRef ("10020-1") tells apart alerts raised by one plugin; older reports lack it
  const checkId = clip.text('short', text('alertRef')) ?? pluginId;
  const name = clip.text('name', text('name') ?? text('alert'), cut('name')) ?? checkId;
  return {
    scanner: 'zap',
    checkId,
    name,
    level: zapLevel(text('riskcode'), text('confidence')),
    description: clip.text('description', htmlParagraphs(text('desc')), cut('desc')),
    solution: clip.text('solution', htmlParagraphs(text('solution')), cut('solution')),
    references: clip.list('reference', referenceLinks(text('reference'))),
    cve: [],
    cwe: clip.list('short', cweIds([text('cweid') ?? '']), 'cwe'),
    extras: compact({
      pluginId,
      riskcode: numberOr(text('riskcode')),
      confidence: numberOr(text('confidence')),
      wascid: numberOr(text('wascid')),
      sourceid: numberOr(text('sourceid')),
    }),
  };
}

function instanceFinding(template: Template, instance: XmlNode, site: Site, ctx: ParserContext): ParsedFinding {
  const { clip } = ctx;
  const uri = childText(instance, 'uri')?.trim() || site.name;
  const url = parseWebUrl(uri);
  const limit = clip.limits.extra;
  return {
    ...template,
    host: clip.text('short', (url?.hostname ?? site.host)?.toLowerCase(), false, 'host'),
    port: url ? (portOf(url.port) ?? (url.protocol === 'https:' ? 443 : 80)) : site.port,
    url: clip.text('url', uri, childCut(instance, 'uri')),
    parameter: clip.text('parameter', childText(instance, 'param'), childCut(instance, 'param')),
    evidence: clip.text('evidence', childText(instance, 'evidence'), childCut(instance, 'evidence')),
    extras: compact({
      ...template.extras,
      method: childText(instance, 'method')?.trim().slice(0, limit),
      attack: childText(instance, 'attack')?.trim().slice(0, limit),
      otherinfo: (childText(instance, 'otherinfo') ?? childText(instance, 'otherInfo'))?.trim().slice(0, limit),
    }),
  };
}

/** ZAP 2.10+ wraps text in <p> elements (escaped in the XML): paragraphs become lines. */
function htmlParagraphs(text: string | undefined): string | undefined {
  return text
    ?.replace(/<\/p>\s*<p>/gi, '\n')
    .replace(/<\/?p>/gi, '')
    .trim();
}

/** Older reports glue the links together ("http://a/http://b"): split before each scheme too. */
const referenceLinks = (text: string | undefined) => htmlParagraphs(text)?.split(/\s*\n\s*|(?=https?:\/\/)/) ?? [];

const numberOr = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : Number(text));

function compact(values: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '' && !(typeof value === 'number' && Number.isNaN(value))) out[key] = value;
  }
  return out;
}
