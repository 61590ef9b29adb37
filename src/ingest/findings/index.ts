// Pure finding logic shared by ingestion: URL normalisation, fingerprints, level mapping.
export { normaliseUrl, parseWebUrl } from './normalise-url.js';
export { FINGERPRINT_VERSION, entryKeyOf, fingerprintFinding, fingerprintOf, hashComponents, locationOf } from './fingerprint.js';
export type { Fingerprint, FingerprintComponents, FingerprintInput } from './fingerprint.js';
export { cvssLevel, kubeBenchLevel, nucleiLevel, openvasLevel, xccdfLevel, zapLevel } from './levels.js';
