// Streaming JSON reader on stream-json's tokenizer with our own bounded assembler: values at
// the paths the caller selects are built as plain objects, strings are cut at maxTextChars and
// a value larger than maxRecordChars is reported as oversize instead of being kept whole.
// Everything outside the selected paths is tokenised and dropped.
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { clip } from '../../common/text/unicode.js';
import type { ReaderLimits } from './limits.js';
import { asBuffers } from './source.js';
import { ParseError, type ByteSource, type ScanFormat } from './types.js';

export type JsonPath = readonly (string | number)[];

export interface JsonValueEvent {
  path: JsonPath;
  value: unknown;
  /** Some string inside was cut at maxTextChars. */
  cut: boolean;
  /** The value exceeded maxRecordChars; what is in `value` is incomplete. */
  oversize: boolean;
}

export interface JsonReadOptions {
  format: ScanFormat;
  select: (path: JsonPath) => boolean;
  limits: ReaderLimits;
}

type Container = Record<string, unknown> | unknown[];
interface Frame {
  container: Container | undefined;
  isArray: boolean;
  key: string;
  index: number;
}

const MAX_KEY_CHARS = 1024;
const MAX_NUMBER_CHARS = 64;

/** Token-by-token assembler that tracks the path and builds only the selected values. */
class BoundedAssembler {
  readonly out: JsonValueEvent[] = [];
  private readonly frames: Frame[] = [];
  private captureDepth = -1;
  private root: unknown;
  private size = 0;
  private cut = false;
  private oversize = false;
  private scalar: 'key' | 'string' | 'number' | undefined;
  private buffer = '';
  private keepScalar = false;
  private scalarCut = false;
  /** The scalar reached its limit: later chunks of it are dropped. */
  private scalarFull = false;

  constructor(private readonly options: JsonReadOptions) {}

  consume(token: Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        return this.startContainer(token.name === 'startArray');
      case 'endObject':
      case 'endArray':
        return this.endContainer();
      case 'startKey':
      case 'startString':
      case 'startNumber':
        this.scalar = token.name === 'startKey' ? 'key' : token.name === 'startString' ? 'string' : 'number';
        this.buffer = '';
        this.keepScalar = this.scalar !== 'key' && (this.capturing || this.options.select(this.path()));
        this.scalarCut = false;
        this.scalarFull = false;
        return;
      case 'stringChunk':
      case 'numberChunk':
        return this.chunk(token.value);
      case 'endKey':
        this.top().key = this.buffer;
        this.scalar = undefined;
        return;
      case 'endString':
        this.scalar = undefined;
        return this.value(this.buffer, this.keepScalar);
      case 'endNumber':
        this.scalar = undefined;
        return this.value(Number(this.buffer), this.keepScalar);
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.scalarCut = false;
        return this.value(token.value);
      default:
        return;
    }
  }

  private get capturing(): boolean {
    return this.captureDepth >= 0;
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private path(): (string | number)[] {
    return this.frames.map((f) => (f.isArray ? f.index : f.key));
  }

  private chunk(text: string): void {
    const max =
      this.scalar === 'key' ? MAX_KEY_CHARS : this.scalar === 'number' ? MAX_NUMBER_CHARS : this.keepScalar ? this.options.limits.maxTextChars : 0;
    if (this.scalarFull) return;
    const room = max - this.buffer.length;
    if (text.length <= room) {
      this.buffer += text;
      return;
    }
    if (this.scalar === 'string' && this.keepScalar) this.scalarCut = true;
    this.scalarFull = true;
    // One unit past the limit lets clip() see a pair whose halves came in two chunks ("\ud83d\ude00").
    this.buffer = clip(this.buffer + text.slice(0, Math.max(room, 0) + 1), max);
  }

  private startContainer(isArray: boolean): void {
    if (this.frames.length >= this.options.limits.maxDepth) {
      throw new ParseError(this.options.format, `JSON nested deeper than ${this.options.limits.maxDepth} levels`);
    }
    const container: Container = isArray ? [] : {};
    if (this.capturing) this.place(container);
    else if (this.options.select(this.path())) this.begin(container);
    this.frames.push({ container: this.capturing ? container : undefined, isArray, key: '', index: 0 });
  }

  private endContainer(): void {
    this.frames.pop();
    if (this.capturing && this.frames.length === this.captureDepth) this.finish();
    this.advance();
  }

  private value(value: unknown, selected?: boolean): void {
    if (this.capturing) {
      this.cut ||= this.scalarCut;
      this.place(value);
    } else if (selected ?? this.options.select(this.path())) {
      this.begin(value);
      this.cut = this.scalarCut;
      this.finish();
    }
    this.advance();
  }

  private begin(value: unknown): void {
    this.captureDepth = this.frames.length;
    this.root = value;
    this.size = 0;
    this.cut = false;
    this.oversize = false;
  }

  private finish(): void {
    this.out.push({ path: this.path(), value: this.root, cut: this.cut, oversize: this.oversize });
    this.captureDepth = -1;
    this.root = undefined;
  }

  /** Puts a value into the container being assembled, within the record's size budget. */
  private place(value: unknown): void {
    this.size += typeof value === 'string' ? value.length + 2 : 8;
    if (this.size > this.options.limits.maxRecordChars) this.oversize = true;
    const frame = this.top();
    if (this.oversize || !frame.container) return;
    if (frame.isArray) (frame.container as unknown[]).push(value);
    else Object.defineProperty(frame.container, frame.key, { value, enumerable: true, writable: true, configurable: true });
  }

  private advance(): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame?.isArray) frame.index++;
  }
}

/** Yields every selected value of one JSON document, in document order. */
export async function* readJson(source: ByteSource, options: JsonReadOptions): AsyncGenerator<JsonValueEvent> {
  const tokenizer = jsonParser({ packValues: false, streamValues: true });
  const assembler = new BoundedAssembler(options);
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  const feed = (text: string | typeof none) => {
    let result;
    try {
      result = tokenizer(text as string); // `none` flushes the tokenizer (typed as string only)
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/^Parser (cannot parse input: |has )/, '');
      throw new ParseError(options.format, `malformed JSON: ${reason}, in the text starting at line ${line}`);
    }
    if (result === none) return;
    if (isMany(result)) for (const token of getManyValues(result)) assembler.consume(token);
    else assembler.consume(result);
    if (typeof text === 'string') line += countNewlines(text);
  };
  let first = true;
  for await (const chunk of asBuffers(source)) {
    let text = decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // string sources may keep a BOM
    }
    if (text.length > 0) feed(text);
    yield* assembler.out.splice(0);
  }
  feed(decoder.decode());
  feed(none);
  yield* assembler.out.splice(0);
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
