import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { SignedUpload, UploadRequest, UploadSigner } from '../upload-types.js';

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/**
 * An S3 (or S3-compatible) presigned POST: a SigV4-signed policy that allows exactly this key,
 * this Content-Type and 1..maxSize bytes until it expires. The form posts the fields, then `file`.
 */
export class S3Signer implements UploadSigner {
  readonly provider = 'S3' as const;
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    });
  }

  async sign(req: UploadRequest): Promise<SignedUpload> {
    const post = await createPresignedPost(this.client, {
      Bucket: this.settings.bucket,
      Key: req.key,
      Expires: req.ttlSeconds,
      Fields: { 'Content-Type': req.contentType },
      Conditions: [
        ['content-length-range', 1, req.maxSize],
        ['eq', '$Content-Type', req.contentType],
      ],
    });
    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString('utf8')) as { expiration: string };
    return {
      url: post.url,
      fields: Object.entries(post.fields).map(([name, value]) => ({ name, value })),
      token: null,
      expiresAt: new Date(policy.expiration),
    };
  }
}
