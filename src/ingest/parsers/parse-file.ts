// Parser registry: parseFile(format, stream) streams ParseEvents and keeps a running summary.
//
// Contract for the ingestion service: events arrive as the file is read, so a ParseError can be
// thrown after some records were yielded (a truncated XML file fails at its end). Stage what you
// receive and commit only when the iteration completes; on ParseError the batch fails as a whole.
//
//   const run = parseFile(ScanFormat.ZAP, stream);
//   for await (const event of run) { /* switch (event.type): 'finding', 'service', 'host', 'coverage', 'baseline', 'rejected' */ }
//   run.summary // { format, findings, services, baselineItems, rejected, truncated: { field: count } }
import type { ScanParser } from './context.js';
import { FieldClipper, DEFAULT_READER_LIMITS, type ParseOptions } from './limits.js';
import { parseHttpx } from './httpx.parser.js';
import { parseKubeBench } from './kube-bench.parser.js';
import { parseMasscan } from './masscan.parser.js';
import { parseNaabu } from './naabu.parser.js';
import { parseNmap } from './nmap.parser.js';
import { parseNuclei } from './nuclei.parser.js';
import { parseOpenvas } from './openvas.parser.js';
import { parseXccdf } from './xccdf.parser.js';
import { parseZap } from './zap.parser.js';
import { ScanFormat, type ByteSource, type ParseEvent, type ParseSummary } from './types.js';

export const PARSERS: Record<ScanFormat, ScanParser> = {
  [ScanFormat.NUCLEI]: parseNuclei,
  [ScanFormat.ZAP]: parseZap,
  [ScanFormat.OPENVAS]: parseOpenvas,
  [ScanFormat.NMAP]: parseNmap,
  [ScanFormat.KUBE_BENCH]: parseKubeBench,
  [ScanFormat.XCCDF]: parseXccdf,
  [ScanFormat.MASSCAN]: parseMasscan,
  [ScanFormat.NAABU]: parseNaabu,
  [ScanFormat.HTTPX]: parseHttpx,
};

/** One pass over one file. Iterate it once; `summary` is live and final after the loop. */
export class ParseRun implements AsyncIterable<ParseEvent> {
  readonly summary: ParseSummary;
  private readonly clip: FieldClipper;
  private started = false;

  constructor(
    readonly format: ScanFormat,
    private readonly source: ByteSource,
    private readonly options: ParseOptions = {},
  ) {
    this.clip = new FieldClipper(options.fields);
    this.summary = { format, findings: 0, services: 0, baselineItems: 0, rejected: 0, truncated: this.clip.truncated };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ParseEvent> {
    if (this.started) throw new Error('a ParseRun can be iterated only once');
    this.started = true;
    const reader = { ...DEFAULT_READER_LIMITS, ...this.options.reader };
    for await (const event of PARSERS[this.format](this.source, { clip: this.clip, reader })) {
      this.count(event);
      yield event;
    }
  }

  private count(event: ParseEvent): void {
    switch (event.type) {
      case 'finding':
        this.summary.findings++;
        break;
      case 'service':
        this.summary.services++;
        break;
      case 'baseline':
        this.summary.baselineItems++;
        break;
      case 'rejected':
        this.summary.rejected++;
        break;
      case 'host':
      case 'coverage':
        break; // not part of the summary
      default:
        event satisfies never;
    }
  }
}

export function parseFile(format: ScanFormat, source: ByteSource, options?: ParseOptions): ParseRun {
  return new ParseRun(format, source, options);
}

/** Reads a whole run into arrays (tests, small files). Memory grows with the file: not for ingestion. */
export async function collect(run: ParseRun): Promise<{ events: ParseEvent[]; summary: ParseSummary }> {
  const events: ParseEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, summary: run.summary };
}
