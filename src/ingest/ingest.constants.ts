/** Findings per syncVulns chunk. */
export const MAX_CHUNK_FINDINGS = 5000;
/** Rejections stored per batch (the count is always exact). */
export const MAX_STORED_REJECTIONS = 1000;
/** Findings written per statement while a scanner file is parsed. */
export const FILE_FLUSH_SIZE = 5000;
/** Bytes per stored chunk of an uploaded file. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

export interface ApplyJobData {
  batchId: string;
}
