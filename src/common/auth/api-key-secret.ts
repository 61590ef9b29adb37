import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// `xsc_<prefix>_<secret>`: the prefix finds the row, the secret is checked against its hash.
const KEY_PATTERN = /^xsc_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { key: `xsc_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const m = KEY_PATTERN.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

/** High-entropy secrets need no slow hash; a constant-time compare of SHA-256 digests suffices. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
