import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const MIN_LENGTH = 32;

function readSecret(file: string): string | null {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_LENGTH) throw new Error(`${file} holds no usable secret (under ${MIN_LENGTH} characters); delete it to get a new one`);
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The token signing secret when JWT_SECRET is unset outside production: random on first start
 * and kept in `file` (mode 600, next to the embedded data), so the API and worker processes
 * agree and restarts keep sessions. Never a constant: nobody can forge tokens for a default run.
 * The file appears atomically (written aside, then hard-linked), so concurrent starts agree.
 */
export function localJwtSecret(file: string): string {
  const existing = readSecret(file);
  if (existing) return existing;
  // The directory keeps default permissions: embedded PostgreSQL (another user) must traverse it; the file is 600.
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(draft);
  }
  return readSecret(file)!;
}
