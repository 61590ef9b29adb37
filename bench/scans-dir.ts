import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scanner samples: XSC_SCANS_DIR, else `shared/scans` beside the repository (bench runs from dist/bench-build/bench). */
export const SCANS_DIR = process.env.XSC_SCANS_DIR ?? path.resolve(fileURLToPath(import.meta.url), '../../../../../shared/scans');
