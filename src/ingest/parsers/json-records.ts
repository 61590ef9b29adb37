// Records of JSON-lines files and of JSON-array files, with a 1-based index and per-record
// rejections (bad JSON, too long, too large), for parsers that map one record to events.
import { rejected, type ParserContext } from './context.js';
import { readJson } from './json-stream.js';
import { splitLines } from './source.js';
import { ParseError, type ParseEvent, type ScanFormat } from './types.js';

/** Maps one record to its events; `cut` says a string of it was shortened while streaming. */
export type RecordMapper = (index: number, value: unknown, cut?: boolean) => ParseEvent[];

export async function* jsonLineRecords(bytes: AsyncIterable<Buffer>, ctx: ParserContext, map: RecordMapper): AsyncGenerator<ParseEvent> {
  for await (const line of splitLines(bytes, ctx.reader.maxLineBytes)) {
    if ('tooLong' in line) {
      yield rejected(line.line, `line is longer than ${ctx.reader.maxLineBytes} bytes (${line.bytes})`);
      continue;
    }
    if (line.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      const partial = line.terminated ? '' : ' (unterminated last line: the file may be truncated)';
      yield rejected(line.line, `invalid JSON: ${(error as Error).message}${partial}`);
      continue;
    }
    yield* map(line.line, value);
  }
}

export async function* jsonArrayRecords(
  bytes: AsyncIterable<Buffer>,
  format: ScanFormat,
  ctx: ParserContext,
  map: RecordMapper,
  noun = 'record',
): AsyncGenerator<ParseEvent> {
  const select = (path: readonly (string | number)[]) => path.length === 1;
  for await (const item of readJson(bytes, { format, select, limits: ctx.reader })) {
    const index = Number(item.path[0]) + 1;
    if (item.oversize) yield rejected(index, `${noun} is larger than ${ctx.reader.maxRecordChars} characters`);
    else yield* map(index, item.value, item.cut);
  }
}

/**
 * Passes a parser's events on, counting those of type `counted`: a file in which not one record
 * is a result of the tool (yet some were rejected) is another tool's file, refused whole.
 */
export async function* requireResults(
  events: AsyncIterable<ParseEvent>,
  format: ScanFormat,
  counted: ParseEvent['type'],
  what: string,
): AsyncGenerator<ParseEvent> {
  let results = 0;
  let firstRejection: string | undefined;
  for await (const event of events) {
    if (event.type === counted) results++;
    else if (event.type === 'rejected') firstRejection ??= event.record.reason;
    yield event;
  }
  if (results === 0 && firstRejection !== undefined) {
    throw new ParseError(format, `no ${what} (first: ${firstRejection})`);
  }
}
