import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { badInput, DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import type { CreateUploadCredentialInput } from './inputs/create-upload-credential.input.js';
import { UploadProvider, type UploadCredential } from './models/upload-credential.model.js';
import { QiniuSigner } from './signers/qiniu.signer.js';
import { S3Signer } from './signers/s3.signer.js';
import { ALLOWED_TYPES, fileTypeOf, type UploadKind, type UploadSigner } from './upload-types.js';

/**
 * Signed, short-lived upload credentials for object storage (replaces common/qiniu_token). The
 * provider comes from UPLOAD_PROVIDER; each credential is limited to one key under
 * `<UPLOAD_KEY_PREFIX>/<userId>/`, one allowed Content-Type and the kind's size limit.
 */
@Injectable()
export class UploadsService {
  private readonly signer: UploadSigner | null;

  constructor(private readonly config: AppConfig) {
    this.signer = createSigner(config);
  }

  async createCredential(principal: Principal, input: CreateUploadCredentialInput): Promise<UploadCredential> {
    if (!this.signer) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Uploads are not configured on this server (set UPLOAD_PROVIDER to qiniu or s3 with its credentials)');
    }
    const type = fileTypeOf(input.kind, input.filename);
    if (!type) {
      throw badInput(`A ${input.kind.toLowerCase()} must be one of ${Object.keys(ALLOWED_TYPES[input.kind]).join(', ')}`, {
        field: 'filename',
        allowed: Object.keys(ALLOWED_TYPES[input.kind]),
      });
    }
    const maxSize = this.maxSize(input.kind);
    if (input.size > maxSize) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `A ${input.kind.toLowerCase()} may be at most ${maxSize} bytes`, { field: 'size', maxSize });
    }
    const key = `${this.config.get('UPLOAD_KEY_PREFIX')}/${principal.id}/${randomUUID()}${type.ext}`;
    const signed = await this.signer.sign({ key, contentType: type.contentType, maxSize, ttlSeconds: this.config.get('UPLOAD_TTL_SECONDS') });
    return {
      provider: UploadProvider[this.signer.provider],
      method: 'POST',
      key,
      fileField: 'file',
      contentType: type.contentType,
      maxSize,
      ...signed,
    };
  }

  private maxSize(kind: UploadKind): number {
    return kind === 'IMAGE' ? this.config.get('UPLOAD_IMAGE_MAX_BYTES') : this.config.get('UPLOAD_DOCUMENT_MAX_BYTES');
  }
}

/** The configured provider; loadEnv already checked that its variables are set. */
function createSigner(config: AppConfig): UploadSigner | null {
  switch (config.get('UPLOAD_PROVIDER')) {
    case 'qiniu':
      return new QiniuSigner({
        accessKey: config.get('QINIU_ACCESS_KEY')!,
        secretKey: config.get('QINIU_SECRET_KEY')!,
        bucket: config.get('QINIU_BUCKET')!,
        uploadUrl: config.get('QINIU_UPLOAD_URL'),
      });
    case 's3':
      return new S3Signer({
        endpoint: config.get('S3_ENDPOINT'),
        region: config.get('S3_REGION'),
        bucket: config.get('S3_BUCKET')!,
        accessKeyId: config.get('S3_ACCESS_KEY_ID')!,
        secretAccessKey: config.get('S3_SECRET_ACCESS_KEY')!,
        forcePathStyle: config.get('S3_FORCE_PATH_STYLE'),
      });
    case undefined:
      return null;
  }
}
