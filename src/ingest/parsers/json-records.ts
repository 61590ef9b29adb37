// Records of JSON-lines files and of JSON-array files, with a 1-based index and per-record
// rejections (bad JSON, too long, too large), for parsers that map one record to events.
import { rejected, type ParserContext } from './context.js';
import { readJson } from './json-stream.js';
import { splitLines } from './source.js';
import type { ParseEvent, ScanFormat } from './types.js';

export type RecordMapper = (index: number, value: unknown) => ParseEvent[];

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
      yield rejected(line.line, `invalid JSON: ${(error as Error).message}`);
      continue;
    }
    yield* map(line.line, value);
  }
}

export async function* jsonArrayRecords(bytes: AsyncIterable<Buffer>, format: ScanFormat, ctx: ParserContext, map: RecordMapper): AsyncGenerator<ParseEvent> {
  const select = (path: readonly (string | number)[]) => path.length === 1;
  for await (const item of readJson(bytes, { format, select, limits: ctx.reader })) {
    const index = Number(item.path[0]) + 1;
    if (item.oversize) yield rejected(index, `record is larger than ${ctx.reader.maxRecordChars} characters`);
    else yield* map(index, item.value);
  }
}
