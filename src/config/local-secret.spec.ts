import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from './env.schema.js';
import { localJwtSecret } from './local-secret.js';

describe('JWT secret without JWT_SECRET (outside production)', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'xsc-secret-'));

  it('is random per data directory, made once and kept (mode 600) for later starts', () => {
    const [a, b] = [join(dir(), 'data', 'jwt-secret'), join(dir(), 'jwt-secret')];
    const first = loadEnv({ JWT_SECRET_FILE: a }).JWT_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadEnv({ JWT_SECRET_FILE: a }).JWT_SECRET).toBe(first);
    expect(readFileSync(a, 'utf8').trim()).toBe(first);
    expect(statSync(a).mode & 0o777).toBe(0o600);
    expect(loadEnv({ JWT_SECRET_FILE: b }).JWT_SECRET).not.toBe(first);
  });

  it('is never used when JWT_SECRET is set, and a damaged file is refused rather than trusted', () => {
    const file = join(dir(), 'jwt-secret');
    expect(loadEnv({ JWT_SECRET: 's'.repeat(32), JWT_SECRET_FILE: file }).JWT_SECRET).toBe('s'.repeat(32));
    writeFileSync(file, 'short\n');
    expect(() => localJwtSecret(file)).toThrow(/no usable secret/);
  });

});
