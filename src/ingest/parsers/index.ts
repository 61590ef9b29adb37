// Public surface of the scan-file parsers (pure code: no database, no Nest).
//
//   const run = parseFile(ScanFormat.ZAP, multipartFileStream);
//   for await (const event of run) {
//     switch (event.type) {
//       case 'finding':  stage(event.record, fingerprintFinding(siteId, event.record, entryId)); break;
//       case 'service':  stageService(event.record); break;
//       case 'baseline': stageBaseline(event.record); break;
//       case 'rejected': stageRejection(event.record); break; // { index, reason }
//     }
//   }
//   run.summary // { findings, services, baselineItems, rejected, truncated: { field: count } }
//
// A ParseError (a DomainError with code BAD_USER_INPUT and details {format, reason, line,
// column}) can come after records were yielded: commit the batch only after the loop ends.
export * from './types.js';
export { parseFile, ParseRun, PARSERS, collect } from './parse-file.js';
export { DEFAULT_FIELD_LIMITS, DEFAULT_READER_LIMITS, FieldClipper } from './limits.js';
export type { FieldLimits, ReaderLimits, ParseOptions } from './limits.js';
