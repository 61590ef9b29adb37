import { createHmac } from 'node:crypto';
import { createApiKey, createUser, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

const MUTATION = `mutation($i: CreateUploadCredentialInput!) { createUploadCredential(input: $i) {
  provider method url key fields { name value } fileField token contentType maxSize expiresAt } }`;

const QINIU = {
  UPLOAD_PROVIDER: 'qiniu',
  QINIU_ACCESS_KEY: 'test-access-key',
  QINIU_SECRET_KEY: 'test-secret-key-0123456789',
  QINIU_BUCKET: 'xsc-files',
  QINIU_UPLOAD_URL: 'https://up-z2.qiniup.com',
  UPLOAD_KEY_PREFIX: 'test/uploads',
  UPLOAD_TTL_SECONDS: '300',
  UPLOAD_IMAGE_MAX_BYTES: '1000000',
  UPLOAD_DOCUMENT_MAX_BYTES: '5000000',
};

const S3 = {
  UPLOAD_PROVIDER: 's3',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_REGION: 'eu-central-1',
  S3_BUCKET: 'xsc-files',
  S3_ACCESS_KEY_ID: 'AKIDTESTEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  S3_FORCE_PATH_STYLE: 'true',
  UPLOAD_TTL_SECONDS: '900',
};

const fieldsOf = (c: { fields: { name: string; value: string }[] }) => Object.fromEntries(c.fields.map((f) => [f.name, f.value]));
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

describe('upload credentials: Qiniu', () => {
  let t: TestApp;
  let user: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp(QINIU);
    user = await createUser(t);
  });
  afterAll(() => t.close());

  it('returns a Qiniu upload token whose HMAC-SHA1 signature and policy check out', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'Screen Shot.PNG', size: 5000 } }, user);
    expect(r.errors).toBeUndefined();
    const c = r.data!.createUploadCredential;
    expect(c).toMatchObject({ provider: 'QINIU', method: 'POST', url: 'https://up-z2.qiniup.com', fileField: 'file', contentType: 'image/png', maxSize: 1000000 });
    expect(c.key).toMatch(new RegExp(`^test/uploads/${user.id}/[0-9a-f-]{36}\\.png$`));
    expect(fieldsOf(c)).toEqual({ key: c.key, token: c.token });

    // Qiniu's documented scheme: token = AK ":" urlsafe_b64(hmac_sha1(SK, encodedPolicy)) ":" encodedPolicy
    const [accessKey, signature, encodedPolicy] = c.token.split(':');
    expect(accessKey).toBe(QINIU.QINIU_ACCESS_KEY);
    const expected = createHmac('sha1', QINIU.QINIU_SECRET_KEY).update(encodedPolicy).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(signature).toBe(expected);
    const wrongKey = createHmac('sha1', 'another-secret').update(encodedPolicy).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(signature).not.toBe(wrongKey);

    const policy = JSON.parse(Buffer.from(encodedPolicy, 'base64url').toString('utf8'));
    expect(policy).toMatchObject({ scope: `xsc-files:${c.key}`, insertOnly: 1, fsizeMin: 1, fsizeLimit: 1000000, mimeLimit: 'image/png' });
    expect(policy.deadline).toBeGreaterThanOrEqual(before + 300);
    expect(policy.deadline).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 300);
    expect(new Date(c.expiresAt).getTime()).toBe(policy.deadline * 1000);
  });

  it('gives every credential its own key under the user prefix', async () => {
    const other = await createUser(t);
    const a = (await t.gql(MUTATION, { i: { kind: 'DOCUMENT', filename: 'r.pdf', size: 10 } }, user)).data!.createUploadCredential;
    const b = (await t.gql(MUTATION, { i: { kind: 'DOCUMENT', filename: 'r.pdf', size: 10 } }, other)).data!.createUploadCredential;
    expect(a.key).not.toBe(b.key);
    expect(a.key.startsWith(`test/uploads/${user.id}/`)).toBe(true);
    expect(b.key.startsWith(`test/uploads/${other.id}/`)).toBe(true);
    expect(a).toMatchObject({ contentType: 'application/pdf', maxSize: 5000000 });
  });

  it('refuses wrong types for the kind with BAD_USER_INPUT listing what is allowed', async () => {
    for (const [kind, filename] of [['IMAGE', 'logo.svg'], ['IMAGE', 'doc.pdf'], ['DOCUMENT', 'page.html'], ['DOCUMENT', 'noextension'], ['IMAGE', '../../etc/passwd']]) {
      const r = await t.gql(MUTATION, { i: { kind, filename, size: 10 } }, user);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    }
    const r = await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'x.bmp', size: 10 } }, user);
    expect(r.errors![0].extensions!.details).toMatchObject({ field: 'filename', allowed: ['.jpg', '.jpeg', '.png', '.gif', '.webp'] });
  });

  it('refuses files above the size limit of their kind', async () => {
    const r = await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'big.jpg', size: 1000001 } }, user);
    expect(errorCode(r)).toBe('PAYLOAD_TOO_LARGE');
    expect(r.errors![0].extensions!.details).toEqual({ field: 'size', maxSize: 1000000 });
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'DOCUMENT', filename: 'ok.pdf', size: 1000001 } }, user))).toBeUndefined();
  });

  it('rejects malformed input: unknown kind, zero or non-integer size, over-long names', async () => {
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'VIDEO', filename: 'a.mp4', size: 1 } }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: 0 } }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: 1.5 } }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: '10' } }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: `${'a'.repeat(300)}.png`, size: 1 } }, user))).toBe('BAD_USER_INPUT');
  });

  it('is for signed-in users only', async () => {
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: 1 } }))).toBe('UNAUTHENTICATED');
    const key = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: 1 } }, { apiKey: key.key }))).toBe('FORBIDDEN');
  });
});

describe('upload credentials: S3 presigned POST', () => {
  let t: TestApp;
  let user: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp(S3);
    user = await createUser(t);
  });
  afterAll(() => t.close());

  it('returns a presigned POST whose SigV4 policy signature and conditions check out', async () => {
    const before = Date.now();
    const r = await t.gql(MUTATION, { i: { kind: 'DOCUMENT', filename: 'Audit Report.DOCX', size: 2048 } }, user);
    expect(r.errors).toBeUndefined();
    const c = r.data!.createUploadCredential;
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(c).toMatchObject({ provider: 'S3', method: 'POST', url: 'http://127.0.0.1:9000/xsc-files', token: null, contentType: docx, maxSize: 50 * 1024 * 1024 });
    expect(c.key).toMatch(new RegExp(`^uploads/${user.id}/[0-9a-f-]{36}\\.docx$`));
    const f = fieldsOf(c);
    expect(f).toMatchObject({ key: c.key, bucket: 'xsc-files', 'Content-Type': docx, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });

    // SigV4 POST policy: signature = hex(HMAC(kSigning, base64 policy)), kSigning derived from the secret, date, region, "s3".
    const [accessKeyId, date, region, service, terminator] = f['X-Amz-Credential'].split('/');
    expect([accessKeyId, region, service, terminator]).toEqual([S3.S3_ACCESS_KEY_ID, 'eu-central-1', 's3', 'aws4_request']);
    expect(f['X-Amz-Date'].slice(0, 8)).toBe(date);
    const kDate = hmac(`AWS4${S3.S3_SECRET_ACCESS_KEY}`, date);
    const kSigning = hmac(hmac(hmac(kDate, region), 's3'), 'aws4_request');
    expect(f['X-Amz-Signature']).toBe(createHmac('sha256', kSigning).update(f.Policy).digest('hex'));

    const policy = JSON.parse(Buffer.from(f.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 50 * 1024 * 1024],
        ['eq', '$Content-Type', docx],
        { bucket: 'xsc-files' },
        { key: c.key },
        { 'X-Amz-Credential': f['X-Amz-Credential'] },
      ]),
    );
    const expires = new Date(policy.expiration).getTime();
    expect(new Date(c.expiresAt).getTime()).toBe(expires);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 900_000 + 1000);
  });

  it('refuses a wrong type and an oversized image', async () => {
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'DOCUMENT', filename: 'run.exe', size: 10 } }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.gif', size: 10 * 1024 * 1024 + 1 } }, user))).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('upload credentials: no provider configured', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ UPLOAD_PROVIDER: '' })));
  afterAll(() => t.close());

  it('answers SERVICE_UNAVAILABLE with a clear message', async () => {
    const user = await createUser(t);
    const r = await t.gql(MUTATION, { i: { kind: 'IMAGE', filename: 'a.png', size: 1 } }, user);
    expect(errorCode(r)).toBe('SERVICE_UNAVAILABLE');
    expect(r.errors![0].message).toMatch(/UPLOAD_PROVIDER/);
  });
});
