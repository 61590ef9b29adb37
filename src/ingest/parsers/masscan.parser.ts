// masscan JSON (-oJ): an array of {ip, timestamp, ports: [{port, proto, status, ...}]}, one
// element per port found (masscan repeats the host). Banner records (ports[].service) carry a
// service name. masscan does not say which ports it probed, so no coverage: nothing is closed.
import { isObject, portOf, rejected, str, type ParserContext } from './context.js';
import { jsonArrayRecords, requireResults } from './json-records.js';
import { sniff } from './source.js';
import { ParseError, ScanFormat, type ByteSource, type ParseEvent } from './types.js';

export async function* parseMasscan(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const { first, source: bytes } = await sniff(source);
  if (first === undefined) return; // masscan writes nothing when it finds nothing
  if (first !== '[') throw new ParseError(ScanFormat.MASSCAN, 'expected a JSON array (masscan -oJ)');
  yield* requireResults(jsonArrayRecords(bytes, ScanFormat.MASSCAN, ctx, (index, value) => toEvents(index, value, ctx)), ScanFormat.MASSCAN, 'service', 'record of the file is a masscan result');
}

function toEvents(index: number, value: unknown, ctx: ParserContext): ParseEvent[] {
  const { clip } = ctx;
  if (!isObject(value) || !Array.isArray(value.ports)) return [rejected(index, 'record is not a masscan host {ip, ports: [...]}')];
  const ip = clip.text('short', str(value.ip)?.toLowerCase(), false, 'host');
  if (!ip) return [rejected(index, 'record has no ip')];
  return value.ports.map((p: unknown): ParseEvent => {
    const port = isObject(p) ? portOf(p.port) : undefined;
    if (!isObject(p) || port === undefined) return rejected(index, `port of ${ip} has no valid port number`);
    const service = isObject(p.service) ? p.service : {};
    return {
      type: 'service',
      record: {
        scanner: 'masscan', host: ip, ip, port,
        protocol: clip.text('short', str(p.proto)?.toLowerCase(), false, 'protocol') ?? 'tcp',
        state: clip.text('short', str(p.status)?.toLowerCase(), false, 'state') ?? 'open',
        service: clip.text('short', str(service.name), false, 'service'),
      },
    };
  });
}
