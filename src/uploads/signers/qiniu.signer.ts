import qiniu from 'qiniu';
import type { SignedUpload, UploadRequest, UploadSigner } from '../upload-types.js';

export interface QiniuSettings {
  accessKey: string;
  secretKey: string;
  bucket: string;
  uploadUrl: string;
}

/**
 * A Qiniu upload token (qiniu SDK rs.PutPolicy): bound to one bucket:key (insert only), a
 * deadline, a maximum size and the expected MIME type. The form posts `key`, `token`, `file`.
 */
export class QiniuSigner implements UploadSigner {
  readonly provider = 'QINIU' as const;
  private readonly mac: qiniu.auth.digest.Mac;

  constructor(private readonly settings: QiniuSettings) {
    this.mac = new qiniu.auth.digest.Mac(settings.accessKey, settings.secretKey);
  }

  sign(req: UploadRequest): Promise<SignedUpload> {
    const policy = new qiniu.rs.PutPolicy({
      scope: `${this.settings.bucket}:${req.key}`,
      expires: req.ttlSeconds,
      insertOnly: 1,
      fsizeMin: 1,
      fsizeLimit: req.maxSize,
      mimeLimit: req.contentType,
      detectMime: 1,
    });
    const token = policy.uploadToken(this.mac);
    const deadline = decodePolicy(token).deadline;
    return Promise.resolve({
      url: this.settings.uploadUrl,
      fields: [
        { name: 'key', value: req.key },
        { name: 'token', value: token },
      ],
      token,
      expiresAt: new Date(deadline * 1000),
    });
  }
}

/** The policy inside an upload token `<accessKey>:<signature>:<url-safe base64 policy>`. */
export function decodePolicy(token: string): { deadline: number; [k: string]: unknown } {
  const encoded = token.split(':')[2];
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
}
