// Public surface of the scan-file parsers (pure code: no database, no Nest).
export * from './types.js';
export { parseFile, ParseRun, PARSERS, collect } from './parse-file.js';
export { DEFAULT_FIELD_LIMITS, DEFAULT_READER_LIMITS, FieldClipper } from './limits.js';
export type { FieldLimits, ReaderLimits, ParseOptions } from './limits.js';
