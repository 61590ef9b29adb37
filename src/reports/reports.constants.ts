/** Bytes per stored chunk of a generated report. */
export const REPORT_CHUNK_BYTES = 1024 * 1024;

export interface GenerateJobData {
  reportId: string;
}

/** Media type of a .docx. */
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Reports an API process builds directly (GET /sites/:id/report.docx) at the same time; more
 * requests wait their turn. Each build is a child process of up to a few hundred MB.
 */
export const DIRECT_BUILDS_PER_PROCESS = 2;
