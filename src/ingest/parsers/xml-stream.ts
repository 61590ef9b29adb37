// Streaming XML reader on saxes: the caller names the elements it wants as small subtrees
// ("captured" nodes); everything else only produces open/close events and is never kept.
// saxes is strict and does not expand entities declared in a DTD, so entity bombs fail fast
// with "undefined entity" instead of growing.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { clip } from '../../common/text/unicode.js';
import type { ReaderLimits } from './limits.js';
import { asBuffers } from './source.js';
import { ParseError, type ByteSource, type ScanFormat } from './types.js';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** Text of this node was cut at maxTextChars. */
  cut: boolean;
}

export type XmlEvent =
  | { type: 'open'; name: string; attrs: Record<string, string>; path: readonly string[] }
  | { type: 'node'; node: XmlNode; path: readonly string[]; oversize: boolean; index: number }
  | { type: 'close'; name: string; path: readonly string[] };

export interface XmlReadOptions {
  format: ScanFormat;
  /** Local names accepted as the document element. */
  rootNames: readonly string[];
  /** Whether to keep this element as a subtree; `path` holds its ancestors' local names. */
  capture: (name: string, path: readonly string[]) => boolean;
  limits: ReaderLimits;
}

/** Local name: namespace prefixes are dropped ("cdf:Rule" -> "Rule"). */
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Bounded subtree builder for one captured element. */
class Capture {
  readonly stack: XmlNode[] = [];
  size = 0;
  oversize = false;

  constructor(
    readonly root: XmlNode,
    private readonly limits: ReaderLimits,
  ) {
    this.stack.push(root);
  }

  open(node: XmlNode): void {
    this.size += node.name.length + 8;
    const parent = this.stack[this.stack.length - 1];
    if (!this.oversize && this.size <= this.limits.maxRecordChars) parent.children.push(node);
    else this.oversize = true;
    this.stack.push(node);
  }

  text(text: string): void {
    const node = this.stack[this.stack.length - 1];
    const room = Math.min(this.limits.maxTextChars - node.text.length, this.limits.maxRecordChars - this.size);
    if (text.length > room) {
      node.cut = true;
      if (this.size + text.length > this.limits.maxRecordChars) this.oversize = true;
    }
    const kept = room > 0 ? clip(text, room) : '';
    node.text += kept;
    this.size += kept.length;
  }
}

export async function* readXml(source: ByteSource, options: XmlReadOptions): AsyncGenerator<XmlEvent> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const queue: XmlEvent[] = [];
  const path: string[] = [];
  let capture: Capture | undefined;
  let captured = 0;
  let sawRoot = false;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (!sawRoot) checkRoot(name);
    if (path.length >= options.limits.maxDepth) throw new Error(`elements are nested deeper than ${options.limits.maxDepth} levels`);
    const node: XmlNode = { name, attrs: tag.attributes, children: [], text: '', cut: false };
    if (capture) capture.open(node);
    else if (options.capture(name, path)) {
      capture = new Capture(node, options.limits);
      parser.on('text', onText); // saxes buffers text only while a text handler is set
    }
    else queue.push({ type: 'open', name, attrs: tag.attributes, path: [...path] });
    path.push(name);
  });
  const onText = (text: string) => capture?.text(text);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = path.pop() as string;
    if (!capture) return void queue.push({ type: 'close', name, path: [...path] });
    capture.stack.pop();
    if (capture.stack.length > 0) return;
    queue.push({ type: 'node', node: capture.root, path: [...path], oversize: capture.oversize, index: ++captured });
    capture = undefined;
    parser.off('text');
  });

  function checkRoot(name: string): void {
    sawRoot = true;
    if (!options.rootNames.includes(name)) {
      const expected = options.rootNames.map((n) => `<${n}>`).join(' or ');
      throw new ParseError(options.format, `expected ${expected} as the root element, found <${name}>`);
    }
  }

  const decoder = new TextDecoder('utf-8');
  const feed = (text: string | null) => {
    try {
      if (text === null) parser.close();
      else parser.write(text);
      boundSaxesBuffer(parser, options.limits.maxTextChars, onText);
    } catch (error) {
      throw toParseError(error, parser, options.format);
    }
  };
  for await (const chunk of asBuffers(source)) {
    feed(decoder.decode(chunk, { stream: true }));
    yield* queue.splice(0);
  }
  feed(decoder.decode());
  feed(null);
  yield* queue.splice(0);
}

// saxes 6 keeps text, CDATA and comments in one private buffer until the construct ends. To keep
// memory bounded we move long character data out after each chunk (the handler appends it, so
// the result is unchanged), drop long comments, and refuse any other token that long.
const S_TEXT = 13;
const S_ENTITY = 14;
const S_COMMENT = [17, 18, 19];
const S_CDATA = [20, 21, 22];
type SaxesInternals = { text: string; state: number; name: string; entity: string; entityReturnState: number | undefined };

function boundSaxesBuffer(parser: SaxesParser, maxChars: number, onText: (text: string) => void): void {
  const internals = parser as unknown as SaxesInternals;
  if (internals.name.length > maxChars || internals.entity.length > maxChars) {
    throw new Error(`an XML name or entity is longer than ${maxChars} characters`);
  }
  if (internals.text.length <= maxChars) return;
  const { state } = internals;
  const inCharData = state === S_TEXT || (state === S_ENTITY && internals.entityReturnState === S_TEXT);
  if (inCharData || S_CDATA.includes(state)) onText(internals.text);
  else if (!S_COMMENT.includes(state)) throw new Error(`an XML name, attribute or declaration is longer than ${maxChars} characters`);
  internals.text = '';
}

function toParseError(error: unknown, parser: SaxesParser, format: ScanFormat): ParseError {
  if (error instanceof ParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/^(\S*:)?\d+:\d+: /, '').replace(/\.$/, '');
  return new ParseError(format, `malformed XML: ${reason}`, parser.line, parser.column + 1);
}

// ---- small helpers to read captured subtrees --------------------------------------------------

export const child = (node: XmlNode, name: string): XmlNode | undefined =>
  node.children.find((c) => c.name === name);

export const childrenNamed = (node: XmlNode, name: string): XmlNode[] => node.children.filter((c) => c.name === name);

/** Text of a direct child element (undefined when absent). */
export const childText = (node: XmlNode, name: string): string | undefined => child(node, name)?.text;

/** Whether the direct child's text was cut by the reader. */
export const childCut = (node: XmlNode, name: string): boolean => child(node, name)?.cut ?? false;

/** All descendants (depth first) with this local name. */
export function descendants(node: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}
