// naabu JSON lines (-json): one {ip, host?, port, protocol?, tls?} per open port found. naabu
// writes a line each time it sees a port, so a port may repeat (xsc stores it once and counts the
// repeats as re-sightings). naabu does not say which ports it probed: no coverage, nothing closes.
import { isObject, portOf, rejected, str, type ParserContext } from './context.js';
import { jsonLineRecords, requireResults } from './json-records.js';
import { sniff } from './source.js';
import { ParseError, ScanFormat, type ByteSource, type ParseEvent } from './types.js';

export async function* parseNaabu(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const { first, source: bytes } = await sniff(source);
  if (first === undefined) return;
  if (first !== '{') throw new ParseError(ScanFormat.NAABU, 'expected JSON lines (naabu -json)');
  yield* requireResults(jsonLineRecords(bytes, ctx, (index, value) => [toEvent(index, value, ctx)]), ScanFormat.NAABU, 'service', 'line of the file is a naabu result');
}

function toEvent(index: number, value: unknown, ctx: ParserContext): ParseEvent {
  const { clip } = ctx;
  // naabu writes the port as a JSON number (Nuclei and httpx write "80"): that tells the formats apart
  if (!isObject(value) || typeof value.port !== 'number') return rejected(index, 'line is not a naabu result {ip, port: <number>}');
  const port = portOf(value.port);
  const ip = clip.text('short', str(value.ip)?.toLowerCase(), false, 'host');
  if (port === undefined) return rejected(index, `port ${String(value.port)} is not 1-65535`);
  if (!ip) return rejected(index, 'line has no ip');
  const hostname = clip.text('short', str(value.host)?.toLowerCase(), false, 'host');
  return {
    type: 'service',
    record: {
      scanner: 'naabu', host: ip, ip, hostname: hostname && hostname !== ip ? hostname : undefined, port,
      protocol: clip.text('short', str(value.protocol)?.toLowerCase(), false, 'protocol') ?? 'tcp',
      state: 'open',
      service: value.tls === true ? 'ssl' : undefined,
    },
  };
}
