import 'reflect-metadata';
import { EnvError, loadEnv } from '../config/env.schema.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadEnv(env);
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
  return [];
};

describe('upload configuration', () => {
  it('defaults to no provider with sane limits', () => {
    const env = loadEnv({});
    expect(env.UPLOAD_PROVIDER).toBeUndefined();
    expect(env).toMatchObject({ UPLOAD_KEY_PREFIX: 'uploads', UPLOAD_TTL_SECONDS: 600, S3_FORCE_PATH_STYLE: false });
  });

  it("requires the chosen provider's variables", () => {
    expect(problems({ UPLOAD_PROVIDER: 'qiniu', QINIU_ACCESS_KEY: 'ak' })).toEqual(['UPLOAD_PROVIDER=qiniu requires QINIU_SECRET_KEY, QINIU_BUCKET']);
    expect(problems({ UPLOAD_PROVIDER: 's3' })).toEqual(['UPLOAD_PROVIDER=s3 requires S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY']);
    expect(problems({ UPLOAD_PROVIDER: 's3', S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' })).toEqual([]);
  });

  it('rejects unknown providers and malformed values', () => {
    expect(problems({ UPLOAD_PROVIDER: 'ftp' }).join()).toMatch(/UPLOAD_PROVIDER/);
    expect(problems({ UPLOAD_KEY_PREFIX: '/abs/' }).join()).toMatch(/UPLOAD_KEY_PREFIX/);
    expect(problems({ UPLOAD_KEY_PREFIX: 'a/../b' }).join()).toMatch(/UPLOAD_KEY_PREFIX/);
    expect(loadEnv({ UPLOAD_KEY_PREFIX: 'site-1/files_v2' }).UPLOAD_KEY_PREFIX).toBe('site-1/files_v2');
    expect(problems({ UPLOAD_TTL_SECONDS: '5' }).join()).toMatch(/UPLOAD_TTL_SECONDS/);
    expect(problems({ S3_FORCE_PATH_STYLE: 'maybe' }).join()).toMatch(/S3_FORCE_PATH_STYLE/);
    expect(problems({ S3_ENDPOINT: 'minio:9000' }).join()).toMatch(/S3_ENDPOINT/);
  });

  it('parses S3_FORCE_PATH_STYLE as a boolean', () => {
    expect(loadEnv({ S3_FORCE_PATH_STYLE: 'true' }).S3_FORCE_PATH_STYLE).toBe(true);
    expect(loadEnv({ S3_FORCE_PATH_STYLE: '0' }).S3_FORCE_PATH_STYLE).toBe(false);
  });
});
