import { extname } from 'node:path';

export const UPLOAD_KINDS = ['IMAGE', 'DOCUMENT'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/**
 * The files each kind accepts, by extension, with the Content-Type the storage will enforce.
 * No SVG or HTML: files served from the bucket must not be able to run script.
 */
export const ALLOWED_TYPES: Record<UploadKind, Record<string, string>> = {
  IMAGE: {
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.png': 'image/png',
    '.gif': 'image/gif',
    '.webp': 'image/webp',
  },
  DOCUMENT: {
    '.pdf': 'application/pdf',
    '.doc': 'application/msword',
    '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    '.xls': 'application/vnd.ms-excel',
    '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    '.ppt': 'application/vnd.ms-powerpoint',
    '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    '.txt': 'text/plain',
    '.csv': 'text/csv',
  },
};

/** The extension (lower-case, with dot) and its Content-Type, or null when the kind does not accept it. */
export function fileTypeOf(kind: UploadKind, filename: string): { ext: string; contentType: string } | null {
  const ext = extname(filename).toLowerCase();
  const contentType = ALLOWED_TYPES[kind][ext];
  return contentType ? { ext, contentType } : null;
}

/** The signing request handed to a provider. */
export interface UploadRequest {
  key: string;
  contentType: string;
  maxSize: number;
  ttlSeconds: number;
}

export interface SignedUpload {
  url: string;
  /** Form fields to send, in this order, before the file field. */
  fields: { name: string; value: string }[];
  /** The provider's upload token when it has one (Qiniu). */
  token: string | null;
  expiresAt: Date;
}

/** A provider that signs browser uploads (a Qiniu upload token, an S3 presigned POST). */
export interface UploadSigner {
  readonly provider: 'QINIU' | 'S3';
  sign(req: UploadRequest): Promise<SignedUpload>;
}
