// Byte-level helpers shared by the readers: chunks as Buffers, sniffing the first character,
// and splitting lines without ever holding more than one (bounded) line.
import type { ByteSource } from './types.js';

export async function* asBuffers(source: ByteSource): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

export interface Sniffed {
  /** First character that is not whitespace or a byte-order mark; undefined for a blank file. */
  first: string | undefined;
  /** The whole input again, the sniffed chunks included. */
  source: AsyncIterable<Buffer>;
}

const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BOM = [0xef, 0xbb, 0xbf];

/** Reads just enough chunks to see the first meaningful character, then replays them. */
export async function sniff(source: ByteSource): Promise<Sniffed> {
  const iterator = asBuffers(source)[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let first: string | undefined;
  let offset = 0;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    for (const byte of next.value) {
      const inBom = offset < 3 && byte === BOM[offset];
      offset++;
      if (inBom || BLANK.has(byte)) continue;
      first = String.fromCharCode(byte);
      break;
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, source: replay() };
}

export type Line =
  | { line: number; text: string; terminated: boolean }
  | { line: number; tooLong: true; bytes: number };

/** Splits on "\n" (a trailing "\r" is dropped). A line over `maxBytes` is skipped, not buffered. */
export async function* splitLines(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 1;
  const finish = (terminated: boolean): Line => {
    const text = () => stripCr(Buffer.concat(parts, size).toString('utf8'));
    const out: Line = tooLong
      ? { line, tooLong: true, bytes: size }
      : { line, text: line === 1 ? stripBom(text()) : text(), terminated };
    parts = [];
    size = 0;
    tooLong = false;
    line++;
    return out;
  };
  for await (const chunk of source) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      keep(chunk.subarray(start, nl));
      yield finish(true);
      start = nl + 1;
    }
    keep(chunk.subarray(start));
  }
  if (size > 0 || tooLong) yield finish(false);

  function keep(piece: Buffer): void {
    size += piece.length;
    if (tooLong) return;
    if (size > maxBytes) {
      tooLong = true;
      parts = [];
      return;
    }
    if (piece.length > 0) parts.push(piece);
  }
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const stripCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);
