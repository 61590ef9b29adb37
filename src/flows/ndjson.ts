import { StringDecoder } from 'node:string_decoder';
import { badInput, DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { MAX_LINE_BYTES } from './flows.constants.js';

/** One record of a chunk: its decoded JSON, or why it could not be decoded. `index` as reported in rejections. */
export interface IncomingItem {
  index: number;
  raw?: unknown;
  reason?: string;
}

/**
 * The records of a newline-delimited JSON stream, a batch per body chunk (one await per chunk,
 * not per record; 1-based line numbers; blank lines skipped). Throws PAYLOAD_TOO_LARGE past `maxBytes` of NDJSON and BAD_USER_INPUT for a line
 * longer than MAX_LINE_BYTES, so nothing larger than a line is ever held in memory.
 */
export async function* ndjsonItems(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<IncomingItem[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  let bytes = 0;
  for await (const buf of body) {
    bytes += buf.length;
    if (bytes > maxBytes) throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `The NDJSON body is larger than ${maxBytes / 1024 / 1024} MB; split it`);
    const text = rest + decoder.write(buf);
    const batch: IncomingItem[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      line++;
      if (nl - from > MAX_LINE_BYTES) throw tooLong(line);
      const item = parseLine(text.slice(from, nl), line);
      if (item) batch.push(item);
      from = nl + 1;
    }
    rest = text.slice(from);
    if (rest.length > MAX_LINE_BYTES) throw tooLong(line + 1);
    if (batch.length) yield batch;
  }
  const item = parseLine(rest + decoder.end(), line + 1);
  if (item) yield [item];
}

const tooLong = (line: number) => badInput(`Line ${line} is longer than ${MAX_LINE_BYTES} characters`, { line });

function parseLine(text: string, line: number): IncomingItem | null {
  if (!text.trim()) return null;
  try {
    return { index: line, raw: JSON.parse(text) };
  } catch {
    return { index: line, reason: 'not valid JSON' };
  }
}
